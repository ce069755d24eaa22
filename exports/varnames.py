"""Column names that Stata and SPSS both accept, and which ones had to change."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 31
"""Stata allows 32 characters (SPSS 64), but pyreadstat names a column's value-label set after
the column and ReadStat refuses a set name of 32: 31 works in both files."""

RESERVED = {
    # Stata
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi",
    "_pred", "_rc", "_skip", "strl", "using", "with",
    # SPSS
    "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to",
}


def valid_name(name: str) -> str:
    """`name` made valid on its own: letters, digits and `_`, starting with a letter, <= 32 chars."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    clean = re.sub(r"[^A-Za-z0-9_]", "_", ascii_name)
    if not clean or not clean[0].isalpha():
        clean = "v" + clean
    if clean.lower() in RESERVED or re.fullmatch(r"str\d+", clean.lower()):
        clean += "_"
    return clean[:MAX_LENGTH]


def valid_names(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """Valid, distinct names (case-insensitively, as SPSS compares them) and the renames made."""
    taken: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate = valid_name(name)
        number = 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"_{number}"
            candidate = valid_name(name)[: MAX_LENGTH - len(suffix)] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out, {old: new for old, new in zip(names, out) if old != new}
