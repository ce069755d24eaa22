"""The segmenter's fast paths give exactly what the straightforward code gave.

Segmenting 1,000,000 paragraphs took ~55 s of CPU; the fast paths (one pass over the text
instead of one per line, cheap tests before the long patterns, joining most paragraphs with one
`str.replace`) halve that. Every imported paragraph's text, id and hash must stay the same, so
each fast path is checked against the code it replaced, kept here as the reference, on
generated input built from the pieces that matter (dashes, soft hyphens, header pieces,
speaker labels, closing quotes).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from store.intake.running_heads import _DIGIT, _STRONG, _TITLE, _WEAK, _WEAK_CHARS, _at_an_edge, drop_running_heads
from store.intake.segment import (
    _SPACES,
    _Para,
    _column_width,
    _ends_sentence,
    _join,
    _lines,
    _opens_statement,
    _paragraphs,
    _SPEAKER,
    _starts_paragraph,
    MIN_LINES_FOR_WIDTH,
)

# --- the code the fast paths replaced -----------------------------------------------------

_HYPHEN_END = re.compile(r"\w[-‐‑–—]$")
_SENTENCE_END = re.compile(r"[.?!…][\"”’')\]]*$")


def reference_lines(text: str) -> list[str]:
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def reference_join(lines: list[str]) -> str:
    parts = [lines[0]]
    for line in lines[1:]:
        previous = parts[-1]
        if previous.endswith("\u00ad"):
            parts[-1] = previous[:-1]
        elif not _HYPHEN_END.search(previous[-2:]):
            parts.append(" ")
        parts.append(line)
    return "".join(parts).replace("\u00ad", "")


def reference_column_width(lines: list[str]) -> int | None:
    wrapped = [
        len(line)
        for i, line in enumerate(lines)
        if line and ((i > 0 and lines[i - 1]) or (i + 1 < len(lines) and lines[i + 1]))
    ]
    if len(wrapped) < MIN_LINES_FOR_WIDTH:
        return None
    wrapped.sort()
    return wrapped[int(0.9 * (len(wrapped) - 1))]


def reference_paragraphs(lines: list[str], width: int | None) -> list[_Para]:
    """`_paragraphs` without markdown, asking `_starts_paragraph` about every line."""
    paragraphs: list[_Para] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                paragraphs.append(_Para("\n".join(current)))
                current.clear()
            continue
        if current and _starts_paragraph(current[-1], line, width, False):
            paragraphs.append(_Para("\n".join(current)))
            current.clear()
        current.append(line)
    if current:
        paragraphs.append(_Para("\n".join(current)))
    return paragraphs


def referencedrop_running_heads(lines: list[str]) -> tuple[list[str], list[str]]:
    titles: set[str] = set()
    heads: set[int] = set()
    lone: list[int] = []
    for i, line in enumerate(lines):
        if not line or not _DIGIT.search(line):
            continue
        rest = _WEAK.sub(" ", _STRONG.sub(" ", line)).strip()
        if not rest:
            if _STRONG.search(line) or len(_WEAK.findall(line)) > 1:
                heads.add(i)
            elif _WEAK.fullmatch(line):
                lone.append(i)
        elif _STRONG.search(line) and _TITLE.fullmatch(rest) and _at_an_edge(line):
            heads.add(i)
            titles.add(rest)
    for i in lone:
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if any(not lines[j] or j in heads or j in lone for j in beside) or len(beside) < 2:
            heads.add(i)
    filled = [i for i, line in enumerate(lines) if line]
    for before, i, after in zip(filled, filled[1:], filled[2:], strict=False):
        if before in heads and after in heads and i not in heads and _TITLE.fullmatch(lines[i]):
            titles.add(lines[i])
    for i, line in enumerate(lines):
        if line in titles:
            heads.add(i)
    dropped = [lines[i] for i in sorted(heads)]
    return ["" if i in heads else line for i, line in enumerate(lines)], dropped


# --- generated input ----------------------------------------------------------------------

WORDS = ["arms", "post", "Small", "x", "_", "7", "é", "the", "Council", ".", "?", "!", "…", '"', "”", "’", "'",
         ")", "]", "(", "-", "‐", "‑", "–", "—", "\u00ad", " ", "  ", "\t", "\v", "\u2009", ":"]
SENTENCES = ["Small arms", "the Council", "(S/PV.8140)", "7", " ", ".", "?", "”", ")", "’", "Mr. Skoog (Bolivia):"]
"""Lines that end sentences, with closing quotes and brackets, and lines that open new ones."""
HEADER_PIECES = ["S/PV.3517", "S/PV.8140 (Resumption 1)", "99-89618", "17-44953 (E)", "*1744953*", "27/29", "9",
                 "Page 3 of 12", "05/05/1999", "18 December 2017", "Monday, 18 December 2017", "Small arms",
                 "Non-proliferation", "adopted on", "by consensus", "resolution 1540 (2004)", "In 2011,", " ",
                 "\u2009", "of", "Page", ".", "x", "", "The President (spoke in French):", "Mr. Skoog (Bolivia):"]



def pieces(alphabet: list[str], min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    """Strings made of the given pieces."""
    return st.lists(st.sampled_from(alphabet), min_size=min_size, max_size=max_size).map("".join)


lines_of_words = st.lists(pieces(WORDS, 1).map(str.strip).filter(bool), min_size=1, max_size=8)
header_lines = st.lists(st.lists(st.sampled_from(HEADER_PIECES), max_size=4).map(" ".join).map(str.strip),
                        max_size=30)


@settings(max_examples=200, deadline=None)
@given(lines_of_words)
def test_join_is_the_line_by_line_join(lines: list[str]) -> None:
    assert _join("\n".join(lines)) == reference_join(lines)


@settings(max_examples=150, deadline=None)
@given(pieces([*WORDS, "\n", "\n\n", " \t "], max_size=80))
def test_lines_are_cleaned_as_line_by_line(text: str) -> None:
    assert _lines(text) == reference_lines(text)


@settings(max_examples=150, deadline=None)
@given(pieces(WORDS))
def test_sentence_end_and_speaker_tests_agree_with_the_patterns(line: str) -> None:
    assert _ends_sentence(line) == bool(_SENTENCE_END.search(line))
    label = "Mr. Skoog (Bolivia (Plurinational State of))" + line
    assert _opens_statement(label) == bool(_SPEAKER.match(label))
    assert _opens_statement(line) == bool(_SPEAKER.match(line))


@settings(max_examples=150, deadline=None)
@given(header_lines)
def test_running_heads_are_found_as_line_by_line(lines: list[str]) -> None:
    assert drop_running_heads(lines) == referencedrop_running_heads(lines)
    for line in lines:
        if line and not _WEAK.sub(" ", line).strip():  # made of page numbers and dates alone
            assert _WEAK_CHARS.fullmatch(line), line


@settings(max_examples=150, deadline=None)
@example(["Small arms.”", "The Council"], 55)
@example(["Small arms)", "(S/PV.8140)"], 55)
@example(["Small arms?’", "7"], 55)
@given(st.lists(st.one_of(st.just(""), pieces(WORDS, 1, 30).map(str.strip), pieces(SENTENCES, 1, 6).map(str.strip)),
                max_size=40),
       st.sampled_from([None, 20, 55]))
def test_paragraph_breaks_and_column_width_as_line_by_line(lines: list[str], width: int | None) -> None:
    assert _column_width(lines) == reference_column_width(lines)
    assert _paragraphs(lines, width, False) == reference_paragraphs(lines, width)
