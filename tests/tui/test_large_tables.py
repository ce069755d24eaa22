"""The terminal tables of `accord overview`, `retrieve` and `agree --by document` with hundreds
of rows or columns: every row and every column in full, aligned, and not laid out row by row
by Rich (its layout cost 3 s for 3,574 retrieved paragraphs and 10 s for an overview of 5,807
documents at 100,000 paragraphs). Work is counted, never timed: the rows handed to Rich's
Table."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from rich.table import Table

from store import Project, SourceDocument
from tests.helpers import small_codebook
from tui.cli import main
from tui.text_table import LARGE_ROWS, Cell, Column, TextTable

DOCUMENTS = LARGE_ROWS + 50
LONG = "a-long-document-identifier-of-the-security-council-"


def accord(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DOCUMENTS documents of 2 paragraphs with long ids; alice and bob code each first paragraph
    (border_control, they agree), alice notes it."""
    path = tmp_path_factory.mktemp("many") / "accord.db"
    docs = [SourceDocument(id=f"{LONG}{d:04d}", paragraphs=[f"On border control, statement {d}.", "Thanks."],
                           speaker="Mr. Test", country=f"Land{d % 7}") for d in range(DOCUMENTS)]
    with Project.create(path, small_codebook()) as project:
        project.import_documents(docs)
        for d in range(DOCUMENTS):
            for coder in ("alice", "bob"):
                project.set_coding(f"{LONG}{d:04d}:1", coder, "border_control", 1)
                project.set_coding(f"{LONG}{d:04d}:1", coder, "wmd", d % 2)
                project.set_status(f"{LONG}{d:04d}:1", coder, "done")
            project.set_note(f"{LONG}{d:04d}:1", "alice", f"note {d}")
    return path


