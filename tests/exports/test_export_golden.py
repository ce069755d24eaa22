"""Golden exports: what `accord export` writes for a small project with three coders, an
adjudicator, notes, flags, a skipped paragraph, variables (one ordinal), a retired code,
metadata of several types and hostile cells, pinned as researchers get it.

A dataset is what researchers publish: these files must not change when the export is made
faster. CSV, TSV and JSON Lines are pinned byte for byte; Parquet, Stata and SPSS as read back
by pyarrow and pyreadstat (values, types, labels, metadata). Each export runs through the CLI
and again through build_dataset with chunks of two paragraphs, which must give the same file.

    ACCORD_WRITE_GOLDEN=1 pytest tests/exports/test_export_golden.py

writes the golden files anew (only for a change of output that is meant).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pyreadstat
import pytest
from click.testing import CliRunner

from exports.datasets import DatasetSpec, build_dataset, resolve_whose
from exports.writers import write_dataset
from store import CONSENSUS, Project
from store.codebook.parser import parse_codebook
from store.intake.source import SourceDocument
from tui.cli import main

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "export-golden"

YAML = """\
codebook: Golden codebook
version: "1"
codes:
  - id: border_control
    label: Border control
    key: b
  - id: wmd
    label: Weapons of mass destruction, "WMD"
    key: w
    children:
      - id: nuclear
        label: Nuclear
        key: n
  - id: old_code
    label: A code about to be retired
    key: o
variables:
  - id: stance
    label: Stance
    kind: single
    key: s
    levels:
      - {value: support, label: Supports}
      - {value: oppose, label: Opposes}
  - id: intensity
    label: Intensity
    kind: ordinal
    key: i
    levels:
      - {value: low, label: Low}
      - {value: mid, label: Middle}
      - {value: high, label: High}
"""

DOCUMENTS = [
    SourceDocument("doc1", ["Border control, first.", 'He said "stop", twice.', "=SUM(A1:A2) a formula.",
                            "Ünïcödé — text; with a tab\there."],
                   title="First, debate", speaker="Mr. One", country="Landia", date="2021-03-04",
                   meta={"year": 2001, "score": 1.5, "tags": ["a", "b"], "note": "clashes", "wmd": "too"}),
    SourceDocument("doc2", ["Plain paragraph.", "-minus first", "Another one."],
                   title=None, speaker="Ms. Two", country=None, date="2022-01-31",
                   meta={"year": 2002, "session": "+12"}),
    SourceDocument("doc3", ["Last document, only paragraph."], title="Third", speaker=None, country="Terra",
                   date="2023-12-25", meta={}),
]


def golden_project(path: Path) -> Project:
    project = Project.create(path, parse_codebook(YAML, "golden.yaml"))
    project.import_documents(DOCUMENTS)
    work: dict[str, dict[str, dict[str, object]]] = {
        "alice": {"doc1:1": {"border_control": 1, "stance": "support", "intensity": "high", "old_code": 1},
                  "doc1:2": {"border_control": 1, "wmd": 1, "intensity": "low"},
                  "doc1:3": {"wmd": 1, "nuclear": 1, "stance": "oppose"},
                  "doc2:1": {"border_control": 1},
                  "doc2:2": {"stance": "support"}},
        "bob": {"doc1:1": {"border_control": 1, "stance": "support", "intensity": "high"},
                "doc1:2": {"border_control": 0, "wmd": 1, "intensity": "mid"},
                "doc1:3": {"wmd": 1, "nuclear": 1, "stance": "oppose"},
                "doc2:3": {"nuclear": 1}},
        "carol": {"doc1:1": {"border_control": 1, "stance": "oppose"},
                  "doc1:2": {"border_control": 1, "intensity": "low"},
                  "doc2:1": {"border_control": 1, "old_code": 1},
                  "doc3:1": {"wmd": 1}},
    }
    for coder, paragraphs in work.items():
        for paragraph_id, values in paragraphs.items():
            for code_id, value in values.items():
                project.set_coding(paragraph_id, coder, code_id, value)
            project.set_status(paragraph_id, coder, "done")
    project.set_status("doc2:2", "alice", None)  # applied, then reopened: missing, not 0
    project.set_status("doc3:1", "bob", "skipped")
    project.set_coding("doc1:4", "alice", "wmd", 1)  # applied, never done
    project.set_note("doc1:1", "alice", '=HYPERLINK("x"), with a comma')
    project.set_note("doc1:2", "bob", "line one\nline two")
    project.set_note("doc1:2", "carol", "   ")
    project.set_flag("doc1:2", "bob", True)
    project.set_flag("doc2:1", "carol", True)
    # The adjudicator: settles doc1:2, keeps doc1:1's unanimous codes with a variable of its own,
    # keeps carol's values on doc2:1 (single coder), and gives a reason.
    for paragraph_id, values in {"doc1:2": {"border_control": 1, "wmd": 1, "intensity": "low"},
                                 "doc2:1": {"border_control": 1, "old_code": 1},
                                 "doc1:1": {"border_control": 1, "intensity": "high", "old_code": 0}}.items():
        for code_id, value in values.items():
            project.set_coding(paragraph_id, CONSENSUS, code_id, value)
        project.set_status(paragraph_id, CONSENSUS, "done")
    project.set_note("doc1:2", CONSENSUS, "Two of three; the codebook says so.")
    retired = YAML.replace("  - id: old_code\n    label: A code about to be retired\n    key: o\n", "")
    project.apply_codebook(parse_codebook(retired + "# v2\n", "golden.yaml"), retire=True)
    return project


CHOICES = {
    "alice": ["--coder", "alice"],
    "consensus": ["--consensus"],
    "default": [],
    "majority": ["--majority"],
    "all": ["--all"],
    "alice-no-text": ["--coder", "alice", "--no-text"],
    "consensus-long": ["--consensus", "--long"],
    "all-long": ["--all", "--long"],
    "consensus-documents": ["--consensus", "--unit", "document"],
    "all-documents": ["--all", "--unit", "document"],
}
TEXT = ("csv", "tsv", "jsonl")
BINARY = ("parquet", "dta", "sav")
CASES = [(name, fmt) for name in CHOICES for fmt in TEXT + BINARY
         if fmt in TEXT or name in ("alice", "consensus", "all", "consensus-long", "consensus-documents")]


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "golden.db"
    golden_project(path).close()
    return path


def _plain(value: Any) -> Any:
    """A value read back, as JSON keeps it: NaN as None, dates and numbers' types told apart."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, (str, int, bool)):
        return value
    return {type(value).__name__: str(value)}


