"""`accord export` as a researcher runs it: files, stdout, refusals, messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
from click.testing import CliRunner

from store import Project
from tests.helpers import code_two_coders
from tui.cli import main


def run(project: Project, *args: str) -> object:
    return CliRunner().invoke(main, ["--project", str(project.path), "export", *args])


def test_csv_to_stdout_and_data_only(project: Project) -> None:
    code_two_coders(project)
    result = run(project, "--coder", "alice", "--no-text")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("status,flag,note") and len(lines) == 6


def test_dta_opens_in_pandas_with_labels(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "consensus.dta"
    result = run(project, "--consensus", "--format", "dta", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote 5 rows" in result.stderr
    labelled = pd.read_stata(target)
    assert labelled["border_control"].tolist()[:2] == ["present", "absent"]
    reader = pd.io.stata.StataReader(target)
    with reader:
        assert reader.variable_labels()["border_control"] == "Border control"


def test_sav_opens_in_pyreadstat(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "all.sav"
    assert run(project, "--all", "--format", "sav", "-o", str(target)).exit_code == 0
    frame, meta = pyreadstat.read_sav(str(target), apply_value_formats=True)
    assert len(frame) == 10 and meta.variable_value_labels["wmd"] == {0: "absent", 1: "present"}


def test_refusals_are_one_line_errors(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    existing = tmp_path / "x.csv"
    existing.write_text("keep")
    result = run(project, "--coder", "alice", "-o", str(existing))
    assert result.exit_code == 1 and "already exists; pass --force" in result.output
    assert existing.read_text() == "keep"
    assert run(project, "--coder", "alice", "-o", str(existing), "--force").exit_code == 0
    assert run(project, "--coder", "alice", "--all").exit_code == 2
    result = run(project)
    assert result.exit_code == 0 and "Exporting the consensus" in result.stderr
    result = run(project, "--coder", "alice", "--format", "parquet")
    assert result.exit_code == 1 and "-o FILE" in result.output


def test_document_unit_and_long(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "docs.parquet"
    assert run(project, "--coder", "alice", "--unit", "document", "--format", "parquet", "-o", str(target)).exit_code == 0
    assert pd.read_parquet(target).set_index("document_id").loc["doc1", "border_control_n"] == 2
    result = run(project, "--coder", "alice", "--long", "--format", "tsv")
    assert result.stdout.splitlines()[0] == "paragraph_id\tdocument_id\tposition\tcode\tvalue"


def test_export_never_loads_textual(project: Project) -> None:
    import subprocess
    import sys

    from tests.helpers import REPO

    code_two_coders(project)
    project.close()
    script = (
        "import sys; from click.testing import CliRunner; from tui.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(project.path)!r}, 'export', '--coder', 'alice']); "
        "sys.exit(1 if 'textual' in sys.modules or r.exit_code else 0)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_document_dta_with_the_default_codebook_shortens_long_labels(tmp_path: Path) -> None:
    from store.codebook.parser import default_codebook_path, load_codebook
    from tests.helpers import documents

    with Project.create(tmp_path / "accord.db", load_codebook(default_codebook_path())) as project:
        project.import_documents(documents(2))
        project.set_coding("doc1:1", "ben", "ddr", 1)
        project.set_status("doc1:1", "ben", "done")
        target = tmp_path / "doc.dta"
        result = run(project, "--coder", "ben", "--unit", "document", "--format", "dta", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with pd.io.stata.StataReader(target) as reader:
        labels = reader.variable_labels()
    assert labels["ddr_share"] == "DDR: share of coded paragraphs with a value"
    assert all(len(label) <= 80 for label in labels.values())
    assert pd.read_stata(target)["ddr_n"].tolist() == [1]
    assert "Column 'ddr_share' has the shorter label 'DDR: share of coded paragraphs with a value'" in result.stderr


def test_whose_codings_options_exclude_each_other(project: Project) -> None:
    code_two_coders(project)
    for first, second in (("--consensus", "--majority"), ("--majority", "--all"), ("--consensus", "--all")):
        result = run(project, first, second)
        assert result.exit_code == 2 and not result.stdout
        assert f"{first} and {second} exclude each other" in result.stderr
    result = run(project, "--coder", "alice", "--majority")
    assert result.exit_code == 2 and "--coder and --majority exclude each other" in result.stderr
    assert run(project, "--majority", "--no-text").stdout.splitlines()[0].endswith("coders_done,flag,note")


def test_the_format_follows_the_extension_of_the_output(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "x.dta"
    result = run(project, "--consensus", "-o", str(target))
    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_dta(str(target))
    assert len(frame) == 5 and meta.variable_value_labels
    for extension, read in ((".sav", lambda p: pyreadstat.read_sav(str(p))[0]), (".parquet", pd.read_parquet),
                            (".tsv", lambda p: pd.read_csv(p, sep="\t")), (".jsonl", lambda p: pd.read_json(p, lines=True))):
        target = tmp_path / f"x{extension}"
        assert run(project, "--consensus", "-o", str(target)).exit_code == 0
        assert list(read(target)["paragraph_id"]) == ["doc1:1", "doc1:2", "doc1:3", "doc2:1", "doc2:2"]
    target = tmp_path / "x.QDPX"
    result = run(project, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"


def test_a_format_contradicting_the_extension_is_refused(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "x.dta"
    result = run(project, "--consensus", "--format", "csv", "-o", str(target))
    assert result.exit_code == 2 and not target.exists()
    assert "x.dta" in result.stderr and "--format csv" in result.stderr and "dta" in result.stderr
    result = run(project, "--consensus", "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and not (tmp_path / "x.txt").exists()
    assert "x.txt" in result.stderr and ".csv, .tsv, .jsonl, .parquet, .dta, .sav, .qdpx" in result.stderr
    # An unknown extension with --format says what it is: written as asked.
    assert run(project, "--consensus", "--format", "csv", "-o", str(tmp_path / "x.txt")).exit_code == 0
    assert (tmp_path / "x.txt").read_text().startswith("paragraph_id,")
    # No -o: CSV on stdout, as before.
    assert run(project, "--consensus", "--no-text").stdout.startswith("paragraph_id,document_id")


def test_consensus_keeps_the_coders_notes_beside_the_adjudicators_reason(project: Project, tmp_path: Path) -> None:
    from store import decide

    code_two_coders(project)
    project.set_note("doc1:2", "alice", "the border is mentioned in passing")
    project.set_note("doc1:2", "bob", "not about control")
    decide(project, "doc1:2", "border_control", 0, reason="only a passing mention")
    target = tmp_path / "consensus.csv"
    assert run(project, "--consensus", "-o", str(target)).exit_code == 0
    notes = pd.read_csv(target).set_index("paragraph_id")["note"]
    assert notes["doc1:2"] == ("consensus: border_control: only a passing mention | "
                               "alice: the border is mentioned in passing | bob: not about control")


def test_basis_tells_adjudicated_unanimous_and_single_coder_apart(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    project.close()
    accepted = CliRunner().invoke(main, ["--project", str(project.path), "adjudicate", "--accept-unanimous"])
    assert accepted.exit_code == 0, accepted.output
    target = tmp_path / "consensus.csv"
    assert run(project, "--consensus", "-o", str(target)).exit_code == 0
    rows = pd.read_csv(target).set_index("paragraph_id")
    assert rows.loc["doc1:1", "basis"] == "unanimous"  # alice and bob agree
    assert rows.loc["doc1:2", "basis"] == "adjudicated"  # they disagreed; consensus decided
    assert rows.loc["doc2:1", "basis"] == "single coder"  # alice alone, accepted as she coded it
    assert rows.loc["doc2:1", ["wmd", "nuclear"]].tolist() == [1, 1]
    assert rows.loc[["doc1:3", "doc2:2"], "basis"].isna().all()
