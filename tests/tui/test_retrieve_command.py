"""`accord retrieve`: paragraphs by code, checked against the export a researcher would filter
by hand, on random projects (not-done paragraphs included, which count nowhere)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store import CONSENSUS, Project
from tests.helpers import code_two_coders, documents, small_codebook
from tui.cli import main

CODES = ["border_control", "wmd", "nuclear"]
TERMS = [*CODES, "stance=support", "stance=oppose"]
CODERS = ["alice", "bob", "carol"]
PARAGRAPHS = [f"doc1:{i}" for i in range(1, 5)] + [f"doc2:{i}" for i in range(1, 4)]


def run(path: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--project", str(path), *args])


def csv_of(path: Path, *args: str) -> pd.DataFrame:
    result = run(path, *args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)  # type: ignore[attr-defined]


# what one coder did on one paragraph: (status, codes applied, stance)
work = st.tuples(st.sampled_from([None, "done", "done", "skipped"]), st.sets(st.sampled_from(CODES)),
                 st.sampled_from([None, "support", "oppose"]))
projects = st.fixed_dictionaries({
    coder: st.lists(work, min_size=len(PARAGRAPHS), max_size=len(PARAGRAPHS)) for coder in CODERS
})
decisions = st.dictionaries(st.sampled_from(PARAGRAPHS), st.sets(st.sampled_from(CODES)), max_size=5)
queries = st.tuples(st.lists(st.sampled_from(TERMS), min_size=1, max_size=2, unique=True),
                    st.booleans(), st.lists(st.sampled_from(TERMS), max_size=1),
                    st.sampled_from([("--coder", "alice"), ("--consensus",), ("--majority",)]))


def build(path: Path, coded: dict[str, list[tuple[str | None, set[str], str | None]]],
          decided: dict[str, set[str]]) -> None:
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(4, 3))
        for coder, rows in coded.items():
            project.coder(coder)
            for paragraph, (status, applied, stance) in zip(PARAGRAPHS, rows, strict=True):
                for code in applied:
                    project.set_coding(paragraph, coder, code, 1)
                if stance:
                    project.set_coding(paragraph, coder, "stance", stance)
                if status:
                    project.set_status(paragraph, coder, status)
        for paragraph, applied in decided.items():
            for code in CODES:
                project.set_coding(paragraph, CONSENSUS, code, int(code in applied))
            project.set_status(paragraph, CONSENSUS, "done")


def brute_force(export: pd.DataFrame, include: list[str], any_: bool, exclude: list[str]) -> list[str]:
    """The rows a researcher keeps by hand: included codes 1 (or the level), excluded ones 0 (or
    another level); an empty cell (not done, coders split) is neither."""
    def has(term: str) -> pd.Series:
        code, _, level = term.partition("=")
        return export[code] == (level or "1")

    def lacks(term: str) -> pd.Series:
        code, _, level = term.partition("=")
        return (export[code] != "") & (export[code] != (level or "1"))

    hits = [has(term) for term in include]
    keep = pd.concat(hits, axis=1).any(axis=1) if any_ else pd.concat(hits, axis=1).all(axis=1)
    for term in exclude:
        keep &= lacks(term)
    return export.loc[keep, "paragraph_id"].tolist()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects, decisions, queries)
def test_retrieve_matches_the_export_filtered_by_hand(coded: dict, decided: dict, query: tuple) -> None:
    include, any_, exclude, whose = query
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accord.db"
        build(path, coded, decided)
        export = csv_of(path, "export", *whose)
        args = [a for term in include for a in ("--code", term)] + [a for term in exclude for a in ("--not", term)]
        got = csv_of(path, "retrieve", *args, *(["--any"] if any_ else []), *whose, "--format", "csv")
    expected = brute_force(export, include, any_, exclude)
    event(f"{len(expected) > 0} matches, {whose[0]}")
    assert got["paragraph_id"].tolist() == expected
    assert list(got.columns) == ["paragraph_id", "document_id", "position", "title", "speaker", "country", "date",
                                 "flag", "note", "text"]
    if len(got):
        by_id = export.set_index("paragraph_id")
        for column in ("document_id", "speaker", "country", "note", "text"):
            assert got[column].tolist() == by_id.loc[got["paragraph_id"], column].tolist()


@pytest.fixture
def coded(project: Project) -> Path:
    code_two_coders(project)
    return project.path


def test_jsonl_reads_back(coded: Path) -> None:
    result = run(coded, "retrieve", "--code", "border_control", "--coder", "alice", "--format", "jsonl")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert [row["paragraph_id"] for row in rows] == ["doc1:1", "doc1:2"]
    assert rows[0]["note"] == '=HYPERLINK("x")' and rows[0]["speaker"] == "Mr. Test"


def test_csv_file_neutralises_formulas_and_refuses_to_overwrite(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    assert run(coded, "retrieve", "--code", "border_control", "--coder", "alice", "-o", str(out)).exit_code == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["paragraph_id"].tolist() == ["doc1:1", "doc1:2"]
    assert frame.loc[0, "note"] == "'=HYPERLINK(\"x\")"
    again = run(coded, "retrieve", "--code", "border_control", "--coder", "alice", "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.output  # type: ignore[attr-defined]
    assert run(coded, "retrieve", "--code", "wmd", "--coder", "alice", "-o", str(out), "--force").exit_code == 0
    assert pd.read_csv(out, dtype=str)["paragraph_id"].tolist() == ["doc2:1"]


def test_consensus_and_not(coded: Path) -> None:
    # doc1:2 was adjudicated to border_control 0: only doc1:1 is the consensus's
    assert csv_of(coded, "retrieve", "--code", "border_control", "--format", "csv")["paragraph_id"].tolist() == ["doc1:1"]
    hits = csv_of(coded, "retrieve", "--code", "wmd", "--not", "nuclear", "--coder", "alice", "--format", "csv")
    assert hits.empty  # doc1:3 has wmd but is not done; doc2:1 has nuclear


def test_a_level_is_addressed_as_variable_equals_level(coded: Path) -> None:
    hits = csv_of(coded, "retrieve", "--code", "stance=support", "--consensus", "--format", "csv")
    assert hits["paragraph_id"].tolist() == ["doc1:1"]


def test_document_speaker_and_country_filters(coded: Path) -> None:
    base = ["retrieve", "--code", "border_control", "--coder", "alice", "--format", "csv"]
    assert csv_of(coded, *base, "--documents", "doc2")["paragraph_id"].tolist() == []
    assert csv_of(coded, *base, "--documents", "doc2,doc1")["paragraph_id"].tolist() == ["doc1:1", "doc1:2"]
    assert len(csv_of(coded, *base, "--speaker", "Mr. Test")) == 2
    assert len(csv_of(coded, *base, "--country", "Elsewhere")) == 0


def test_unknown_code_names_the_nearest(coded: Path) -> None:
    result = run(coded, "retrieve", "--code", "border_contrl")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "border_contrl" in result.output and "border_control" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    bad_level = run(coded, "retrieve", "--code", "stance=maybe")
    assert bad_level.exit_code == 1 and "support" in bad_level.output  # type: ignore[attr-defined]


def test_table_and_markdown_mark_the_keywords(tmp_path: Path) -> None:
    yaml = small_codebook().source.replace("    key: b\n", "    key: b\n    keywords: [border]\n", 1)
    from store import parse_codebook

    path = tmp_path / "kw.db"
    with Project.create(path, parse_codebook(yaml, "kw.yaml")) as project:
        project.import_documents(documents(2))
        project.set_coding("doc1:1", "alice", "border_control", 1)
        project.set_status("doc1:1", "alice", "done")
    md = run(path, "retrieve", "--code", "border_control", "--format", "md")
    assert md.exit_code == 0, md.output  # type: ignore[attr-defined]
    assert "| doc1:1 |" in md.stdout and "**border**" in md.stdout  # type: ignore[attr-defined]
    assert "doc1:2" not in md.stdout  # type: ignore[attr-defined]
    table = run(path, "retrieve", "--code", "border_control")
    assert table.exit_code == 0 and "doc1:1" in table.stdout  # type: ignore[attr-defined]
    assert "1 paragraph" in table.output  # type: ignore[attr-defined]


def test_a_retrieval_over_several_chunks_writes_every_row(coded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exports.retrieval

    monkeypatch.setattr(exports.retrieval, "CHUNK_PARAGRAPHS", 1)
    hits = csv_of(coded, "retrieve", "--code", "border_control", "--any", "--code", "wmd", "--coder", "alice",
                  "--format", "csv")
    assert hits["paragraph_id"].tolist() == ["doc1:1", "doc1:2", "doc2:1"]
