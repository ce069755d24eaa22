"""A `.docx` of many short paragraphs imports in about the time of the same text as `.txt`:
109,227 paragraphs (49.6 KB) took 257 s when every paragraph's style was looked up (1.26 ms
each); the seconds are in BENCHMARKS.md, the test counts the lookups."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

import docx
from docx.text.paragraph import Paragraph
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import small_codebook
from tui.cli import main

PARAGRAPHS = 10_000


def test_a_word_file_of_thousands_of_paragraphs_looks_up_few_styles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "accord.db"
    Project.create(db, small_codebook()).close()
    word = docx.Document()
    word.add_heading("Statement by Kazakhstan", level=1)
    body = word.add_paragraph("Paragraph 0 of the statement.")._p
    for n in range(PARAGRAPHS - 1, 0, -1):  # copies of one paragraph: python-docx adds them slowly
        copy = deepcopy(body)
        copy.r_lst[0].t_lst[0].text = f"Paragraph {n} of the statement."
        body.addnext(copy)
    path = tmp_path / "long.docx"
    word.save(str(path))
    lookups: list[int] = []
    style = Paragraph.style
    monkeypatch.setattr(Paragraph, "style", property(lambda para: lookups.append(1) or style.fget(para)))
    result = CliRunner().invoke(main, ["--project", str(db), "import", str(path)])
    assert result.exit_code == 0, result.output
    assert len(lookups) <= 2  # was one per paragraph
    with Project.open(db) as project:
        assert project.document("long").title == "Statement by Kazakhstan"
        texts = [p.text for p in project.paragraphs("long")]
    assert texts == [f"Paragraph {n} of the statement." for n in range(PARAGRAPHS)]
