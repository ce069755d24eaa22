"""Column names that Stata and SPSS both accept, and which ones had to change."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 32
"""Stata's limit (SPSS allows 64): one name that works in both."""

RESERVED = {
    # Stata
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi",
    "_pred", "_rc", "_skip", "strl", "using", "with",
    # SPSS
    "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to",
}


def valid_name(name: str, limit: int = MAX_LENGTH) -> str:
    """`name` made valid on its own: letters, digits and `_`, starting with a letter, <= 32 chars."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    clean = re.sub(r"[^A-Za-z0-9_]", "_", ascii_name)
    if not clean or not clean[0].isalpha():
        clean = "v" + clean
    if clean.lower() in RESERVED or re.fullmatch(r"str\d+", clean.lower()):
        clean += "_"
    return clean[:limit]


def valid_names(names: list[str], limits: list[int] | None = None) -> tuple[list[str], dict[str, str]]:
    """Valid, distinct names (case-insensitively, as SPSS compares them) and the renames made.

    `limits` caps each name's length where a column needs it shorter than MAX_LENGTH.
    """
    taken: set[str] = set()
    out: list[str] = []
    for name, limit in zip(names, limits or [MAX_LENGTH] * len(names), strict=True):
        candidate = valid_name(name, limit)
        number = 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"_{number}"
            candidate = valid_name(name, limit)[: limit - len(suffix)] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out, {old: new for old, new in zip(names, out, strict=True) if old != new}
