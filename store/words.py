"""Counts in words for every message of Accord: "1 paragraph", "2 paragraphs", "1,204 rows".

In `store`, the lowest layer, so that store, exports and tui messages all say it the same way.
"""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`count` with thousands separators and `noun`, singular for exactly one.

    Args:
        count: how many.
        noun: the singular, which may carry words before it ("coded paragraph").
        plural_noun: the plural when adding "s" is wrong ("sub-codes" is fine; "entries" is not).

    Returns:
        For example "1 paragraph", "0 paragraphs", "1,204 paragraphs".
    """
    return f"{count:,} {noun if count == 1 else plural_noun or noun + 's'}"
