"""`accord overview` through the CLI: the demo project's HTML report with its charts, the file
formats read back, and the usage errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from store import Project, build_demo
from tests.helpers import code_two_coders, documents, small_codebook
from tui.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo"))


def run(path: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--project", str(path), "overview", *args])
    assert result.exit_code == code, result.output
    return result.output


def svg_shapes(svg: str) -> int:
    """Drawn shapes in an SVG: paths with data, rectangles, images."""
    return len(re.findall(r'<path[^>]* d="[^"]+"', svg)) + svg.count("<rect") + svg.count("<image")


def test_the_demo_html_shows_each_chart(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "overview.html"
    run(demo, "--by", "country", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert not re.search(r"<link|<script|src=", html)  # self-contained: nothing fetched
    for chart in ("frequencies", "matrix", "cooccurrence"):
        figure = re.search(rf'<figure id="{chart}">(.*?)</figure>', html, re.S)
        assert figure is not None, chart
        svg = figure.group(1)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert svg_shapes(svg) > 20, chart
    assert "<td>Peru</td>" in html  # a country of the demo, a row of the coverage table


def test_json_md_and_csv_agree(demo: Path, tmp_path: Path) -> None:
    data = json.loads(run(demo, "--majority", "--by", "document", "--format", "json"))
    assert set(data) >= {"frequencies", "cooccurrence", "jaccard", "coverage"}
    run(demo, "--majority", "--by", "document", "-o", str(tmp_path / "o.csv"))
    table = pd.read_csv(tmp_path / "o.csv")
    done = table[(table.section == "coverage") & (table.code == "done") & table.group.isna()]["count"].item()
    assert done == data["coverage"]["done"]
    for entry in data["frequencies"]:
        rows = table[(table.section == "frequency") & (table.code == entry["code"]) & table.group.isna()]
        if entry["level"] is not None:
            rows = rows[rows.level == entry["level"]]
        assert rows["count"].item() == entry["count"]
    pair = table[(table.section == "cooccurrence") & (table.code == "arms_trade") & (table.other == "wmd")]
    assert pair["count"].item() == data["cooccurrence"]["arms_trade"]["wmd"]
    markdown = run(demo, "--majority", "--format", "md")
    assert "## Co-occurrence" in markdown and "| `arms_trade` |" in markdown


def test_the_terminal_tables(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        code_two_coders(project)
    output = run(path, "--coder", "alice", "--by", "document")
    assert "Coverage" in output and "Frequencies" in output and "Co-occurrence" in output
    assert "border_control" in output and "doc1" in output


def test_usage_errors_and_an_existing_file(demo: Path, tmp_path: Path) -> None:
    assert "exclude each other" in run(demo, "--coder", "amina", "--majority", code=2)
    assert "do not apply" in run(demo, "--by", "coder", "--consensus", code=2)
    assert "no coder named 'zoe'" in run(demo, "--coder", "zoe", code=1)
    target = tmp_path / "o.json"
    target.write_text("keep me")
    assert "already exists" in run(demo, "-o", str(target), code=1)
    assert target.read_text() == "keep me"
    run(demo, "-o", str(target), "--force")
    assert json.load(io.StringIO(target.read_text()))["whose"] == "consensus"


def test_a_project_nobody_coded_has_nothing_to_count(db_empty: Path) -> None:
    assert "nobody has coded in this project yet: there is nothing to count" in run(db_empty, code=1)


@pytest.fixture
def db_empty(tmp_path: Path) -> Path:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(2))
    return path
