"""`accord agree` as a researcher runs it: on a real project file, reading back what it writes."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import krippendorff
import pandas as pd
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import code_paragraphs, documents, small_codebook
from tui.cli import main


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """ann and bob double-coded five paragraphs; consensus adjudicated two."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        code_paragraphs(project, "ann", {
            "doc1:1": {"border_control": 1, "stance": "support"}, "doc1:2": {"border_control": 1},
            "doc1:3": {"wmd": 1}, "doc2:1": {"wmd": 1, "stance": "oppose"}, "doc2:2": {},
        })
        code_paragraphs(project, "bob", {
            "doc1:1": {"border_control": 1, "stance": "support"}, "doc1:2": {},
            "doc1:3": {"wmd": 1}, "doc2:1": {"wmd": 1, "stance": "support"}, "doc2:2": {"border_control": 1},
        })
        code_paragraphs(project, "consensus", {"doc1:1": {"nuclear": 1}, "doc1:2": {"nuclear": 1}})
    return path


def run(path: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(path), "agree", *args])


def test_table_lists_every_code_with_its_verdict(project_path: Path) -> None:
    result = run(project_path, "--seed", "1")
    assert result.exit_code == 0, result.output
    for code in ("border_control", "wmd", "nuclear", "stance"):
        assert code in result.stdout
    assert "ann – bob" in result.stdout
    assert "consensus" not in result.stdout
    assert "border_control (2): doc1:2, doc2:2" in result.stdout
    assert "Cohen's κ per code and pair" in result.stdout


def test_json_is_complete_and_matches_the_krippendorff_package(project_path: Path) -> None:
    result = run(project_path, "--format", "json", "--bootstrap", "300", "--seed", "5")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "accord-agreement/2"
    assert report["coders"] == ["ann", "bob"] and report["units"] == 5
    assert report["bootstrap"] == {"replicates": 300, "seed": 5, "confidence": 0.95}
    codes = {c["code"]: c for c in report["codes"]}
    border = codes["border_control"]
    expected = krippendorff.alpha([[1, 1, 0, 0, 0], [1, 0, 0, 0, 1]], level_of_measurement="nominal")
    assert border["krippendorff_alpha"]["value"] == pytest.approx(expected, abs=1e-12)
    assert border["krippendorff_alpha"]["low"] <= border["krippendorff_alpha"]["high"]
    assert border["splits"] == [
        {"paragraph_id": "doc1:2", "values": {"ann": 1, "bob": 0}},
        {"paragraph_id": "doc2:2", "values": {"ann": 0, "bob": 1}},
    ]
    assert codes["wmd"]["verdict"] == "reliable" and codes["wmd"]["krippendorff_alpha"]["value"] == 1.0
    nuclear = codes["nuclear"]  # only consensus applied it: absent for ann and bob everywhere
    assert nuclear["krippendorff_alpha"]["value"] is None and "variation" in nuclear["krippendorff_alpha"]["reason"]
    assert codes["stance"]["units"] == 2 and codes["stance"]["percent_agreement"]["value"] == 0.5
    assert report["pairs"][0]["coders"] == ["ann", "bob"]
    again = json.loads(run(project_path, "--format", "json", "--bootstrap", "300", "--seed", "5").stdout)
    assert again["codes"] == report["codes"]  # the seed makes the interval reproducible


