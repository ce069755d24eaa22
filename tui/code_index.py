"""Finding codes by what a coder types: the picker's matching and order, free of Textual.

Each word typed must be found in a code's label, id, keywords or parent's label, its letters in
order (`embrgfund` finds "Embargo funding"). Codes where more words appear whole come
first; among those, recently used codes, then tighter matches before looser ones, then
codebook order (a recent code whose letters merely occur in order does not push aside a
whole-word match). One pass of `str.find` per word and code: a few
milliseconds for 1,000 codes, where an all-alignments fuzzy scorer can take exponential time
on long texts with repeated letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store import Code

SHOWN = 40
"""Matches listed at most (a screenful at 160x48): more is for typing another letter, not for
scrolling, and each listed row costs the list a measure on every keystroke."""


@dataclass(frozen=True)
class Entry:
    """A code as the picker searches and shows it."""

    code: Code
    position: int
    """Place in codebook order."""
    path: str
    """The parents' labels, "Border › Stockpile", empty at the top level."""
    text: str
    """Label, id, keywords and parents' labels, lower case: what a query is matched against."""


def subsequence_span(needle: str, text: str) -> int | None:
    """The length of the shortest-from-the-left run of `text` holding `needle`'s letters in
    order (greedy), or None when they are not all there."""
    start = position = text.find(needle[0])
    if start < 0:
        return None
    for letter in needle[1:]:
        position = text.find(letter, position + 1)
        if position < 0:
            return None
    return position - start + 1


class CodeIndex:
    """Every code and variable of a codebook, ready to be matched."""

    def __init__(self, codes: Sequence[Code]) -> None:
        by_id = {code.id: code for code in codes}
        self.entries: list[Entry] = []
        for position, code in enumerate(codes):
            parents: list[str] = []
            parent = by_id.get(code.parent_id or "")
            while parent is not None and len(parents) < 30:
                parents.insert(0, parent.label)
                parent = by_id.get(parent.parent_id or "")
            text = " ".join([code.label, code.id, *code.keywords, *parents]).lower()
            self.entries.append(Entry(code, position, " › ".join(parents), text))
        self.by_id = {entry.code.id: entry for entry in self.entries}

    def search(self, query: str, recent: Sequence[str] = (), limit: int = SHOWN) -> tuple[list[Entry], int]:
        """The best `limit` matches of `query`, recent codes first, and how many matched in all."""
        words = query.lower().split()
        rank = {code_id: i for i, code_id in enumerate(recent)}
        if not words:
            first = [self.by_id[c] for c in recent if c in self.by_id]
            rest = [e for e in self.entries if e.code.id not in rank]
            return (first + rest)[:limit], len(self.entries)
        scored: list[tuple[int, int, int, int, Entry]] = []
        for entry in self.entries:
            whole = loose = 0
            for word in words:
                if word in entry.text:
                    whole += 1
                    continue
                span = subsequence_span(word, entry.text)
                if span is None:
                    break
                loose += span - len(word)
            else:
                label_first = 0 if entry.code.label.lower().startswith(words[0]) else 1
                scored.append((-whole, rank.get(entry.code.id, len(rank)), loose + label_first, entry.position, entry))
        scored.sort(key=lambda item: item[:4])
        return [item[4] for item in scored[:limit]], len(scored)
