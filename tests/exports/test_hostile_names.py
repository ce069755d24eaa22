"""Code ids that collide once made into Stata/SPSS names: every code keeps its own column."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports.varnames import MAX_LENGTH, RESERVED, valid_names
from store import Code, Codebook, Project
from tests.helpers import REPO, documents

LONG = "a" * 40
IDS = ["in", "byte", "str5", "flagged", "using", f"{LONG}_x", f"{LONG}_y", f"{LONG}_x_2"]
"""Valid code ids that Stata or SPSS refuse as they are, or that collide once cut to 31 characters."""
OWN_COLUMNS = ["speaker", "text", "paragraph_id"]


@given(st.lists(st.text(max_size=50), max_size=30))
def test_valid_names_are_valid_and_distinct(names: list[str]) -> None:
    out, renames = valid_names(names)
    assert len(out) == len(names)
    assert len({name.lower() for name in out}) == len(out)
    for name in out:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) and len(name) <= MAX_LENGTH
        assert name.lower() not in RESERVED
    if len(set(names)) == len(names):  # the renames map is keyed by the original name
        assert all(renames[old] == new for old, new in zip(names, out, strict=True) if old != new)


def coded_project(path: Path, ids: list[str]) -> Path:
    """Paragraph n of doc1 carries code n only, done by alice."""
    codebook = Codebook(title="T", codes=tuple(Code(id=i, label=f"Label of {i}") for i in ids), source="x")
    with Project.create(path, codebook) as project:
        project.import_documents(documents(len(ids)))
        for n, code in enumerate(ids, start=1):
            project.set_coding(f"doc1:{n}", "alice", code, 1)
            project.set_status(f"doc1:{n}", "alice", "done")
    return path


def export(path: Path, out: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", "--project", str(path), "export", "--coder", "alice",
                           "--format", fmt, "-o", str(out)], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("fmt", ["dta", "sav"])
def test_colliding_code_ids_each_keep_a_column(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    done = export(coded_project(tmp_path / "p.db", IDS), out, fmt)
    assert done.returncode == 0, done.stderr
    frame, meta = (pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav)(str(out))
    assert len({c.lower() for c in frame.columns}) == len(frame.columns)
    by_label = {label: column for column, label in meta.column_names_to_labels.items()}
    for n, code in enumerate(IDS, start=1):
        column = by_label[f"Label of {code}"]
        assert frame[column].tolist() == [1.0 if row == n else 0.0 for row in range(1, len(IDS) + 1)], code


def test_code_ids_that_are_export_columns_are_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    done = export(coded_project(tmp_path / "p.db", [*OWN_COLUMNS, "fine"]), out, "csv")
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert all(name in line for name in OWN_COLUMNS) and "rename" in line
    assert not out.exists()
