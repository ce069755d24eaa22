"""Paragraph ids read in bulk as SQLite's group_concat joins them, split and numbered in Arrow and
NumPy: no Python string per id (at a million paragraphs that was most of a read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # NumPy, Arrow and pandas load when a bulk read runs, not with every project (startup)
    import numpy as np

ID_SEPARATOR = "\x1f"
"""ASCII unit separator: cannot occur in a paragraph id taken from a file name or id column."""


def _split(joined: list[bytes]) -> Any:
    """Ids joined by ID_SEPARATOR (group_concat's, as bytes), one Arrow string each, its ID_SEPARATOR kept at its end:
    one copy of the bytes, the separators found by NumPy part by part (a mask the size of all of
    them, fresh memory, cost more than the search), the strings left where they are."""
    import numpy as np
    import pyarrow as pa

    sep = ID_SEPARATOR.encode()
    buffer = b"".join([piece for part in joined for piece in (part, sep)])
    view = np.frombuffer(buffer, dtype=np.uint8)
    ends: list[np.ndarray[Any, Any]] = []
    start = 0
    for part in joined:
        stop = start + len(part)
        ends += [np.flatnonzero(view[start:stop] == sep[0]) + start, np.array([stop])]
        start = stop + 1
    offsets = np.zeros(sum(map(len, ends)) + 1, dtype=np.int64)
    if ends:
        np.concatenate(ends, out=offsets[1:])
        offsets[1:] += 1
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(buffer))


def _int_array(array: Any) -> np.ndarray[Any, Any]:
    """An Arrow integer array without nulls (indices, offsets) as int64 NumPy (`to_numpy` too
    would load pandas)."""
    import numpy as np

    width = np.dtype(f"int{array.type.bit_width}")
    values = np.frombuffer(array.buffers()[1], dtype=width)[array.offset: array.offset + len(array)]
    return values.astype(np.int64)


_CLOCK = "0000-00-00T00:00:00.000000+00:00" + ID_SEPARATOR
"""A stamp as store/clock.py writes it (each 0 of the date and time a digit) and its separator."""
_DIGITS = [k for k in range(26) if _CLOCK[k] == "0"]


def _microseconds(stamps: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """ISO 8601 stamps as int64 microseconds since 1970; unreadable ones as the smallest int64."""
    import numpy as np

    if not len(stamps):
        return np.empty(0, dtype=np.int64)
    # What store/clock.py writes, UTC to the microsecond, NumPy reads in C; anything else (another
    # offset, a stamp an older file or another tool wrote) goes to pandas, loaded only then.
    clock = _clock_microseconds(ID_SEPARATOR.join(stamps.tolist()) + ID_SEPARATOR) if stamps.dtype == object else None
    if clock is not None:
        return clock
    import pandas as pd

    parsed = pd.to_datetime(pd.Series(stamps, dtype=object), format="ISO8601", utc=True, errors="coerce")
    micro: np.ndarray[Any, Any] = parsed.to_numpy(dtype="datetime64[us]").view(np.int64)
    return micro


def _clock_microseconds(joined: str) -> np.ndarray[Any, Any] | None:
    """Stamps of _CLOCK's form read digit by digit as arrays (C loops, a few per field); None if
    one is of another form or a field out of its range (pandas then reads them)."""
    import numpy as np

    try:
        raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:
        return None
    if raw.size % len(_CLOCK):
        return None
    raw = raw.reshape(-1, len(_CLOCK))
    fixed = [k for k in range(len(_CLOCK)) if k not in _DIGITS]
    if not (raw[:, fixed] == np.frombuffer(_CLOCK.encode("ascii"), dtype=np.uint8)[fixed]).all():
        return None
    digits = np.zeros(raw.shape, dtype=np.int64)
    digits[:, _DIGITS] = raw[:, _DIGITS] - 48  # a byte below "0" wraps past 9
    if (digits[:, _DIGITS] > 9).any():
        return None

    def number(start: int, end: int) -> np.ndarray[Any, Any]:
        value = digits[:, start]
        for k in range(start + 1, end):
            value = value * 10 + digits[:, k]
        return value

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second, micro = number(11, 13), number(14, 16), number(17, 19), number(20, 26)
    months = (year - 1970) * 12 + month - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    length = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - first
    if ((month < 1) | (month > 12) | (day < 1) | (day > length) | (hour > 23) | (minute > 59) | (second > 59)).any():
        return None
    days = first + day - 1
    result: np.ndarray[Any, Any] = (((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000 + micro
    return result
