"""`segment` gives exactly what it gave before it was sped up (tests/store/segment_reference.py,
the module as it was), on generated texts: the paragraphs' texts are their hashes, and a
paragraph's hash identifies it in every coder's file handed out.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import pdf_text, speeches
from store.intake.segment import Segmented, segment
from tests.store import segment_reference as reference

PIECES = ["arms", "post", "Small", "the", "Council", "x", "7", "12", "2017", "é", ".", "?", "!", "…", '"', "”", "’",
          ")", "]", "(", "-", "–", "—", "\u00ad", " ", "  ", "\t", "\u2009", "\u00a0", ":", ",", "/", "*",
          "S/PV.3517", "S/PV.8140 (Resumption 1)", "A/60/PV.45", "PV.", "99-89618", "17-44953 (E)", "-12345",
          "*1744953*", "27/29", "9", "Page 3 of 12", "05/05/1999", "18 December 2017", "Monday, 18 December 2017",
          "Small arms", "Non-proliferation", "The President (spoke in French):", "Mr. Skoog (Bolivia):",
          "Mr. Skoog (Bolivia (Plurinational State of)):", "# ", "- ", "1. ", "**", "[a](b)", "> ", "---",
          "\n", "\n", "\n", "\n\n", "\f", "\r\n", "\r"]


def same(text: str) -> None:
    for markdown in (False, True):
        got, want = segment(text, markdown=markdown), reference.segment(text, markdown=markdown)
        assert (got.paragraphs, got.speaker, got.country, got.title, got.dropped) == \
            (want.paragraphs, want.speaker, want.country, want.title, want.dropped), (markdown, text)
        assert isinstance(got, Segmented)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_generated_texts_segment_as_before(text: str) -> None:
    same(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join), max_size=60).map("\n".join))
def test_generated_lines_segment_as_before(text: str) -> None:
    same(text)


def test_records_laid_out_as_pdf_text_segment_as_before() -> None:
    """Speeches as pdftotext gives them, then the same with lines and pieces mixed in at random."""
    rng = random.Random(7)
    for number, speech in enumerate(speeches(3000, seed=3)):
        text = pdf_text(speech, rng)
        same(text)
        if number % 4 == 0:
            lines = text.split("\n")
            for _ in range(rng.randint(1, 12)):
                at = rng.randrange(len(lines))
                lines[at] = rng.choice([lines[at] + " " + rng.choice(PIECES), rng.choice(PIECES), "",
                                        lines[at][: rng.randrange(len(lines[at]) + 1)], lines[at].upper()])
            same("\n".join(lines))
