"""The demo statements shipped inside the package: readable, attributed, PDF-like, covering the codebook."""

from __future__ import annotations

import re

from store.codebook.parser import default_codebook_path, load_codebook
from store.demo import demo_texts

SPEAKER = re.compile(r"^(Mr|Mrs|Ms)\. [A-Z][\w'-]+ \([A-Z][^)]+\): \S")
RUNNING_HEADER = re.compile(r"^(S/PV\.9\d{3}\b.*|.*\bS/PV\.9\d{3})$")
JOB_NUMBER = re.compile(r"(^|\s)\d{2}-\d{5}(\s|$)")
PAGE_COUNTER = re.compile(r"(^|\s)\d{1,2}/\d{2}(\s|$)")


def texts() -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in demo_texts().items()}


def test_ten_statements_of_valid_utf8() -> None:
    raw = demo_texts()
    assert len(raw) == 10
    for name, data in raw.items():
        data.decode("utf-8")  # raises on a bad byte
        assert not data.startswith(b"\xef\xbb\xbf"), name


def test_each_opens_with_a_speaker_line_and_has_four_to_eight_paragraphs() -> None:
    speakers = set()
    for name, text in texts().items():
        first = text.splitlines()[0]
        assert SPEAKER.match(first), f"{name}: {first!r}"
        speakers.add(first.split(":")[0])
        blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
        assert len(blocks) >= 4, name
    assert len(speakers) == 10


def test_lines_are_hard_wrapped_like_pdf_extractions() -> None:
    for name, text in texts().items():
        lines = [line for line in text.splitlines() if line]
        assert max(len(line) for line in lines) <= 56, name
        assert not text.endswith("\n\n"), name


def test_at_least_three_statements_carry_page_breaks_that_cut_a_sentence() -> None:
    cut = []
    for name, text in texts().items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if RUNNING_HEADER.match(line):
                before = next(x for x in reversed(lines[:i]) if x and not _furniture(x))
                assert not before.rstrip().endswith((".", ":", ";")), f"{name}: {before!r}"
                assert any(JOB_NUMBER.search(x) for x in lines[i - 4 : i + 4]), name
                assert any(PAGE_COUNTER.search(x) for x in lines[i - 4 : i + 4]), name
                cut.append(name)
    assert len(set(cut)) >= 3


def test_some_lines_end_in_a_hyphen_that_belongs_to_the_word() -> None:
    hyphenated = [line for text in texts().values() for line in text.splitlines() if line.endswith("-")]
    assert any(line.endswith("non-") for line in hyphenated)
    assert len(hyphenated) >= 5


def _furniture(line: str) -> bool:
    return bool(RUNNING_HEADER.match(line) or JOB_NUMBER.search(line) or PAGE_COUNTER.search(line)
                or line in {"Small arms", "Non-proliferation"} or re.fullmatch(r"\d\d/\d\d/\d{4}", line))


def test_the_statements_together_touch_every_code_of_the_codebook() -> None:
    codebook = load_codebook(default_codebook_path())
    # Join lines the way a reader does: a line-end hyphen stays and glues the next word on.
    corpus = " ".join(" ".join(re.sub(r"-\n", "-", text).split()) for text in texts().values()).lower()
    missing = []
    for code in codebook.walk():
        if code.kind != "code" or code.retired:
            continue
        words = list(code.keywords) or [code.label]
        if not any(word.lower() in corpus for word in words):
            missing.append(f"{code.id} ({', '.join(words)})")
    assert not missing, "no statement mentions: " + "; ".join(missing)
