"""Synthetic corpora and codings for benchmarks and scale tests.

`speeches()` makes Security Council statements (speaker label, 40-140-word paragraphs from a
Zipf-distributed vocabulary, so that searches have common and rare words); `write_corpus()`
lays them out as text extracted from PDF records: wrapped at a column, line-end hyphens in
compound words, running headers and footers (`S/PV.7920`, job numbers like `17-44953`, page
counters `9/31`, date and title), and page breaks that cut paragraphs mid-sentence.
`add_codings()` gives C coders codings at a chosen agreement. From the shell:

    python -m benchmarks.synthetic corpus --paragraphs 100000 --out /tmp/corpus
    python -m benchmarks.synthetic project --paragraphs 100000 --coders 3 --alpha 0.7 --out /tmp/p.db
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sqlite3
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from store import Codebook, Project
from store.intake.source import SourceDocument

WORDS = [
    "the", "Council", "small", "arms", "light", "weapons", "illicit", "trade", "border", "control", "stockpile",
    "management", "disarmament", "demobilization", "reintegration", "nuclear", "chemical", "biological", "means", "of",
    "delivery", "women", "children", "gender", "perspective", "export", "control", "brokering", "terrorism", "non-State",
    "actors", "sanctions", "embargo", "Programme", "of", "Action", "Arms", "Trade", "Treaty", "Register", "cooperation",
    "assistance", "capacity-building", "regional", "organizations", "Member", "States", "resolution", "implementation",
    "national", "legislation", "marking", "tracing", "peacekeeping", "mandate", "civilians", "protection", "security",
    "development", "post-conflict", "counter-terrorism", "follow-up",
]
SYLLABLES = ["ka", "ze", "lo", "mi", "nu", "ra", "to", "vi", "sa", "de", "po", "lu", "ne", "fa", "ri", "go"]
COUNTRIES = ("Kazakhstan", "France", "Chile", "Egypt", "Japan", "Nigeria", "Peru", "Sweden", "Viet Nam",
             "United Kingdom of Great Britain and Northern Ireland", "Côte d'Ivoire", "Bolivia (Plurinational State of)")
SURNAMES = ("Abdrakhmanov", "Delattre", "Barros", "Aboulatta", "Bessho", "Laro", "Meza-Cuadra", "Skoog",
            "Nguyen", "Rycroft", "Ipo", "Llorentty Solíz", "Sadykov", "Umarov")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
COLUMN = 55
"""Characters per line, as in the two-column layout of the verbatim records."""
LINES_PER_PAGE = 60


@dataclass(frozen=True)
class Speech:
    """One statement as the generator made it: the paragraphs an importer should recover."""

    id: str
    speaker: str
    country: str
    date: str
    meeting: int
    paragraphs: list[str]


def vocabulary(size: int = 20_000, seed: int = 0) -> list[str]:
    """The Council's words first (the most frequent), then `size` made-up rarer words."""
    rng = random.Random(seed)
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return WORDS + sorted(made - set(WORDS))


