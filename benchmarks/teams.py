"""Scale of the team workflow: handout, merge and re-merge of coder files on a large corpus.

    python -m benchmarks.teams --paragraphs 1000000 --coders 3

Coders' work is written in bulk with SQL (as if each had coded every assigned paragraph), so
that the figures measure handout and merge, not the API's one-write-per-keypress path.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from store import Code, Codebook, Level, Project
from store.teams.handout import hand_out
from store.teams.merge import merge_files
from store.teams.adjudication import open_disagreements
from store.teams.handout import sample_progress
from store.intake.source import SourceDocument

CODES = [f"code{i}" for i in range(10)]


def codebook() -> Codebook:
    """Ten codes and one variable: the size of a real codebook."""
    return Codebook(
        title="Benchmark", version="1",
        codes=tuple(Code(id=c, label=c) for c in CODES),
        variables=(Code(id="stance", label="Stance", kind="single",
                        levels=(Level("support", "Supports"), Level("oppose", "Opposes"))),),
        source="codebook: Benchmark\n",
    )


def corpus(paragraphs: int, per_document: int = 50) -> list[SourceDocument]:
    return [
        SourceDocument(id=f"D{d:06d}", paragraphs=[f"Paragraph {p} of document {d} on arms." for p in range(per_document)])
        for d in range(paragraphs // per_document)
    ]


def hand_out_sample(project: Project, coders: list[str], out_dir: Path, share: float,
                    overlap: float = 0.2, seed: int = 1) -> dict[str, Path]:
    """`hand_out` of a sample of the corpus: every round(1/share)-th document (a team coding a
    sample of the speeches); each coder's file still holds the whole corpus.

    hand_out gives out every paragraph not yet assigned, so the rest of the corpus is assigned
    to a placeholder coder for the length of the call, then released: the lead and the files
    end up as if the sample alone had been handed out.
    """
    step = round(1 / share)
    conn = project.db
    with conn:
        conn.execute("insert into coders (id, name, created_at) values ('unsampled', 'unsampled', '')")
        conn.execute("insert into assignments (paragraph_id, coder_id) select p.id, 'unsampled' "
                     "from paragraphs p join documents d on d.id = p.document_id where d.position % ? != 0",
                     [step])
    try:
        return hand_out(project, coders, out_dir, overlap=overlap, seed=seed).files
    finally:
        with conn:
            conn.execute("delete from assignments where coder_id = 'unsampled'")
            conn.execute("delete from coders where id = 'unsampled'")


def code_everything(path: Path, coder: str, codes: list[str] = CODES, shift: int = 0) -> int:
    """Mark every assigned paragraph done with a third of `codes` applied, with the events to match."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            # Each paragraph gets the codes whose number matches its last digit, mod 3; with a
            # `shift`, the first two codes follow a shifted rule, so that coders disagree there.
            """insert into codings select a.paragraph_id, a.coder_id, c.value, 1,
                      strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'
               from assignments a, json_each(?) c where a.coder_id = ?
                 and (unicode(substr(a.paragraph_id, -1)) + c.key + (c.key < 2) * ?) % 3 = 0""",
            [str(codes).replace("'", '"'), coder, shift],
        )
        conn.execute(
            """insert into events (id, at, coder_id, paragraph_id, code_id, action, value)
               select lower(hex(randomblob(16))), updated_at, coder_id, paragraph_id, code_id, 'code', value
               from codings where coder_id = ?""", [coder])
        conn.execute(
            """insert into paragraph_status (paragraph_id, coder_id, status, updated_at)
               select paragraph_id, coder_id, 'done', strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'
               from assignments where coder_id = ?""", [coder])
    rows = conn.execute("select count(*) from codings").fetchone()[0]
    conn.close()
    return rows


class timed:
    """Wall and CPU seconds of a block: on a shared machine the CPU figure is the steadier one."""

    def __enter__(self) -> timed:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--coders", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="accord-teams-"))
    directory.mkdir(parents=True, exist_ok=True)
    coders = [f"coder{i}" for i in range(args.coders)]
    lead_path = directory / "lead.db"
    with timed() as took, Project.create(lead_path, codebook()) as lead:
        lead.import_documents(corpus(args.paragraphs))
    print(f"import {args.paragraphs:,} paragraphs: {took}")
    with Project.open(lead_path) as lead, timed() as took:
        report = hand_out(lead, coders, directory / "out", overlap=0.2, seed=1)
    print(f"handout to {len(coders)} coders: {took} ({report.sample:,} shared paragraphs)")
    codings = sum(code_everything(path, coder, shift=i) for i, (coder, path) in enumerate(report.files.items()))
    print(f"coders' files hold {codings:,} codings")
    with Project.open(lead_path) as lead:
        for label in ("merge", "merge again (no change)"):
            with timed() as took:
                merged = merge_files(lead, list(report.files.values()))
            print(f"{label} {len(coders)} files: {took}, {merged.rows_added:,} rows added, {merged.changed:,} changed")
        with timed() as took:
            lead.assignment_progress()
            sample_progress(lead)
            disagreeing = open_disagreements(lead)
        print(f"status figures (assignments, sample, {disagreeing:,} open disagreements): {took}")
    print(f"files in {directory}")


if __name__ == "__main__":
    main()
