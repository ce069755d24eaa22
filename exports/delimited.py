"""CSV and TSV text of a frame, column by column in Arrow's compute kernels.

The bytes are those pandas' `to_csv(sep=..., index=False, na_rep="", lineterminator="\\n")`
writes (Python's csv module, minimal quoting), a lone carriage return quoted too, in about half
the CPU time: pandas turns every cell into a Python object and formats it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from numpy.typing import NDArray
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from exports.cells import FORMULA_PATTERN, needs_quotes

ROWS_AT_A_TIME = 20_000
"""Rows turned into text at once: each step copies the column, so this bounds the memory it takes."""


def delimited_parts(frame: pd.DataFrame, types: dict[str, str], separator: str, neutralise: bool) -> Iterator[str]:
    """delimited_text of `frame`, ROWS_AT_A_TIME rows at a time."""
    for part in delimited_bytes(frame, types, separator, neutralise):
        yield str(part, "utf-8")


def delimited_bytes(frame: pd.DataFrame, types: dict[str, str], separator: str,
                    neutralise: bool) -> Iterator[memoryview]:
    """delimited_text of `frame` as UTF-8, ROWS_AT_A_TIME rows at a time: for a file, the bytes
    Arrow made are written as they are (decoding them to text to encode them again cost a
    tenth of a CSV export's time)."""
    for start in range(0, len(frame), ROWS_AT_A_TIME):
        yield _lines(frame.iloc[start:start + ROWS_AT_A_TIME], types, separator, neutralise)


def delimited_text(frame: pd.DataFrame, types: dict[str, str], separator: str, neutralise: bool) -> str:
    """The rows of `frame` (no header) as CSV/TSV lines; `types` maps column names to Column.type
    (a column not in it is text).

    With `neutralise`, text cells a spreadsheet would run as a formula get a leading `'`.
    """
    return str(_lines(frame, types, separator, neutralise), "utf-8")


def _lines(frame: pd.DataFrame, types: dict[str, str], separator: str, neutralise: bool) -> memoryview:
    """delimited_text's lines as the UTF-8 bytes Arrow holds them in."""
    if not len(frame):
        return memoryview(b"")
    parts: list[pa.Array | str] = []
    at = 0
    while at < len(frame.columns):
        run = _digit_run(frame, at, types)
        if run > 1 and len(separator.encode()) == 1:  # the codes' columns side by side, as one part
            parts += [_digits(frame.iloc[:, at:at + run], separator), separator]
            at += run
            continue
        parts += [*_cells(frame.iloc[:, at], types.get(str(frame.columns[at]), ""), separator, neutralise), separator]
        at += 1
    parts[-1] = "\n"
    # One join makes the lines: the cells, their quotes, separators and line ends at once (joining
    # fields, then lines, or quoting a column before the join, copied the text again each time).
    lines = pc.binary_join_element_wise(*parts, "")
    # The lines lie end to end in the array's data buffer: that buffer is the text.
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    return memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]]


def _digit_run(frame: pd.DataFrame, start: int, types: dict[str, str]) -> int:
    """How many columns from `start` on hold single digits or nothing (a code's 0/1, the flag)."""
    end = start
    while end < len(frame.columns) and types.get(str(frame.columns[end]), "") != "float":
        series = frame.iloc[:, end]
        if not isinstance(series.dtype, pd.Int8Dtype) or not series.between(0, 9).where(series.notna(), True).all():
            break
        end += 1
    return end - start


def _digits(block: pd.DataFrame, separator: str) -> pa.Array:
    """Columns of single digits (or nothing) as one part of each line: the cells and the
    separators between them, laid out by NumPy. Joining a code's column at a time made two
    parts of each of twenty-odd columns, each a pass over every line."""
    rows, width = len(block), 2 * block.shape[1] - 1
    slots = np.full((rows, width), ord(separator), dtype=np.uint8)
    present = np.ones((rows, width), dtype=bool)
    for j in range(block.shape[1]):
        series = block.iloc[:, j]
        slots[:, 2 * j] = series.to_numpy(dtype=np.int16, na_value=0) + ord("0")
        present[:, 2 * j] = series.notna().to_numpy()
    offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(present.sum(axis=1), out=offsets[1:])
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(slots[present]))


