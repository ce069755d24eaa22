"""A season of one: one document, one paragraph, one code, one variable. Every message says
"1 paragraph", never "1 paragraphs"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import plural
from tui.cli import main

ONE_OF_EACH = """\
codebook: One of each
version: "1"
codes:
  - id: border_control
    label: Border control
    key: b
variables:
  - id: stance
    label: Stance
    kind: single
    key: s
    levels:
      - {value: support, label: Supports}
      - {value: oppose, label: Opposes}
"""

WRONG_PLURAL = re.compile(r"(?<![\d,.])1 (?:[a-z]+ )?(?:paragraph|code|sub-code|coder|document|row|file|value|coding"
                          r"|problem|conflict|variable|unit|decision|disagreement|level|note|time|selection)s\b")


def test_the_helper() -> None:
    assert [plural(n, "paragraph") for n in (0, 1, 2, 1204)] == ["0 paragraphs", "1 paragraph", "2 paragraphs",
                                                                 "1,204 paragraphs"]
    assert plural(1, "coded paragraph") == "1 coded paragraph"
    assert plural(3, "entry", "entries") == "3 entries"


@pytest.fixture
def season(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message of a one-paragraph season, in the order a lead would see them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "codebook.yaml").write_text(ONE_OF_EACH)
    (tmp_path / "statement.txt").write_text("We support the Arms Trade Treaty and stronger border controls.\n")
    (tmp_path / "codings.csv").write_text("paragraph_id,coder,code,value\nstatement:1,ann,border_control,1\n"
                                          "statement:1,ann,stance,support\nstatement:1,bob,border_control,1\n"
                                          "statement:1,bob,stance,oppose\n")
    messages: list[str] = []

    def accord(*args: str) -> None:
        result = CliRunner().invoke(main, ["--project", "season.db", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        messages.append(result.stdout + result.stderr)

    accord("codebook", "check", "codebook.yaml")
    accord("init", "--codebook", "codebook.yaml")
    accord("import", "statement.txt")
    accord("codebook", "show")
    accord("import-codings", "codings.csv")
    accord("status")
    accord("agree", "--bootstrap", "10")
    accord("export", "--all", "-o", "all.csv")
    accord("adjudicate", "--accept-unanimous")
    accord("handout", "--coders", "cy,dee", "--out", "handout")
    accord("merge", *sorted(str(path) for path in (tmp_path / "handout").glob("*.db")))
    return messages


def test_one_of_each_reads_right(season: list[str]) -> None:
    text = "\n".join(season)
    assert WRONG_PLURAL.findall(text) == [], text
    assert "1 code" in text and "1 variable" in text  # the codebook summary
    assert "Wrote 2 rows" in text  # and the plural stays plural
