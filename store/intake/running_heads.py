"""Running headers and footers of PDF records: the lines a page break leaves between the halves
of a paragraph (`S/PV.8140`, `17-44953`, `9/31`, the date and the meeting's short title), found
and blanked before `segment` joins the lines into paragraphs."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress

# The header patterns take no line end for a space (`[^\S\n]`, which is `\s` within a line):
# run over a whole text, they find what they find in each line alone.
_SP = r"[^\S\n]"
_RECORD_SYMBOL = rf"(?:[SA]/(?:\d+/)?PV\.{_SP}?\d+(?:{_SP}*\((?:Resumption|Resumed|Part){_SP}*\d*\))?)"
"""A verbatim record's symbol (S/PV.8140, A/60/PV.45, S/PV.5390 (Resumption 1))."""
_JOB_NUMBER = rf"(?:\d{{2}}-\d{{5}}[A-Z]?(?:{_SP}*\([A-Z]\))?|\*\d{{7,}}\*)"
"""The UN job number printed in the footer (17-44953, 06-26591 (E)) and its barcode text."""
_PAGE = rf"(?:\d{{1,3}}/\d{{1,3}}|\d{{1,3}}|Page{_SP}+\d{{1,3}}(?:{_SP}+of{_SP}+\d{{1,3}})?)"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE = (
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}"
    rf"|(?:(?:{_DAYS}),?{_SP}+)?\d{{1,2}}{_SP}+(?:{_MONTHS}){_SP}+\d{{4}})"
)
_STRONG = re.compile(rf"(?<![\w(/.-])(?:{_RECORD_SYMBOL}|{_JOB_NUMBER})(?![\w/)-])")
"""Pieces that only a header or footer carries; a line with one of them may also hold a title."""
_WEAK = re.compile(rf"(?<![\w(/.-])(?:{_DATE}|{_PAGE})(?![\w/)-])")
"""Pieces that are a header only when nothing but other header pieces share their line."""
_DIGIT = re.compile(r"\d")
_WEAK_CHAR = rf"(?:[\d/.,]|{_SP}|Page|of|{_MONTHS}|{_DAYS})"
_WEAK_CHARS = re.compile(rf"{_WEAK_CHAR}*")
"""What a line made of _WEAK pieces alone can hold: a line that is not all this is text, not a
header, unless it has a _STRONG piece (a quick test that spares most lines with digits two
substitutions)."""
_WEAK_LINES = re.compile(rf"\n(?=[\d/.,PoJFMASONDTW]|{_SP}){_WEAK_CHAR}+(?=\n)")
"""_WEAK_CHARS lines of a whole text (lines joined, a line end before and after), found from the
line end before them (a literal start); one test of the next character rules out most lines."""
_MAY_BE_STRONG = (re.compile(r"PV\."), re.compile(r"-\d{5}"), re.compile(r"\*\d{7}"))
"""What every _STRONG piece holds (`PV.`, a dash and five digits, a star and seven): quick to
find in a whole text, where _STRONG, which opens with a look behind, is tried at every character.
Three patterns, not one alternation: each opens with a literal, which the regex engine finds
with a fast scan (the alternation tried every character: 2.4 times slower). No match of one
can hold the start of another (only digits follow the dash or the star), so they find the same
places the alternation found."""
_TITLE = re.compile(r"[A-Z][^.?!;()]{0,99}")
"""What is left of a header line once its symbols are removed: the meeting's short title."""


def drop_running_heads(lines: list[str]) -> tuple[list[str], list[str]]:
    """Blank out header and footer lines; a blank keeps the page break visible to `_heal`."""
    titles: set[str] = set()
    heads: set[int] = set()
    lone: list[int] = []
    for i in _header_candidates(lines):
        kind, title = _head_kind(lines[i])
        if kind == _HEAD:
            heads.add(i)
            if title:
                titles.add(title)
        elif kind == _LONE:
            lone.append(i)
    # A page number or date alone is a header when the page break shows beside it; between
    # two lines of a paragraph it is text ("adopted on / 18 December 2017 / by consensus").
    for i in lone:
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if any(not lines[j] or j in heads or j in lone for j in beside) or len(beside) < 2:
            heads.add(i)
    # pdftotext may put the short title on a line of its own between the symbol and the date:
    # the next non-blank line after a header, when the next one after it is a header too.
    if len(heads) > 1:
        for before in list(heads):
            i = _next_filled(lines, before)
            after = _next_filled(lines, i)
            if after < len(lines) and after in heads and i not in heads and _TITLE.fullmatch(lines[i]):
                titles.add(lines[i])
    if titles and not titles.isdisjoint(lines):
        heads.update(compress(range(len(lines)), map(titles.__contains__, lines)))
    if not heads:
        return lines, []
    kept = list(lines)
    for i in heads:
        kept[i] = ""
    return kept, [lines[i] for i in sorted(heads)]


_HEAD, _LONE = 1, 2  # kinds of header line (0: text)


@lru_cache(maxsize=4096)
def _head_kind(line: str) -> tuple[int, str | None]:
    """(_HEAD, its title if any), (_LONE, None) for a page number or date alone (a header only
    beside a page break) or (0, None): text. Cached: records repeat their headers page after page."""
    strong = _STRONG.search(line)
    if not _DIGIT.search(line) or (not strong and not _WEAK_CHARS.fullmatch(line)):
        return 0, None  # every header piece has a digit; neither a header line nor a lone page number or date
    rest = _WEAK.sub(" ", _STRONG.sub(" ", line)).strip()
    if not rest:
        if strong or len(_WEAK.findall(line)) > 1:
            return _HEAD, None
        if _WEAK.fullmatch(line):
            return _LONE, None
    elif strong and _TITLE.fullmatch(rest) and _at_an_edge(line):
        return _HEAD, rest
    return 0, None


def _header_candidates(lines: list[str]) -> list[int]:
    """The indexes, ascending, of every line with a _STRONG piece or made of _WEAK_CHARS alone (and
    a few more), found by two patterns over the whole text, not by a test of each line with a digit."""
    text = "\n".join(lines)
    starts = {match.start() for pattern in _MAY_BE_STRONG for match in pattern.finditer(text)}
    # Each match starts at the line end before its line, which is where its line starts in `text`.
    starts.update(match.start() for match in _WEAK_LINES.finditer(f"\n{text}\n"))
    found: list[int] = []
    line = at = 0
    for start in sorted(starts):
        line += text.count("\n", at, start)
        at = start
        if not found or found[-1] != line:
            found.append(line)
    return found


def _next_filled(lines: list[str], i: int) -> int:
    """The index of the first non-blank line after line `i`, or len(lines)."""
    i += 1
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _at_an_edge(line: str) -> bool:
    """Header pieces stand at the ends of the line, the title between them."""
    pieces = [m.span() for m in _STRONG.finditer(line)] + [m.span() for m in _WEAK.finditer(line)]
    return any(start == 0 for start, _ in pieces) and any(end == len(line) for _, end in pieces)
