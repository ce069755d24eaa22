"""`accord retrieve`, `accord overview` and `accord agree --over time / --by document` load only
what they use: no pandas for a view (the chosen values are NumPy columns; the drift's stamps are
read as NumPy arrays), no matplotlib for a chart (written as SVG by exports/svg.py).

Each command runs in a fresh interpreter, as a researcher runs it, and reports which heavy
libraries it loaded: importing pandas alone cost half a second of a one-second view."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from store import build_demo

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "matplotlib")

VIEWS = [
    ["overview"], ["overview", "--format", "md"], ["overview", "--format", "csv"], ["overview", "--format", "json"],
    ["overview", "--format", "html"], ["overview", "--by", "document", "--format", "json"],
    ["overview", "--by", "coder", "--format", "csv"], ["overview", "--majority", "--by", "country", "--format", "html"],
    ["overview", "--by", "year"], ["overview", "--coder", "amina", "--by", "speaker", "--format", "md"],
    ["retrieve", "--code", "border_control"], ["retrieve", "--code", "border_control", "--format", "md"],
    ["retrieve", "--code", "border_control", "--any", "--code", "wmd", "--format", "csv"],
    ["retrieve", "--code", "wmd", "--majority", "--format", "jsonl"],
    ["agree", "--by", "document"], ["agree", "--by", "document", "--format", "json"],
    ["agree", "--over", "time", "--format", "csv"],
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo"))


def loaded(project: Path, args: list[str]) -> tuple[int, str, list[str]]:
    code = (
        "import json, sys; from click.testing import CliRunner; from tui.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(project)!r}, *sys.argv[1:]]); "
        f"print(json.dumps([r.exit_code, r.output[-2000:], sorted(m for m in {HEAVY!r} if m in sys.modules)]))"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    exit_code, output, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    return exit_code, output, heavy


@pytest.mark.parametrize("args", VIEWS, ids=lambda args: " ".join(args))
def test_a_view_loads_neither_pandas_nor_matplotlib(demo: Path, args: list[str]) -> None:
    exit_code, output, heavy = loaded(demo, args)
    assert exit_code == 0, output
    assert output.strip()  # it showed something
    assert heavy == [], f"{' '.join(args)} loaded {heavy}"


def test_chart_labels_are_text_a_browser_renders(demo: Path, tmp_path: Path) -> None:
    """Labels as <text> elements (selectable, searchable, sharp at any zoom), not glyph outlines."""
    from click.testing import CliRunner

    from tui.cli import main

    target = tmp_path / "overview.html"
    result = CliRunner().invoke(main, ["--project", str(demo), "overview", "--by", "country", "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    for chart in ("frequencies", "matrix", "cooccurrence"):
        svg = re.search(rf'<figure id="{chart}">(.*?)</figure>', html, re.S).group(1)  # type: ignore[union-attr]
        texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
        assert "border_control" in texts, chart  # a code's name, as the axis shows it
        assert not re.search(r"<defs>.*glyph|DejaVu", svg, re.S), chart  # no font drawn as paths
    matrix = re.search(r'<figure id="matrix">(.*?)</figure>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "Peru" in re.findall(r"<text[^>]*>([^<]*)</text>", matrix)  # a group of the demo, a column
