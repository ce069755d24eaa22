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


def _microseconds(stamps: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """ISO 8601 stamps as int64 microseconds since 1970; unreadable ones as the smallest int64."""
    import numpy as np
    import pandas as pd

    if not len(stamps):
        return np.empty(0, dtype=np.int64)
    parsed = pd.to_datetime(pd.Series(stamps, dtype=object), format="ISO8601", utc=True, errors="coerce")
    micro: np.ndarray[Any, Any] = parsed.to_numpy(dtype="datetime64[us]").view(np.int64)
    return micro
