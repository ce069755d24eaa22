"""An export's paragraphs read as Arrow columns: the cells paragraph_rows gives, without a Python
object per cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Project
from store.intake.source import SourceDocument
from tests.helpers import small_codebook

ODD = ["Plain.", "Ça va ; « oui », 'non' \"peut-être\".", "", "line\nbreak\r\nand\rcr", "emoji 🕊️ end", "=1+2",
       "tab\there", "x" * 5000]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "p.db", small_codebook())
    project.import_documents([
        SourceDocument(id="007", paragraphs=ODD[:4]),
        SourceDocument(id="2017/S-PV-8140 (Resumption 1)", paragraphs=ODD[4:]),
        SourceDocument(id="ünï", paragraphs=["last"]),
    ])
    return project


@pytest.mark.parametrize("with_text", [True, False])
@pytest.mark.parametrize("first, last", [(1, 9), (2, 6), (9, 9), (4, 100), (20, 30)])
def test_the_columns_are_the_rows_paragraph_rows_reads(project: Project, first: int, last: int,
                                                       with_text: bool) -> None:
    rows = project.paragraph_rows(first, last, with_text)
    table = project.paragraph_columns(first, last, with_text)
    assert table.column_names == ["id", "document_id", "position", "seq", *(["text"] if with_text else [])]
    assert [tuple(row.values()) for row in table.to_pylist()] == rows
    assert str(table.schema.field("id").type) == "string" and str(table.schema.field("seq").type) == "int64"


def test_bytes_sqlite_holds_come_back_as_they_are(project: Project) -> None:
    # A NUL and a text past what SQLite's text functions read: the cells are read by their bytes.
    project.db.execute("update paragraphs set text = 'a' || char(0) || 'b' where seq = 2")
    project.db.execute("update paragraphs set id = null where seq = 3")  # never written by Accord: missing
    table = project.paragraph_columns(1, 4)
    assert [tuple(row.values()) for row in table.to_pylist()] == project.paragraph_rows(1, 4)
    assert table.column("text").to_pylist()[1] == "a\x00b"
    assert table.column("id").to_pylist() == ["007:1", "007:2", None, "007:4"]


def test_the_columns_come_in_seq_order_whatever_order_sqlite_reads_them_in(project: Project) -> None:
    # Without the seq index SQLite reads the table in rowid order, here the reverse of seq's.
    project.db.execute("drop index idx_paragraphs_seq")
    project.db.execute("update paragraphs set seq = 10 - seq")
    table = project.paragraph_columns(2, 8)
    assert table.column("seq").to_pylist() == list(range(2, 9))
    assert [tuple(row.values()) for row in table.to_pylist()] == project.paragraph_rows(2, 8)


@pytest.fixture
def coded(project: Project) -> Project:
    for coder, seqs in (("alice", range(1, 8)), ("bob", range(3, 10))):
        for seq in seqs:
            pid = project.paragraph_rows(seq, seq, False)[0][0]
            project.set_coding(pid, coder, "border_control", seq % 2)
            project.set_coding(pid, coder, "stance", "support" if seq % 3 else "oppose")
            project.set_status(pid, coder, "done" if seq % 4 else "skipped")
    project.set_note("007:3", "bob", "a note")
    project.set_flag("007:4", "alice", True)
    return project


def _columns(rows: list[tuple[object, ...]], width: int) -> list[list[object]]:
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


@pytest.mark.parametrize("coders", [None, ["alice"], ["bob", "alice"], ["nobody"]])
def test_statuses_and_codings_as_columns_are_the_rows(coded: Project, coders: list[str] | None) -> None:
    ids = [row[0] for row in coded.paragraph_rows(1, 9, False)]
    assert coded.status_columns_at(ids, coders) == _columns(coded.status_rows_at(ids, coders), 5)
    assert coded.coding_columns_at(ids, coders) == _columns(coded.coding_rows_at(ids, coders), 4)
    values = coded.coding_columns_at(ids, coders)[3]
    assert all(type(value) in (int, str) for value in values)


@pytest.mark.parametrize("forged", ["1.0", "x'01'", "'1'", "2"])
def test_a_value_only_another_program_writes_comes_back_as_the_rows_give_it(coded: Project, forged: str) -> None:
    # A real as bytes (VALUE_READ), a BLOB as bytes, a text as text: never the 1 they resemble.
    coded.db.execute(f"update codings set value = {forged} where paragraph_id = '007:3' and coder_id = 'alice' "
                     "and code_id = 'border_control'")
    coded.db.execute(f"update paragraph_status set status = {forged}, note = {forged} where paragraph_id = '007:4'")
    ids = [row[0] for row in coded.paragraph_rows(1, 9, False)]
    codings = coded.coding_columns_at(ids)
    assert codings == _columns(coded.coding_rows_at(ids), 4)
    assert [type(v) for v in codings[3]].count({"1.0": bytes, "x'01'": bytes, "'1'": str, "2": int}[forged]) >= 1
    assert coded.status_columns_at(ids) == _columns(coded.status_rows_at(ids), 5)
