"""The columns of a dataset as the writers describe them, and the document fields' columns.

No pandas: `accord retrieve` names its columns as `accord export` does without loading it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DOCUMENT_FIELDS = ("title", "speaker", "country", "date")


@dataclass(frozen=True)
class Column:
    """One column of an export, with what labelled formats need to describe it."""

    name: str
    label: str
    type: str
    """`str`, `int`, `float`, `code` (0/1, labelled absent/present), `level` (a variable) or
    `date` (ISO 8601 text, YYYY-MM-DD: a date where the format has one)."""
    levels: tuple[tuple[str, str], ...] = ()
    """(value, label) for `level` columns."""
    ordered: bool = False


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_date(series: Iterable[object]) -> bool:
    """Whether every non-empty value is a calendar date written YYYY-MM-DD (and there is one):
    then the column is a date in Parquet, Stata and SPSS. One value that is not ("March 2021",
    "2021-02-30") keeps the whole column text, so that no value is lost on the way."""
    present = [v for v in series if not (v is None or (isinstance(v, str) and not v.strip()) or _is_na(v)
                                         or (isinstance(v, float) and v != v))]
    if not present:
        return False
    for value in present:
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
            return False
        try:
            datetime.date.fromisoformat(value.strip())
        except ValueError:
            return False
    return True


def document_field_columns(documents: Mapping[str, Iterable[object]]) -> list[Column]:
    """The document fields' columns: text, but `date` a date where every value is one."""
    return [Column(f, f"Document {f}", "date" if f == "date" and is_date(documents[f]) else "str")
            for f in DOCUMENT_FIELDS]


def _is_na(value: object) -> bool:
    """pandas' missing value (pd.NA), told without importing pandas."""
    return type(value).__name__ == "NAType"
