"""Stata files: format 118 (Stata 14 and later), codes stored as bytes sharing one value-label set.

pandas writes the file (pyreadstat writes format 119, which Stata 14 and 15 refuse, and stores
every integer as a 4-byte long). pandas names each value-label set after its column; the codes'
set is then renamed and every code pointed at it, in place: the names are fixed-width fields of
the format, so no offset moves.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING

from store import AccordError

if TYPE_CHECKING:
    import pandas as pd

RELEASE = 118
NAME_FIELD = 129
"""Bytes of a name field (variable, value-label set) in format 118: 32 UTF-8 characters and a NUL."""
STR_MAX = 2045
"""Longest fixed-width string in bytes; longer text is stored as a strL."""
SHARED_SET = "absent_present"
"""The value-label set every 0/1 code uses."""


def write_dta(frame: pd.DataFrame, path: Path, labels: dict[str, str | None], value_labels: dict[str, dict[int, str]],
              codes: list[str], dates: list[str]) -> None:
    """Write `frame` as a Stata 118 file: variable labels, value labels (the `codes` columns
    share SHARED_SET, labelled from the first code's set), `dates` as %td dates."""
    first = codes[0] if codes else None
    own = {name: value_labels[name] for name in value_labels if name not in codes or name == first}
    strls = [name for name in frame.columns if frame[name].dtype == object and name not in dates
             and frame[name].map(lambda v: len(v.encode("utf-8")) if isinstance(v, str) else 0).max() > STR_MAX]
    try:
        frame.to_stata(path, version=RELEASE, write_index=False, data_label="Accord export",
                       variable_labels={k: v for k, v in labels.items() if v is not None}, value_labels=own,
                       convert_dates=dict.fromkeys(dates, "td"), convert_strl=strls)
    except (ValueError, TypeError) as error:
        raise AccordError(f"cannot write the dta file {path.name}: {error}") from None
    if first is not None:
        shared = SHARED_SET
        while shared in frame.columns:  # a variable's own set carries its name
            shared += "_"
        _share_label_set(path, first, shared, [list(frame.columns).index(name) for name in codes])


def _share_label_set(path: Path, old: str, new: str, variables: list[int]) -> None:
    """Rename value-label set `old` to `new` and attach it to the variables at these places."""
    field = new.encode("utf-8").ljust(NAME_FIELD, b"\0")
    with path.open("r+b") as file:
        head = file.read(4096)
        order = "<" if b"<byteorder>LSF</byteorder>" in head else ">"
        at = head.index(b"<map>") + len(b"<map>")
        offsets = struct.unpack(f"{order}14Q", head[at:at + 14 * 8])
        names = offsets[6] + len(b"<value_label_names>")
        for place in variables:
            file.seek(names + place * NAME_FIELD)
            file.write(field)
        # The value-label sets: <lbl>, int32 length, name, 3 bytes of padding, table, </lbl>.
        position, end = offsets[11] + len(b"<value_labels>"), offsets[12]
        while position < end:
            file.seek(position)
            if file.read(5) != b"<lbl>":
                break
            (length,) = struct.unpack(f"{order}i", file.read(4))
            name = file.read(NAME_FIELD).split(b"\0", 1)[0].decode("utf-8")
            if name == old:
                file.seek(position + 5 + 4)
                file.write(field)
            position += 5 + 4 + NAME_FIELD + 3 + length + len(b"</lbl>")