@pytest.fixture
def rich_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows handed to Rich's Table: Rich's layout works per row."""
    added: list[int] = []
    original = Table.add_row

    def add_row(self: Table, *cells: object, **options: object) -> None:
        added.append(1)
        original(self, *cells, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Table, "add_row", add_row)
    return added


def blocks(output: str, title: str) -> list[list[str]]:
    """The lines of each table whose title starts with `title`, box to box."""
    found, lines = [], output.splitlines()
    for n, line in enumerate(lines):
        if line.startswith(title):
            end = next(k for k in range(n + 1, len(lines)) if lines[k].startswith("└"))
            found.append(lines[n + 1:end + 1])
    return found


def test_overview_by_document_shows_every_group_and_cell_aligned(many: Path, rich_rows: list[int]) -> None:
    output = accord(many, "overview", "--coder", "alice", "--by", "document")
    ids = [f"{LONG}{d:04d}" for d in range(DOCUMENTS)]
    (coverage,) = blocks(output, "Coverage")
    assert [line.split("│")[1].strip() for line in coverage[3:-1]] == ["all", *ids]  # every group, in full
    (frequencies,) = blocks(output, "Frequencies")  # a pipe: one block, every row on one line
    header = [cell.strip() for cell in frequencies[1].split("┃")[1:-1]]
    assert header == ["code", "count", "share", *ids]
    border = next(line for line in frequencies if line.startswith("│ border_control "))
    assert [cell.strip() for cell in border.split("│")[1:-1]][3:] == ["1 (100.0 %)"] * DOCUMENTS
    for table in (coverage, frequencies):
        assert len({len(line) for line in table}) == 1  # aligned: every line as wide
    assert len(rich_rows) < DOCUMENTS  # the co-occurrence's few rows only


def test_a_wide_matrix_on_a_terminal_comes_in_blocks_of_columns_with_nothing_cut() -> None:
    groups = [f"{LONG}{g}" for g in range(40)]
    rows: list[list[str | Cell]] = [["border_control", *(f"{g:,}" for g in range(40))], ["wmd", *["7"] * 40]]
    table = TextTable([Column("code"), *(Column(g, right=True) for g in groups)], rows, title="Frequencies")
    console = Console(file=io.StringIO(), width=140, force_terminal=True, color_system=None)
    table.print(console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert max(len(line) for line in output.splitlines()) <= 140
    titles = [line.rstrip() for line in output.splitlines() if line.startswith("Frequencies")]
    assert len(titles) == 40 // 2 and "(columns 1-3 of 41)" in titles[0] and "the first repeated" in titles[1]
    headers = re.findall(rf"{LONG}\d+", output)
    assert sorted(headers) == sorted(groups)  # each group once, whole
    assert output.count("│ wmd ") == len(titles)  # the row names repeated in each block


def test_a_few_columns_too_wide_for_the_terminal_come_in_blocks_not_cut_to_an_ellipsis() -> None:
    """The co-occurrence of 20 codes on a 110-column terminal: Rich squeezed each count to "3…"."""
    codes = [f"code_{c:02d}" for c in range(20)]
    rows: list[list[str | Cell]] = [[code, *(f"{300 + c:,} (0.{c:02d})" for c in range(20))] for code in codes]
    table = TextTable([Column("", no_wrap=False), *(Column(c, right=True, no_wrap=False) for c in codes)], rows,
                      title="Co-occurrence")
    console = Console(file=io.StringIO(), width=110, force_terminal=True, color_system=None)
    table.print(console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in output
    assert max(len(line) for line in output.splitlines()) <= 110
    assert all(f"{300 + c} (0.{c:02d})" in output for c in range(20))  # every cell whole
    assert output.count("│ code_19 ") > 1  # the row names repeated in each block of columns


def test_a_large_table_in_a_pipe_is_what_rich_draws() -> None:
    """The look is kept: past LARGE_ROWS rows the same characters as Rich's table of them."""
    rows: list[list[str | Cell]] = [[f"doc{i}", f"{i * 37:,}", "–" if i % 3 else f"{i / 7:.2f}"] for i in range(300)]
    table = TextTable([Column("group"), Column("done", right=True), Column("share", right=True)], rows,
                      title="Coverage")
    ours, theirs = Console(file=io.StringIO(), width=10_000), Console(file=io.StringIO(), width=10_000)
    table.print(ours)
    theirs.print(table.rich())
    stripped = [[line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
                for console in (ours, theirs)]
    assert stripped[0] == stripped[1]  # Rich pads the title to the table's width; here it is not


def test_a_large_table_of_dashes_and_wide_characters_is_aligned_as_rich_aligns_it() -> None:
    """Cells of an en dash are measured by their length, cells of Chinese by their cells."""
    rows: list[list[str | Cell]] = [[f"doc{i}", "–" if i % 2 else f"{i:,}", "中文报告" if i % 3 else "e\u0301té"]
                                    for i in range(300)]
    table = TextTable([Column("group"), Column("done", right=True), Column("title")], rows, title="Coverage")
    ours, theirs = Console(file=io.StringIO(), width=10_000), Console(file=io.StringIO(), width=10_000)
    table.print(ours)
    theirs.print(table.rich())
    stripped = [[line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
                for console in (ours, theirs)]
    assert stripped[0] == stripped[1]


def test_retrieve_prints_every_paragraph_marked_without_rich_laying_out_rows(many: Path,
                                                                              rich_rows: list[int]) -> None:
    output = accord(many, "retrieve", "--code", "border_control", "--coder", "alice")
    for d in range(DOCUMENTS):
        assert f"│ {LONG}{d:04d}:1 " in output and f"On border control, statement {d}." in output
        assert f"Note: note {d}" in output
    assert rich_rows == []
    widths = {len(line) for line in output.splitlines() if line[:1] in "┏┃┡│├└"}
    assert len(widths) == 1  # aligned


def test_retrieve_on_a_terminal_wraps_the_text_and_marks_the_keywords(tmp_path: Path) -> None:
    text = "Border control matters. " * 12
    marks = [(m.start(), m.end()) for m in re.finditer("border", text, re.I)]
    rows: list[list[str | Cell]] = [[f"doc:{i}", Cell(text, marks, "bold reverse", f"\nNote: n{i}", "italic")]
                                    for i in range(LARGE_ROWS + 1)]
    table = TextTable([Column("Paragraph"), Column("Text", wrap=True)], rows, show_lines=True)
    console = Console(file=io.StringIO(), width=60, force_terminal=True, color_system="standard")
    table.print(console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert max(len(line) for line in plain.splitlines()) == 60
    assert plain.count("Border") == text.count("Border") * len(rows)  # wrapped, nothing lost
    assert output.count("\x1b[1;7mBorder") == plain.count("Border")  # each keyword marked
    assert output.count("\x1b[3mNote: n") == len(rows)


def test_agree_by_document_shows_every_document_id_whole_in_a_pipe(many: Path, rich_rows: list[int]) -> None:
    output = accord(many, "agree", "--by", "document")
    for d in range(DOCUMENTS):
        assert f"{LONG}{d:04d}:1" in output  # first and last paragraph, not cut with "…"
    assert "…" not in output
    assert rich_rows == []


def test_a_narrow_terminal_wraps_wide_names_beside_the_text_instead_of_overflowing() -> None:
    country = "Bolivia (Plurinational State of), speaking for the Group of 77 and China"
    rows: list[list[str | Cell]] = [[f"doc:{i}", country, Cell("Border control matters. " * 8)]
                                    for i in range(LARGE_ROWS + 1)]
    table = TextTable([Column("Paragraph"), Column("Country"), Column("Text", wrap=True)], rows, show_lines=True)
    console = Console(file=io.StringIO(), width=70, force_terminal=True, color_system=None)
    table.print(console)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(len(line) for line in lines) == 70
    first = lines[3:lines.index(next(line for line in lines[4:] if line.startswith("├")))]
    def column(k: int) -> str:  # the cell's lines joined, spaces left out (a long word is folded)
        return "".join(line.split("│")[k] for line in first).replace(" ", "")

    assert column(2) == country.replace(" ", "")  # all of it, wrapped beside the text
    assert column(3) == ("Border control matters. " * 8).replace(" ", "")