class Writer:
    """Random paragraphs over a Zipf vocabulary: word k is drawn with weight 1/k."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(seed=seed)
        weights = [1 / k for k in range(1, len(self.words) + 1)]
        total = sum(weights)
        self.cumulative = list(itertools.accumulate(w / total for w in weights))
        # A pool of sentences, reused: generating 1,000,000 paragraphs word by word takes minutes.
        self.sentences = [self._sentence() for _ in range(20_000)]

    def _sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=self.rng.randint(8, 28))
        return " ".join(words).capitalize() + self.rng.choice(".....?")

    def paragraph(self) -> str:
        """40-140 words: pooled sentences plus a number, so that no two paragraphs are alike."""
        count = self.rng.randint(2, 6)
        sentences = self.rng.sample(self.sentences, count)
        sentences.insert(self.rng.randrange(count), f"In {self.rng.randint(1995, 2017)}, paragraph "
                                                     f"{self.rng.randint(1, 99)} applied.")
        return " ".join(sentences)


def speeches(paragraphs: int, per_speech: int = 15, seed: int = 0) -> Iterator[Speech]:
    """`paragraphs` paragraphs in speeches of 1 to 2*per_speech-1 paragraphs (the last one shorter)."""
    writer = Writer(seed)
    rng = writer.rng
    made, number = 0, 0
    while made < paragraphs:
        count = min(rng.randint(1, 2 * per_speech - 1), paragraphs - made)
        meeting = 3500 + number // 20
        yield Speech(
            id=f"S-PV-{meeting}-{number:06d}",
            speaker=f"Mr. {rng.choice(SURNAMES)}",
            country=rng.choice(COUNTRIES),
            date=f"{1995 + number % 23}-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            meeting=meeting,
            paragraphs=[writer.paragraph() for _ in range(count)],
        )
        made += count
        number += 1


def pdf_text(speech: Speech, rng: random.Random) -> str:
    """The speech as `pdftotext` gives a verbatim record: wrapped lines, running heads, and page
    breaks (form feeds) that fall inside paragraphs, mid-sentence, or between them."""
    year, month, day = speech.date.split("-")
    title = "Small arms" if speech.meeting % 2 else "Non-proliferation of weapons of mass destruction"
    job = f"{year[2:]}-{rng.randint(10000, 99999)}"
    page = rng.randint(2, 30)
    pages = page + sum(map(len, speech.paragraphs)) // (COLUMN * LINES_PER_PAGE) + rng.randint(1, 20)
    blocks: list[list[str]] = []
    for i, text in enumerate(speech.paragraphs):
        if i == 0:
            text = f"{speech.speaker} ({speech.country}): {text}"
        # break_on_hyphens keeps `capacity-building` whole or splits it after its hyphen only.
        blocks.append(textwrap.wrap(text, COLUMN, break_long_words=False, break_on_hyphens=True))
    lines: list[str] = []
    used = rng.randint(0, LINES_PER_PAGE - 10)
    for block in blocks:
        for n, line in enumerate(block):
            # A page may end only where the text plainly runs on: mid-sentence, never after a
            # full stop, which a reader (and the importer) could not tell from a paragraph's end.
            mid_sentence = n > 0 and not block[n - 1].endswith((".", "?", "!", ":"))
            if used >= LINES_PER_PAGE and mid_sentence:
                lines += page_break(speech, title, job, page, pages, day, month, year)
                page, used = page + 1, 0
            lines.append(line)
            used += 1
        if used >= LINES_PER_PAGE:
            lines += page_break(speech, title, job, page, pages, day, month, year)
            page, used = page + 1, 0
        else:
            lines.append("")
            used += 1
    return "\n".join(lines).rstrip("\n") + "\n"


def page_break(speech: Speech, title: str, job: str, page: int, pages: int, day: str, month: str,
               year: str) -> list[str]:
    """Footer of one page, a form feed, header of the next: alternating sides like the records."""
    footer = [f"{job} {page}/{pages}" if page % 2 else f"{page}/{pages} {job}"]
    date = f"{day}/{month}/{year}"
    header = (f"S/PV.{speech.meeting} {title} {date}" if page % 2
              else f"{date} {title} S/PV.{speech.meeting}")
    return ["", *footer, "\f", header, ""]


def write_corpus(folder: Path, paragraphs: int, per_speech: int = 15, seed: int = 0) -> list[Speech]:
    """Write `paragraphs` paragraphs as .txt files (one speech each) under `folder`, spread over
    subfolders of 1,000 files; returns the speeches, with the paragraphs an import should find
    (left empty past 100,000 paragraphs, to keep memory small)."""
    rng = random.Random(seed + 1)
    written = []
    for n, speech in enumerate(speeches(paragraphs, per_speech, seed)):
        sub = folder / f"{n // 1000:04d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{speech.id}.txt").write_text(pdf_text(speech, rng), encoding="utf-8")
        written.append(Speech(speech.id, speech.speaker, speech.country, speech.date, speech.meeting,
                              [] if paragraphs > 100_000 else speech.paragraphs))
    return written


def documents(paragraphs: int, documents: int | None = None, seed: int = 0) -> Iterator[SourceDocument]:
    """The speeches of `speeches()` as import records (paragraphs already clean).

    `documents` sets the number of documents (paragraphs spread evenly) instead of speech lengths.
    """
    per_speech = max(1, paragraphs // documents) if documents else 15
    for speech in speeches(paragraphs, per_speech, seed):
        yield SourceDocument(id=speech.id, paragraphs=speech.paragraphs, source=f"synthetic/{speech.id}.txt",
                             speaker=speech.speaker, country=speech.country, date=speech.date)


def make_project(path: Path, paragraphs: int, documents_count: int | None = None,
                 codebook: Codebook | None = None, seed: int = 0) -> Project:
    """A new project at `path` with a synthetic corpus and the shipped codebook."""
    from store.codebook.parser import default_codebook_path, load_codebook

    codebook = codebook or load_codebook(default_codebook_path())
    project = Project.create(path, codebook)
    project.import_documents(documents(paragraphs, documents_count, seed))
    return project


def add_codings(project: Project, coders: list[str], agreement: float = 0.8, done_share: float = 1.0,
                prevalence: float = 0.2, seed: int = 0, alpha: float | None = None) -> None:
    """Codings for `coders` on the codes (not variables) of the project, written in bulk.

    A hidden true value per paragraph and code is copied by each coder with probability
    `agreement`, otherwise drawn afresh; two coders then agree beyond chance by about
    agreement², so `alpha=` (which sets agreement = sqrt(alpha)) gives Krippendorff's alpha
    close to `alpha` on every code. `done_share` of paragraphs are done by every coder.
    """
    if alpha is not None:
        agreement = math.sqrt(alpha)
    rng = random.Random(seed)
    codes = [c.id for c in project.codes() if c.kind == "code" and not c.retired]
    ids = [row[0] for row in project.db.execute("select id from paragraphs order by seq")]
    stamp = "2026-01-01T00:00:00.000000+00:00"
    for coder in coders:
        project.coder(coder)
    statuses, codings = [], []
    for pid in ids:
        if rng.random() >= done_share:
            continue
        truth = {c: rng.random() < prevalence for c in codes}
        for coder in coders:
            statuses.append((pid, coder, "done", 0, stamp))
            for code in codes:
                value = truth[code] if rng.random() < agreement else rng.random() < prevalence
                if value:
                    codings.append((pid, coder, code, 1, stamp))
    with project.transaction():
        conn: sqlite3.Connection = project.db
        conn.executemany(
            "insert or replace into paragraph_status (paragraph_id, coder_id, status, flagged, updated_at) "
            "values (?, ?, ?, ?, ?)", statuses)
        conn.executemany(
            "insert or replace into codings (paragraph_id, coder_id, code_id, value, updated_at) "
            "values (?, ?, ?, ?, ?)", codings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("corpus", "project"))
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--coders", type=int, default=0)
    parser.add_argument("--alpha", type=float, default=0.7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.what == "corpus":
        speeches_written = write_corpus(args.out, args.paragraphs, seed=args.seed)
        print(f"{len(speeches_written)} speeches, {args.paragraphs} paragraphs in {args.out}")
        return
    with make_project(args.out, args.paragraphs, seed=args.seed) as project:
        add_codings(project, [f"coder{i + 1}" for i in range(args.coders)], alpha=args.alpha, seed=args.seed)
    print(f"{args.out}: {args.paragraphs} paragraphs, {args.coders} coders at alpha ≈ {args.alpha}")


if __name__ == "__main__":
    main()