def read_back(path: Path, fmt: str) -> Any:
    """The file as the researcher's library reads it."""
    if fmt in TEXT:
        return path.read_bytes().decode("utf-8")
    if fmt == "parquet":
        table = pq.read_table(path)
        metadata = {key.decode(): value.decode() for key, value in (table.schema.metadata or {}).items()}
        assert metadata.pop("accord.project_id")  # a new id each time the project is made
        pandas_meta = json.loads(metadata.pop("pandas"))
        pandas_meta.pop("creator", None)
        pandas_meta.pop("pandas_version", None)
        frame = table.to_pandas()
        return {
            "fields": [{"name": f.name, "type": str(f.type), "nullable": f.nullable,
                        "metadata": {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}}
                       for f in table.schema],
            "metadata": metadata,
            "pandas": pandas_meta,
            "pandas_dtypes": {name: str(dtype) for name, dtype in frame.dtypes.items()},
            "rows": [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()],
        }
    reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
    frame, meta = reader(str(path))
    return {
        "columns": meta.column_names,
        "labels": meta.column_labels,
        "value_labels": {k: {str(n): v for n, v in labels.items()} for k, labels in meta.variable_value_labels.items()},
        "types": meta.readstat_variable_types,
        "formats": meta.original_variable_types,
        "measures": meta.variable_measure,
        "file_label": meta.file_label,
        "dtypes": {name: str(dtype) for name, dtype in frame.dtypes.items()},
        "rows": [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")],
    }


def golden(name: str, fmt: str, found: Any) -> Any:
    """The pinned read-back of this export (written anew under ACCORD_WRITE_GOLDEN=1)."""
    path = GOLDEN / (f"{name}.{fmt}" if fmt in TEXT else f"{name}.{fmt}.json")
    if os.environ.get("ACCORD_WRITE_GOLDEN") and found is not None:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        if fmt in TEXT:
            path.write_bytes(found.encode("utf-8"))
        else:
            path.write_text(json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    if fmt in TEXT:
        return path.read_bytes().decode("utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_export_is_the_golden_file(project_file: Path, tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["--project", str(project_file), "export", *CHOICES[name], "-o", str(target)])
    assert result.exit_code == 0, result.output
    found = read_back(target, fmt)
    if fmt not in TEXT:
        found = json.loads(json.dumps(found, ensure_ascii=False, sort_keys=True))
    assert found == golden(name, fmt, found)


@pytest.mark.parametrize(("name", "fmt"), [case for case in CASES if case[1] in ("csv", "parquet")])
def test_small_chunks_give_the_same_file(project_file: Path, tmp_path: Path, name: str, fmt: str) -> None:
    arguments = CHOICES[name]
    whose = next((w for w in ("consensus", "majority", "all") if f"--{w}" in arguments), "coder")
    spec = DatasetSpec(whose=whose, coder="alice" if "--coder" in arguments else None, long="--long" in arguments,
                       unit="document" if "document" in arguments else "paragraph", text="--no-text" not in arguments)
    target = tmp_path / f"out.{fmt}"
    with Project.open(project_file) as project:
        seen: list[int] = []
        dataset = build_dataset(project, resolve_whose(project, spec), on_progress=seen.append, chunk_size=2)
        write_dataset(dataset, fmt, target)
    assert sum(seen) == 8 and len(seen) == 4  # the progress bar moves chunk by chunk
    found = read_back(target, fmt)
    if fmt not in TEXT:
        found = json.loads(json.dumps(found, ensure_ascii=False, sort_keys=True))
    assert found == golden(name, fmt, None)
