"""What it costs merge to check a coder file's paragraph texts, five ways, side by side.

    python -m benchmarks.merge_text_check --paragraphs 100000 --dir /tmp/accord-textcheck

A lead project and one coder's file from `handout` (coded in bulk as in benchmarks.teams), the
file ATTACHed to the lead's connection as merge does; each query is run warm, best of three.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.teams import code_everything, codebook, corpus
from store import Project
from store.teams.handout import hand_out
from store.intake.source import sha256_text

QUERIES = {
    "stored hashes compared (before)":
        "select o.id from s.paragraphs o join main.paragraphs m on m.id = o.id where m.sha256 != o.sha256",
    "texts compared, joined on id (merge before)":
        "select o.id from s.paragraphs o join main.paragraphs m on m.id = o.id where m.text is not o.text "
        "order by o.seq",
    "texts compared, joined on rowid (merge now)":
        "select count(*) from s.paragraphs o join main.paragraphs m on m.rowid = o.rowid "
        "where m.id = o.id and m.text is o.text",
    "file's texts hashed, every paragraph":
        "select o.id from s.paragraphs o where accord_sha256(o.text) is not o.sha256",
    "file's texts hashed, paragraphs with work to merge":
        """select o.id from s.paragraphs o where o.id in (
               select paragraph_id from s.codings union select paragraph_id from s.paragraph_status
               union select paragraph_id from s.events union select paragraph_id from s.assignments)
           and accord_sha256(o.text) is not o.sha256""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="accord-textcheck-"))
    directory.mkdir(parents=True, exist_ok=True)
    lead, coder = directory / "lead.db", directory / "out" / "lead-c0.db"
    if not coder.exists():
        with Project.create(lead, codebook()) as project:
            project.import_documents(corpus(args.paragraphs))
        with Project.open(lead) as project:
            report = hand_out(project, ["c0", "c1"], directory / "out", overlap=0.2, seed=1)
        code_everything(report.files["c0"], "c0")
    conn = sqlite3.connect(lead)
    conn.create_function("accord_sha256", 1, lambda t: sha256_text(t) if isinstance(t, str) else None,
                         deterministic=True)
    conn.execute("attach database ? as s", [str(coder)])
    for name, sql in QUERIES.items():
        conn.execute(sql).fetchall()  # warm the page cache
        times = []
        for _ in range(3):
            start = time.perf_counter()
            conn.execute(sql).fetchall()
            times.append(time.perf_counter() - start)
        print(f"{name:<52} {min(times) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