def _cells(series: pd.Series, kind: str, separator: str, neutralise: bool) -> list[pa.Array | str]:
    """One column's cells as written, as the parts of each line that make them: missing as "",
    text quoted where the csv module would (the quotes as parts of their own: see _quote)."""
    if kind == "float" or pd.api.types.is_float_dtype(series.dtype):
        return [pa.array(_float_text(series), type=pa.string())]
    by_value = _by_value(series, separator, neutralise)
    if by_value is not None:
        return [by_value]
    return _each_cell(series, separator, neutralise)


FEW = 4
"""A column is made cell by distinct value when it has at most one distinct value per FEW rows."""


def _by_value(series: pd.Series, separator: str, neutralise: bool) -> pa.Array | None:
    """The cells of a text column of few distinct values (a document's fields beside each of its
    paragraphs, a status, a variable's levels), each distinct value made a cell once and then
    placed in its rows: converting every row's object to Arrow and matching it twice cost more
    than the paragraphs' text. None for any other column. Only text values: a hash counts 1,
    1.0 and True as one value, which the cell of each tells apart."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        places, values = series.cat.codes.to_numpy(), series.cat.categories
    elif series.dtype == object:
        places, values = pd.factorize(series)
    else:
        return None
    if len(values) * FEW > len(series) or not all(type(value) is str for value in values):
        return None
    parts = _each_cell(pd.Series(values, dtype=object), separator, neutralise)
    cells = pc.binary_join_element_wise(*parts, "") if len(parts) > 1 else parts[0]
    cells = pa.concat_arrays([pc.cast(cells, pa.string()), pa.array([""], type=pa.string())])  # missing: ""
    return cells.take(pa.array(np.where(places < 0, len(values), places)))


def _each_cell(series: pd.Series, separator: str, neutralise: bool) -> list[pa.Array | str]:
    """_cells of a column that is not float, made cell by cell."""
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: written as str() of each
        array = pa.array([None if _missing(v) else str(v) for v in series], type=pa.string())
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    text_like = pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    if not text_like:
        if pa.types.is_integer(array.type) or pa.types.is_null(array.type):
            return [pc.cast(array, pa.string()).fill_null("")]
        # anything else is written as Python's str() of the value, as the csv module does
        return [pa.array([None if _missing(v) else str(v) for v in series], type=pa.string()).fill_null("")]
    array = pc.cast(array, pa.string())
    if neutralise:  # every text cell: ids, metadata, notes, level labels alike
        risky = pc.fill_null(pc.match_substring_regex(array, FORMULA_PATTERN), False)
        array = _changed(array, risky, lambda cells: pc.binary_join_element_wise("'", cells, ""))
    return _quote(array.fill_null(""), separator)


def _quote(array: pa.Array, separator: str) -> list[pa.Array | str]:
    """The cells (none missing) quoted where they need it, as parts of the line: the opening
    quote, the cells (quotes doubled), the closing quote. A paragraph's text nearly always holds
    a comma, so its whole column is quoted: wrapping it in quotes copied the text once more."""
    needs = pc.match_substring_regex(array, needs_quotes(separator))
    quoted = pc.sum(needs).as_py() or 0
    if not quoted:
        return [array]
    # A regex of one character: RE2 finds it with memchr, 20 times faster than match_substring.
    array = _changed(array, pc.match_substring_regex(array, '"'),
                     lambda cells: pc.replace_substring(cells, '"', '""'))
    mark: pa.Array | str = '"' if quoted == len(array) else pc.if_else(needs, '"', "")
    return [mark, array, mark]


def _changed(array: pa.Array, where: pa.Array, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`array` with `change` made to the cells `where` holds, and only to them: most cells of a
    column need no change, and changing every cell to keep some copied the column twice."""
    if not pc.any(where).as_py():
        return array
    return pc.replace_with_mask(array, where, change(pc.filter(array, where)))


def _float_text(series: pd.Series) -> NDArray[np.object_]:
    """Floats as pandas writes them: numpy's shortest repr ("2001.0", "1e-05"), missing as ""."""
    values: NDArray[np.float64] = series.to_numpy(dtype=float, na_value=np.nan)
    text = values.astype(str).astype(object)
    text[np.isnan(values)] = ""
    return text


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