def test_csv_reads_back_with_pandas(project_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "agreement.csv"
    result = run(project_path, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and result.stdout == ""
    table = pd.read_csv(target).set_index("code")
    assert list(table.index) == ["border_control", "wmd", "nuclear", "stance"]
    assert table.loc["wmd", "krippendorff_alpha"] == 1.0
    assert math.isnan(table.loc["nuclear", "krippendorff_alpha"])
    assert "variation" in table.loc["nuclear", "note"]
    assert table.loc["border_control", "units"] == 5


def test_html_is_one_self_contained_file(project_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "agreement.html"
    assert run(project_path, "--format", "html", "-o", str(target)).exit_code == 0
    html = target.read_text(encoding="utf-8")
    with Project.open(project_path) as project:
        sha = project.codebook_sha256()
    assert html.startswith("<!DOCTYPE html>") and sha in html
    assert html.count("<svg") == 2  # alpha per code, pairwise kappa heat map
    for external in ("<script", "<link", 'src="http', "url(http", "@import"):
        assert external not in html
    assert "Krippendorff" in html and "Gwet" in html and "Paragraph 2 of doc1" in html
    tables = pd.read_html(io.StringIO(html))
    assert list(tables[0]["Code"]) == ["Border control border_control", "WMD wmd", "Nuclear nuclear", "Stance stance"]


def test_markdown_report(project_path: Path) -> None:
    result = run(project_path, "--format", "md", "--bootstrap", "0")
    assert result.exit_code == 0
    assert "| Code | Units |" in result.stdout
    assert "## Methods" in result.stdout and "ann, bob" in result.stdout
    assert "`doc1:2` (ann 1, bob 0)" in result.stdout
    assert "| wmd | 1.000 |" in result.stdout  # Cohen's kappa per code and pair


def test_existing_file_is_kept_without_force(project_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "agreement.json"
    target.write_text("keep me")
    result = run(project_path, "--format", "json", "-o", str(target))
    assert result.exit_code == 1 and "already exists" in result.output and "--force" in result.output
    assert target.read_text() == "keep me"
    assert run(project_path, "--format", "json", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text())["units"] == 5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_filters(project_path: Path) -> None:
    result = run(project_path, "--format", "json", "--codes", "wmd,stance", "--documents", "doc2", "--bootstrap", "0")
    report = json.loads(result.stdout)
    assert [c["code"] for c in report["codes"]] == ["wmd", "stance"] and report["units"] == 2
    only_ann = json.loads(run(project_path, "--format", "json", "--coders", "ann").stdout)
    assert only_ann["units"] == 0 and only_ann["codes"][0]["krippendorff_alpha"]["value"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--codes", "nope"], "no code or variable 'nope'"), (["--coders", "zed"], "no coder 'zed'"),
     (["--documents", "doc9"], "no document with id 'doc9'")],
)
def test_unknown_names_fail_in_one_line(project_path: Path, args: list[str], message: str) -> None:
    result = run(project_path, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_output_needs_a_file_format(project_path: Path, tmp_path: Path) -> None:
    result = run(project_path, "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and "--format" in result.output


def test_project_without_double_coding_explains(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    Project.create(path, small_codebook()).close()
    result = run(path)
    assert result.exit_code == 0
    assert "No paragraph has been done by two coders yet" in result.stderr


def test_import_codings_then_agree(tmp_path: Path) -> None:
    path = tmp_path / "legacy.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3))
    csv_file = tmp_path / "spreadsheet.csv"
    csv_file.write_text("paragraph_id,coder,border_control,wmd\n"
                        "doc1:1,ann,1,0\ndoc1:2,ann,0,1\ndoc1:3,ann,1,1\n"
                        "doc1:1,bob,1,0\ndoc1:2,bob,0,1\ndoc1:3,bob,0,1\n")
    result = CliRunner().invoke(main, ["--project", str(path), "import-codings", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "6 paragraphs done by ann, bob" in result.stderr
    report = json.loads(run(path, "--format", "json", "--bootstrap", "0").stdout)
    codes = {c["code"]: c for c in report["codes"]}
    assert report["units"] == 3
    assert codes["wmd"]["krippendorff_alpha"]["value"] == 1.0
    assert [s["paragraph_id"] for s in codes["border_control"]["splits"]] == ["doc1:3"]


def test_import_codings_refuses_a_bad_file_whole(tmp_path: Path, project_path: Path) -> None:
    before = json.loads(run(project_path, "--format", "json", "--bootstrap", "0").stdout)
    bad = tmp_path / "bad.csv"
    bad.write_text("paragraph_id,coder,code\ndoc1:1,cem,wmd\nnowhere:1,cem,wmd\n")
    result = CliRunner().invoke(main, ["--project", str(project_path), "import-codings", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:3: no paragraph 'nowhere:1'" in result.output and "nothing was imported" in result.output
    after = json.loads(run(project_path, "--format", "json", "--bootstrap", "0").stdout)
    assert after["coders"] == before["coders"] == ["ann", "bob"]


def test_json_shape_is_the_documented_one(project_path: Path) -> None:
    """The keys scripts rely on (exports/agreement_report.py); changing them needs a new `format`."""
    report = json.loads(run(project_path, "--format", "json", "--bootstrap", "20").stdout)
    assert list(report) == ["format", "project", "codebook_sha256", "created_at", "coders", "units", "bootstrap",
                            "codes", "pairs"]
    code = report["codes"][0]
    assert list(code) == ["code", "label", "kind", "level", "units", "coders", "prevalence", "percent_agreement",
                          "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "verdict", "verdict_reason", "minimum_units",
                          "warning", "pairs", "splits"]
    assert list(code["krippendorff_alpha"]) == ["value", "reason", "low", "high", "interval_reason"]
    assert list(code["pairs"][0]) == ["coders", "units", "percent_agreement", "cohen_kappa"]
    assert list(report["pairs"][0]) == ["coders", "units", "percent_agreement", "mean_kappa"]


def test_agree_never_loads_textual(project_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from tui.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(project_path)!r}, 'agree', '--format', 'html', "
        "'--bootstrap', '10']); assert r.exit_code == 0, r.output; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_report_format_follows_the_extension_of_the_output(project_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "agreement.html"
    result = run(project_path, "--bootstrap", "0", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text().lstrip().lower().startswith("<!doctype html")
    target = tmp_path / "agreement.json"
    assert run(project_path, "--bootstrap", "0", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["units"] == 5
    result = run(project_path, "--bootstrap", "0", "--format", "md", "-o", str(tmp_path / "a.html"))
    assert result.exit_code == 2 and "a.html" in result.stderr and not (tmp_path / "a.html").exists()
    result = run(project_path, "--bootstrap", "0", "-o", str(tmp_path / "a.pdf"))
    assert result.exit_code == 2 and ".md, .html, .json, .csv" in result.stderr


def test_codes_whose_alpha_is_undefined_for_one_reason_share_one_line(tmp_path: Path) -> None:
    """A season's first agree printed one line per code without variation: 13 of 22 lines."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        code_paragraphs(project, "ann", {"doc1:1": {"border_control": 1}, "doc1:2": {}, "doc1:3": {}})
        code_paragraphs(project, "bob", {"doc1:1": {"border_control": 1}, "doc1:2": {}, "doc1:3": {"border_control": 1}})
    result = run(path, "--seed", "1")
    assert result.exit_code == 0, result.output
    undefined = [line for line in result.stdout.splitlines() if line.startswith("α undefined")]
    assert len(undefined) == 2, undefined
    assert undefined[0].startswith("α undefined for wmd, nuclear: all pairable values are the same")
    assert undefined[1].startswith("α undefined for stance: no unit was coded by at least two coders")
