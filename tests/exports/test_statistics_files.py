"""Stata, SPSS and Parquet files as statisticians open them: versions, storage types, formats,
value labels and dates, read back with pyreadstat, pandas and pyarrow (issue 12 item 17)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest
from click.testing import CliRunner

from store import Codebook, Project
from tests.helpers import code_two_coders, documents, small_codebook
from tui.cli import main


def project_with_dates(path: Path, dates: tuple[str | None, str | None]) -> Path:
    """code_two_coders' project, its two documents dated `dates`."""
    docs = [replace(doc, date=date) for doc, date in zip(documents(3, 2), dates, strict=True)]
    with Project.create(path, small_codebook()) as project:
        project.import_documents(docs)
        code_two_coders(project)
    return path


def export(path: Path, target: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["--project", str(path), "export", *args, "-o", str(target)])
    assert result.exit_code == 0, result.output


def test_stata_file_is_version_118_with_byte_codes_sharing_one_label_set(tmp_path: Path) -> None:
    path = project_with_dates(tmp_path / "p.db", ("2021-03-04", "2022-11-30"))
    target = tmp_path / "coded.dta"
    export(path, target, "--consensus")
    assert target.read_bytes().startswith(b"<stata_dta><header><release>118</release>")  # Stata 14 and later
    frame, meta = pyreadstat.read_dta(str(target))
    codes = ["border_control", "wmd", "nuclear"]
    assert {meta.readstat_variable_types[c] for c in codes} == {"int8"}  # Stata's byte
    assert meta.readstat_variable_types["stance"] == "int8"
    shared = {meta.variable_to_label[c] for c in codes}
    assert len(shared) == 1
    assert meta.value_labels[shared.pop()] == {0: "absent", 1: "present"}
    assert meta.variable_value_labels["stance"] == {1: "Supports", 2: "Opposes"}
    assert meta.variable_to_label["stance"] not in {meta.variable_to_label[c] for c in codes}
    assert len(meta.value_labels) == 2  # the codes' set and stance's: no copy per code
    assert meta.column_names_to_labels["border_control"] == "Border control"
    assert meta.original_variable_types["date"] == "%td"
    assert frame["date"].tolist() == [dt.date(2021, 3, 4)] * 3 + [dt.date(2022, 11, 30)] * 2
    assert frame["border_control"].tolist()[:2] == [1, 0] and frame["border_control"].isna().sum() == 3
    labelled = pd.read_stata(target)
    assert labelled["border_control"].tolist()[:2] == ["present", "absent"]
    assert labelled["stance"].tolist()[0] == "Supports"
    assert str(labelled["date"].dtype).startswith("datetime64")


def test_spss_codes_are_f1_with_labels_and_dates_are_dates(tmp_path: Path) -> None:
    path = project_with_dates(tmp_path / "p.db", ("2021-03-04", None))
    target = tmp_path / "coded.sav"
    export(path, target, "--all")
    frame, meta = pyreadstat.read_sav(str(target))
    for code in ("border_control", "wmd", "nuclear"):
        assert meta.original_variable_types[code] == "F1.0"
        assert meta.variable_value_labels[code] == {0: "absent", 1: "present"}
    assert meta.variable_value_labels["stance"] == {1: "Supports", 2: "Opposes"}
    assert meta.original_variable_types["date"].startswith("DATE")
    assert frame["date"].tolist()[:6] == [dt.date(2021, 3, 4)] * 6
    assert frame["date"].isna().tolist()[6:] == [True] * 4


def test_parquet_date_is_a_date(tmp_path: Path) -> None:
    path = project_with_dates(tmp_path / "p.db", ("2021-03-04", "2022-11-30"))
    target = tmp_path / "coded.parquet"
    export(path, target, "--consensus")
    assert pq.read_schema(target).field("date").type == pa.date32()
    frame = pd.read_parquet(target)
    assert frame["date"].tolist()[0] == dt.date(2021, 3, 4)
    documents_target = tmp_path / "documents.parquet"
    export(path, documents_target, "--consensus", "--unit", "document")
    assert pq.read_schema(documents_target).field("date").type == pa.date32()
    csv = tmp_path / "coded.csv"
    export(path, csv, "--consensus")
    assert pd.read_csv(csv)["date"].tolist()[0] == "2021-03-04"  # text formats keep the text


@pytest.mark.parametrize("dates", [("2021-03-04", "March 2022"), ("2021-02-30", None)])
def test_a_date_column_with_one_value_that_is_no_date_stays_text(tmp_path: Path, dates: tuple[str, str | None]) -> None:
    path = project_with_dates(tmp_path / "p.db", dates)
    export(path, tmp_path / "coded.parquet", "--consensus")
    assert pq.read_schema(tmp_path / "coded.parquet").field("date").type == pa.string()
    export(path, tmp_path / "coded.dta", "--consensus")
    frame, meta = pyreadstat.read_dta(str(tmp_path / "coded.dta"))
    assert meta.readstat_variable_types["date"] == "string" and frame["date"][0] == dates[0]


def test_many_levels_and_no_codes_still_write(tmp_path: Path) -> None:
    from store import Code, Level

    levels = tuple(Level(f"l{i}", f"Level {i}") for i in range(1, 131))
    codebook = Codebook(title="t", codes=(Code("many", "Many", kind="single", levels=levels),), source="x")
    with Project.create(tmp_path / "p.db", codebook) as project:
        project.import_documents(documents(2))
        project.set_coding("doc1:1", "alice", "many", "l130")
        project.set_status("doc1:1", "alice", "done")
    export(tmp_path / "p.db", tmp_path / "coded.dta")
    frame, meta = pyreadstat.read_dta(str(tmp_path / "coded.dta"))
    assert frame["many"].tolist()[0] == 130 and meta.variable_value_labels["many"][130] == "Level 130"


def test_long_paragraphs_and_many_rows_survive_the_narrowing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.intake.source import SourceDocument

    long = "word " * 1200  # past the 2,045 bytes of a fixed-width Stata string: a strL
    paragraphs = [f"{i} {long if i % 7 == 0 else 'short'}".strip() for i in range(300)]
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        project.import_documents([SourceDocument(id="d", paragraphs=paragraphs, date="2020-05-06")])
        for i in range(1, 301, 3):
            project.set_coding(f"d:{i}", "alice", "wmd", 1)
            project.set_coding(f"d:{i}", "alice", "stance", "oppose")
            project.set_status(f"d:{i}", "alice", "done")
        project.set_status("d:2", "alice", "done")
    import exports.stata

    monkeypatch.setattr(exports.stata, "BLOCK_BYTES", 1)  # one record at a time: the seams are tested too
    export(tmp_path / "p.db", tmp_path / "coded.dta")
    frame, meta = pyreadstat.read_dta(str(tmp_path / "coded.dta"))
    assert frame["text"].tolist() == [p.strip() for p in paragraphs]
    assert frame["wmd"].isna().tolist()[:3] == [False, False, True] and frame["wmd"].tolist()[:2] == [1, 0]
    assert frame["wmd"].sum() == 100 and frame["wmd"].notna().sum() == 101
    assert meta.variable_to_label["wmd"] == "absent_present" and frame["stance"].tolist()[0] == 2
    assert pd.read_stata(tmp_path / "coded.dta")["text"].tolist()[7] == paragraphs[7].strip()
