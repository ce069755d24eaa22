"""The merge benchmark's team: a sample of the corpus handed out, each file the whole corpus."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.teams import code_everything, hand_out_sample
from store import Project
from store.teams.merge import merge_files
from tests.helpers import documents, small_codebook


def test_a_sample_of_the_speeches_is_handed_out_and_merged_back(tmp_path: Path) -> None:
    lead = tmp_path / "lead.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(*[4] * 20))
    with Project.open(lead) as project:
        files = hand_out_sample(project, ["ann", "ben"], tmp_path / "out", share=0.25)
        handed = {row[0].split(":")[0] for row in project.db.execute("select paragraph_id from assignments")}
        coders = [row[0] for row in project.db.execute("select id from coders order by id")]
    # Every fourth document (by position), nothing else, no placeholder coder left.
    assert handed == {"doc4", "doc8", "doc12", "doc16", "doc20"}
    assert coders == ["ann", "ben"]
    for coder, path in files.items():
        conn = sqlite3.connect(path)
        assert conn.execute("select count(*) from paragraphs").fetchone()[0] == 80  # the whole corpus
        assert {row[0] for row in conn.execute("select distinct coder_id from assignments")} == {coder}
        conn.close()
        assert code_everything(path, coder, ["wmd", "nuclear", "border_control"]) > 0
    with Project.open(lead) as project:
        report = merge_files(project, list(files.values()))
        done = project.db.execute("select count(*) from paragraph_status where status = 'done'").fetchone()[0]
    assert report.rows_added > 0
    assert done == project_assignments(lead)


def project_assignments(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select count(*) from assignments").fetchone()[0]
    finally:
        conn.close()
