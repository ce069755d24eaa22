"""Stata files: format 118 (Stata 14 and later), codes stored as bytes sharing one value-label set.

pyreadstat writes the file as format 118 (its `version=14`) with little memory, but stores
every integer as a 4-byte long and gives each column its own value-label set. The file is then
copied once, record block by record block, with the codes (and variables of up to 100 levels)
narrowed to bytes and pointed at one shared set. pandas' writer stores bytes but took twice the
memory (866 against 471 MB at 100,000 paragraphs), past the 2 GB budget at 1,000,000.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from store import AccordError

if TYPE_CHECKING:
    import pandas as pd

NAME_FIELD = 129
"""Bytes of a name field (variable, value-label set) in format 118: 32 UTF-8 characters and a NUL."""
FORMAT_FIELD = 57
SHARED_SET = "absent_present"
"""The value-label set every 0/1 code uses."""
LONG, BYTE = 65528, 65530
"""Format 118's type codes of a 4-byte and a 1-byte integer."""
WIDTHS = {65526: 8, 65527: 4, LONG: 4, 65529: 2, BYTE: 1, 32768: 8}
"""Bytes per value of each numeric type code and of a strL reference; a string's code is its width."""
LONG_MISSING, BYTE_MISSING = 2147483621, 101
"""`.` in a long and in a byte; `.a` to `.z` follow each."""
BLOCK_BYTES = 8_000_000
"""Records copied at a time: a few megabytes, whatever the width of a record."""


def write_dta(frame: pd.DataFrame, path: Path, labels: dict[str, str | None], value_labels: dict[str, dict[int, str]],
              narrow: list[str], codes: list[str]) -> None:
    """Write `frame` (integers as nullable Int8/Int16) as a Stata 118 file at `path`.

    The `narrow` columns (whose values fit in a byte) become bytes; the `codes` columns share
    SHARED_SET (labelled from the first code's labels)."""
    import pyreadstat

    first = codes[0] if codes else None
    own: dict[str, dict[int | float, str]] = {name: {int(k): v for k, v in value_labels[name].items()}
                                              for name in value_labels if name not in codes or name == first}
    wide = path.with_name(path.name + ".long")
    try:
        try:
            pyreadstat.write_dta(frame, str(wide), file_label="Accord export", column_labels=labels,
                                 variable_value_labels=own, version=14)
        except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as error:
            raise AccordError(f"cannot write the dta file {path.name}: {error}") from None
        shared = SHARED_SET
        while shared in frame.columns:  # a variable's own set carries its name
            shared += "_"
        places = {name: i for i, name in enumerate(frame.columns)}
        with wide.open("rb") as source, path.open("w+b") as target:
            _narrowed_copy(source, target, [places[n] for n in narrow], [places[n] for n in codes],
                           shared.encode("utf-8"))
    finally:
        wide.unlink(missing_ok=True)


def _narrowed_copy(source: BinaryIO, target: BinaryIO, narrow: list[int], codes: list[int], shared: bytes) -> None:
    """Copy a format 118 file, the long variables at places `narrow` as bytes and those at
    `codes` labelled with the value-label set named `shared` (the first code's set renamed)."""
    data_start = _map(source)[9]
    source.seek(0)
    head = bytearray(source.read(data_start))
    if not head.startswith(b"<stata_dta><header><release>118</release>"):
        raise AccordError("pyreadstat wrote a Stata format other than 118")
    order = "<" if b"<byteorder>LSF</byteorder>" in head[:200] else ">"
    offsets = list(_map(source))
    k = struct.unpack_from(f"{order}H", head, head.index(b"<K>") + 3)[0]
    n = struct.unpack_from(f"{order}Q", head, head.index(b"<N>") + 3)[0]
    types_at = offsets[2] + len(b"<variable_types>")
    types = list(struct.unpack_from(f"{order}{k}H", head, types_at))
    if any(types[i] != LONG for i in narrow):
        raise AccordError("a code column of the Stata file is not stored as a whole number")
    names_at = offsets[6] + len(b"<value_label_names>")
    old_set = bytes(head[names_at + codes[0] * NAME_FIELD:][:NAME_FIELD]).split(b"\0", 1)[0] if codes else b""
    for i in narrow:
        struct.pack_into(f"{order}H", head, types_at + 2 * i, BYTE)
        at = offsets[5] + len(b"<formats>") + i * FORMAT_FIELD
        head[at:at + FORMAT_FIELD] = b"%8.0g".ljust(FORMAT_FIELD, b"\0")
    for i in codes:
        at = names_at + i * NAME_FIELD
        head[at:at + NAME_FIELD] = shared.ljust(NAME_FIELD, b"\0")
    shrink = n * 3 * len(narrow)
    for entry in range(10, 14):  # what follows the data moves up by what the data lost
        offsets[entry] -= shrink
    map_at = head.index(b"<map>") + len(b"<map>")
    struct.pack_into(f"{order}14Q", head, map_at, *offsets)
    target.write(head)

    old = np.dtype([(f"v{i}", f"{order}i4" if i in narrow else f"V{_width(t)}") for i, t in enumerate(types)])
    new = np.dtype([(f"v{i}", "i1" if i in narrow else f"V{_width(t)}") for i, t in enumerate(types)])
    source.seek(data_start)
    target.write(source.read(len(b"<data>")))
    left = n
    while left:
        rows = min(left, max(1, BLOCK_BYTES // old.itemsize))
        block = np.frombuffer(source.read(rows * old.itemsize), dtype=old)
        out = np.empty(rows, dtype=new)
        for name in new.names or ():
            if new[name].kind == "i":
                values = block[name]
                missing = values >= LONG_MISSING
                out[name] = np.where(missing, values - LONG_MISSING + BYTE_MISSING, values).astype(np.int8)
            else:
                out[name] = block[name]
        target.write(out.tobytes())
        left -= rows
    shutil.copyfileobj(source, target)  # </data>, the strLs and the value-label sets
    if codes:
        _rename_set(target, old_set, shared, order)


def _width(code: int) -> int:
    return WIDTHS.get(code, code)


def _map(file: BinaryIO) -> tuple[int, ...]:
    """The 14 offsets of the file's <map>: where each section starts."""
    file.seek(0)
    head = file.read(4096)
    order = "<" if b"<byteorder>LSF</byteorder>" in head else ">"
    at = head.index(b"<map>") + len(b"<map>")
    return struct.unpack_from(f"{order}14Q", head, at)


def _rename_set(file: BinaryIO, old: bytes, new: bytes, order: str) -> None:
    """Rename the file's value-label set `old` to `new`."""
    offsets = _map(file)
    file.seek(offsets[11] + len(b"<value_labels>"))
    position, end = file.tell(), offsets[12]
    while position < end:
        file.seek(position)
        if file.read(5) != b"<lbl>":
            break
        (length,) = struct.unpack(f"{order}i", file.read(4))
        if file.read(NAME_FIELD).split(b"\0", 1)[0] == old:
            file.seek(position + 5 + 4)
            file.write(new.ljust(NAME_FIELD, b"\0"))
            return
        position += 5 + 4 + NAME_FIELD + 3 + length + len(b"</lbl>")
