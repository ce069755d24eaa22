"""Synthetic projects for benchmarks: N paragraphs in D documents, C coders at a chosen agreement."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from store import Codebook, Project
from store.codebook import load_codebook
from store.records import SourceDocument

WORDS = (
    "the Council small arms light weapons illicit trade border control stockpile management "
    "disarmament demobilization reintegration nuclear chemical biological means of delivery "
    "women children gender perspective export control brokering terrorism non-State actors "
    "sanctions embargo Programme of Action Arms Trade Treaty Register cooperation assistance "
    "capacity-building regional organizations Member States resolution implementation national "
    "legislation marking tracing peacekeeping mandate civilians protection security development"
).split()


def documents(paragraphs: int, documents: int, seed: int = 0) -> Iterator[SourceDocument]:
    """`paragraphs` paragraphs of 40-120 words spread evenly over `documents` documents."""
    rng = random.Random(seed)
    per_document, extra = divmod(paragraphs, documents)
    for d in range(documents):
        count = per_document + (1 if d < extra else 0)
        texts = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))).capitalize() + "."
            for _ in range(count)
        ]
        yield SourceDocument(
            id=f"S-{d:06d}",
            paragraphs=texts,
            source=f"synthetic/{d:06d}.txt",
            speaker=f"Mr. Speaker{d % 97}",
            country=f"Country{d % 53}",
            date=f"20{d % 18 + 1:02d}-01-01",
        )


def make_project(path: Path, paragraphs: int, documents_count: int | None = None,
                 codebook: Codebook | None = None, seed: int = 0) -> Project:
    """A new project at `path` with a synthetic corpus and the shipped codebook."""
    from store.codebook import default_codebook_path

    codebook = codebook or load_codebook(default_codebook_path())
    project = Project.create(path, codebook)
    count = documents_count or max(1, paragraphs // 50)
    project.import_documents(documents(paragraphs, count, seed))
    return project


def add_codings(project: Project, coders: list[str], agreement: float = 0.8,
                done_share: float = 1.0, prevalence: float = 0.2, seed: int = 0) -> None:
    """Codings for `coders` on the codes (not variables) of the project, written in bulk.

    A hidden true value per paragraph and code is copied by each coder with probability
    `agreement`, otherwise drawn afresh; `done_share` of paragraphs are done by every coder.
    """
    rng = random.Random(seed)
    codes = [c.id for c in project.codes() if c.kind == "code"]
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
    with project.db.atomic():
        conn: sqlite3.Connection = project.db.conn
        conn.executemany(
            "insert or replace into paragraph_status (paragraph_id, coder_id, status, flagged, updated_at) "
            "values (?, ?, ?, ?, ?)", statuses)
        conn.executemany(
            "insert or replace into codings (paragraph_id, coder_id, code_id, value, updated_at) "
            "values (?, ?, ?, ?, ?)", codings)
