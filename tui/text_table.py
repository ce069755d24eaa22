"""Tables of many rows, printed as aligned lines: each column measured once, drawn with the box
Rich draws, so a long table looks like a short one.

Rich's Table lays out every cell of every row (3 s for retrieve's 3,574 paragraphs, 10 s for an
overview by document at 100,000), and cuts the cells of a table too wide for the terminal to
"3…". Tables up to LARGE_ROWS rows and LARGE_COLUMNS columns that fit stay Rich's; past that,
cells are measured once and padded, never cut: columns that do not fit the terminal go to a
next block of the same rows (the first column repeated, the title saying which), as R prints a
wide matrix; one column may wrap (retrieve's text). Into a pipe each row is one line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

from rich import box as boxes
from rich.cells import cell_len

try:  # Rich's own test that every character is one cell wide (a set's issuperset, in C)
    from rich.cells import _is_single_cell_widths as _single_cells
except ImportError:  # pragma: no cover - another Rich
    _single_cells = str.isascii
from rich.console import Console
from rich.table import Table
from rich.text import Span, Text

LARGE_ROWS = 200
"""Rows up to which Rich lays the table out (its layout costs about a millisecond a row)."""
LARGE_COLUMNS = 30
"""Columns up to which Rich lays the table out (past it, Rich squeezes every column to nothing)."""
MIN_WRAP = 20
"""The narrowest a wrapping column gets on a narrow terminal."""
MIN_TEXT = 40
"""What a wrapping column keeps of a narrow terminal before the others wrap too (or half of it)."""


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False
    wrap: bool = False
    """Takes the rest of the terminal's width and wraps its text (at most one column)."""
    no_wrap: bool = True
    """In Rich's layout of a small table: keep the cell on one line."""
    ratio: int | None = None
    """In Rich's layout of a small table: the column's share of the spare width."""


@dataclass
class Cell:
    """A cell with styled stretches (retrieve's keywords) and an optional styled last part (a note)."""

    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)
    mark_style: str = ""
    tail: str = ""
    tail_style: str = ""

    def __str__(self) -> str:
        return self.text + self.tail

    def rich(self) -> Text:
        text = Text(self.text, spans=[Span(a, b, self.mark_style) for a, b in self.marks])
        if self.tail:
            text.append(self.tail, style=self.tail_style)
        return text


CellValue = str | Cell


@dataclass
class TextTable:
    columns: Sequence[Column]
    rows: list[list[CellValue]]
    title: str | None = None
    box: boxes.Box = boxes.HEAVY_HEAD
    show_lines: bool = False
    row_styles: list[str | None] | None = None
    """One style per row (None: plain), as Rich's add_row(style=...)."""
    repeat: int = 1
    """The first columns, which name a row: repeated in each block of columns."""

    def print(self, console: Console) -> None:
        """Print to `console`: on a terminal at most its width, else each row on one line."""
        width = console.width if console.is_terminal else None
        if len(self.rows) <= LARGE_ROWS and len(self.columns) <= LARGE_COLUMNS and self._fits(width or console.width):
            console.print(self.rich())
            return
        _write(console, self.lines(width))

    def _fits(self, width: int) -> bool:
        """Whether Rich can lay the table out in `width` without cutting a cell ("3…"): a column
        that wraps takes what is left, else every column must fit at its natural width."""
        if any(column.wrap for column in self.columns):
            return True
        measured, _ = self._measured()
        return sum(measured) + 3 * len(measured) + 1 <= width

    def rich(self) -> Table:
        """The table as Rich lays it out (small tables)."""
        table = Table(title=self.title, title_justify="left", box=self.box,
                      show_lines=self.show_lines)
        for column in self.columns:
            table.add_column(column.header, justify="right" if column.right else "left",
                             no_wrap=column.no_wrap and not column.wrap, ratio=column.ratio)
        styles = self.row_styles or [None] * len(self.rows)
        for row, style in zip(self.rows, styles, strict=True):
            # Text, not markup: ids and names are data.
            table.add_row(*(c.rich() if isinstance(c, Cell) else Text(c) for c in row), style=style)
        return table

    def lines(self, width: int | None) -> _Lines:
        """The table as aligned lines: columns measured once, blocks of columns that fit `width`."""
        out = _Lines()
        wrapping = [i for i, c in enumerate(self.columns) if c.wrap]
        measured, texts = self._measured()
        if wrapping:
            self._wrapped(out, measured, texts, wrapping[0], width)
            return out
        blocks = _blocks(measured, width, self.repeat)
        repeated = "the first" if self.repeat == 1 else f"the first {self.repeat}"
        for number, block in enumerate(blocks):
            title = self.title
            if len(blocks) > 1:
                first = block[self.repeat] + 1 if number else 1
                which = f"{first:,}" if first == block[-1] + 1 else f"{first:,}-{block[-1] + 1:,}"
                title = (f"{title} " if title else "") + f"(columns {which} of {len(self.columns):,}" \
                    + (f"; {repeated} repeated)" if number else ")")
            self._block(out, block, measured, texts, title)
        return out

    def _measured(self) -> tuple[list[int], list[list[str]]]:
        """Each column's width in cells (a wrapping column: its longest line) and its cells as shown."""
        texts = [_shown([str(c) for c in column]) for column in zip(*self.rows, strict=True)] or [[]] * len(self.columns)
        measured = [max(_width(column.header), *_widths(cells, multiline=column.wrap))
                    for column, cells in zip(self.columns, texts, strict=True)]
        return measured, texts

    def _block(self, out: _Lines, block: list[int], measured: list[int], texts: list[list[str]],
               title: str | None) -> None:
        widths = [measured[i] for i in block]
        self._top(out, block, widths, title)
        padded = [_padded(texts[i], measured[i], self.columns[i].right) for i in block]
        middle = f" {self.box.mid_vertical} "
        rows = [f"{self.box.mid_left} {line} {self.box.mid_right}" for line in map(middle.join, zip(*padded, strict=True))]
        if self.show_lines and rows:
            separator = self.box.get_row([w + 2 for w in widths], "row")
            rows = [line for row in rows for line in (separator, row)][1:]
            styles = [style for style in (self.row_styles or []) for style in (None, style)][1:]
        else:
            styles = self.row_styles or []
        first = len(out.lines)
        out.lines += rows
        for n, style in enumerate(styles):
            if style:
                out.spans[first + n] = [(0, len(out.lines[first + n]), style)]
        out.add(self.box.get_bottom([w + 2 for w in widths]))

    def _top(self, out: _Lines, block: list[int], widths: list[int], title: str | None) -> None:
        if title is not None:
            out.add(title, [(0, len(title), "table.title")])
        out.add(self.box.get_top([w + 2 for w in widths]))
        line, spans = self.box.head_left, []
        for n, (i, w) in enumerate(zip(block, widths, strict=True)):
            header, right = self.columns[i].header, self.columns[i].right
            line += " "
            start = len(line) + (w - _width(header) if right else 0)
            spans.append((start, start + len(header), "table.header"))
            line += _pad(header, w, right) + " " + (self.box.head_vertical if n < len(widths) - 1 else
                                                      self.box.head_right)
        out.add(line, spans)
        out.add(self.box.get_row([w + 2 for w in widths], "head"))

    def _wrapped(self, out: _Lines, measured: list[int], texts: list[list[str]], wrap: int,
                 width: int | None) -> None:
        """Every column on one line but `wrap`, which takes the rest of `width` and wraps; on a
        terminal too narrow for the others beside MIN_TEXT of it, the widest others wrap too."""
        widths = [*measured]
        if width is not None:
            room = width - 3 * len(widths) - 1
            others = [i for i in range(len(widths)) if i != wrap]
            cap = _cap([measured[i] for i in others], room - min(measured[wrap], max(MIN_TEXT, room // 2)))
            for i in others:
                widths[i] = min(measured[i], cap)
            widths[wrap] = max(MIN_WRAP, min(measured[wrap], room - sum(widths[i] for i in others)))
        columns = range(len(widths))
        self._top(out, list(columns), widths, self.title)
        padded = [_padded(texts[i], widths[i], self.columns[i].right) for i in columns]
        left, middle, end = self.box.mid_left + " ", f" {self.box.mid_vertical} ", " " + self.box.mid_right
        narrowed = [i for i in columns if i != wrap and widths[i] < measured[i]]
        blank = [" " * w for w in widths]
        separator = self.box.get_row([w + 2 for w in widths], "row") if self.show_lines else None
        styles = self.row_styles or [None] * len(self.rows)
        for n, (row, style) in enumerate(zip(self.rows, styles, strict=True)):
            if separator is not None and n:
                out.add(separator)
            pieces = _wrap_cell(row[wrap], widths[wrap])
            cells = [[padded[i][n]] for i in columns]
            for i in narrowed:
                if _width(texts[i][n]) > widths[i]:
                    cells[i] = [_pad(line, widths[i], self.columns[i].right) for line, _ in
                                _wrap_cell(texts[i][n], widths[i])]
            for k in range(max(len(pieces), *map(len, cells))):
                shown = [column[k] if k < len(column) else blank[i] for i, column in enumerate(cells)]
                piece, marks = pieces[k] if k < len(pieces) else ("", [])
                head = left + "".join(cell + middle for cell in shown[:wrap])
                start, line = len(head), head + _pad(piece, widths[wrap], False) \
                    + "".join(middle + cell for cell in shown[wrap + 1:]) + end
                spans = [(start + a, start + b, s) for a, b, s in marks]
                out.add(line, [(0, len(line), style), *spans] if style else spans)
        out.add(self.box.get_bottom([w + 2 for w in widths]))


class _Lines:
    """Lines and, by line number, their styled stretches (start, end, style)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.spans: dict[int, list[tuple[int, int, str]]] = {}

    def add(self, line: str, spans: list[tuple[int, int, str]] | None = None) -> None:
        if spans:
            self.spans[len(self.lines)] = spans
        self.lines.append(line)


def _write(console: Console, table: _Lines) -> None:
    """The lines to the console's file, control characters shown (printable: one character for
    one, so the stretches stay in place), styles as the console renders them (none into a pipe).
    Written directly: Rich's render of a megabyte of lines cost as much as the layout it replaces."""
    from tui.safe_text import printable

    lines = printable("\n".join(table.lines)).split("\n") if table.lines else []
    if console.color_system and not console.no_color:
        codes: dict[str, tuple[str, str]] = {}  # each style's escape codes before and after, once
        for n, spans in table.spans.items():
            line, at, parts = lines[n], 0, []
            for a, b, style in sorted(spans):
                if a < at:
                    continue
                if style not in codes:
                    on, _, off = console.get_style(style).render("\0", color_system=console._color_system).partition("\0")
                    codes[style] = on, off
                on, off = codes[style]
                parts += [line[at:a], on, line[a:b], off]
                at = b
            lines[n] = "".join(parts) + line[at:]
    console.file.write("\n".join(lines) + "\n" if lines else "")
    console.file.flush()


def _shown(cells: list[str]) -> list[str]:
    """The cells as the terminal shows them (printable), before they are measured."""
    from tui.safe_text import SHOWN, printable

    return list(map(printable, cells)) if SHOWN.search("".join(cells)) else cells


def _width(text: str) -> int:
    return len(text) if _one_cell(text) else max(map(cell_len, text.split("\n")))


def _one_cell(text: str) -> bool:
    """Every character one cell wide (ASCII, Latin, dashes, control pictures), so len is the width."""
    return text.isascii() or _single_cells(text) or all(map(_one_cell_character, set(text)))


@lru_cache(maxsize=4096)
def _one_cell_character(character: str) -> bool:
    """Rich's quick set leaves out some one-cell characters, such as the en dash of "0 (–)"."""
    return cell_len(character) == 1


def _widths(cells: list[str], multiline: bool = False) -> list[int]:
    """The widest of `cells` (as a one-item list; [0] for none): in C for ASCII."""
    if not cells:
        return [0]
    if not multiline and _one_cell("".join(cells)):
        return [max(map(len, cells))]
    return [max(map(_width, cells))]


def _padded(cells: list[str], width: int, right: bool) -> list[str]:
    if _one_cell("".join(cells)):
        return list(map(str.rjust if right else str.ljust, cells, repeat(width)))
    return [_pad(cell, width, right) for cell in cells]


def _pad(text: str, width: int, right: bool) -> str:
    gap = width - _width(text)
    return " " * gap + text if right else text + " " * gap


def _cap(widths: list[int], room: int) -> int:
    """The widest any of `widths` may be for their sum to fit `room` (each at least 8 wide)."""
    if sum(widths) <= room:
        return max(widths, default=0)
    cap = 8
    for candidate in sorted(set(widths)):
        if sum(min(w, candidate) for w in widths) > room:
            break
        cap = candidate
    left = room - sum(min(w, cap) for w in widths)
    wider = sum(w > cap for w in widths)
    return max(8, cap + (left // wider if wider else 0))


def _blocks(measured: list[int], width: int | None, repeat: int = 1) -> list[list[int]]:
    """Columns in blocks that fit `width`, each after the first repeating the `repeat` first."""
    if width is None or sum(w + 3 for w in measured) + 1 <= width:
        return [list(range(len(measured)))]
    names = list(range(min(repeat, len(measured))))
    start = sum(measured[i] + 3 for i in names) + 1
    blocks: list[list[int]] = []
    block, used = [*names], start
    for i in range(len(names), len(measured)):
        if len(block) > len(names) and used + measured[i] + 3 > width:
            blocks.append(block)
            block, used = [*names], start
        block.append(i)
        used += measured[i] + 3
    blocks.append(block)
    return blocks


@lru_cache(maxsize=64)
def _line_pattern(width: int) -> re.Pattern[str]:
    # A line: up to `width` characters ending before a space or the end; a longer word is cut
    # at `width` (as Rich folds it). In C: a Python loop per word cost as much as Rich's layout.
    return re.compile(rf"[ \t]*(?:(.{{1,{width}}})(?=[ \t]|$)|(.{{{width}}}))")


def _wrap_cell(cell: CellValue, width: int) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The cell's lines at `width`, each with its marked stretches (start, end, style) in the line."""
    if not isinstance(cell, Cell):
        cell = Cell(cell)
    lines: list[tuple[str, list[tuple[int, int, str]]]] = []
    parts = [(cell.text, cell.marks, cell.mark_style)]
    if cell.tail:
        parts.append((cell.tail.lstrip("\n"), [(0, len(cell.tail.lstrip("\n")))], cell.tail_style))
    for text, marks, style in parts:
        starts = [a for a, _ in marks]
        for paragraph_start, paragraph in _paragraphs(text):
            if not _one_cell(paragraph) and cell_len(paragraph) != len(paragraph):
                lines += [(line.plain, [(s.start, s.end, str(s.style)) for s in line.spans])
                          for line in _rich_wrap(paragraph, width, marks, paragraph_start, style)]
                continue
            found = False
            for match in _line_pattern(width).finditer(paragraph):
                piece = match.group(1) if match.group(1) is not None else match.group(2)
                if piece is None:
                    continue
                found = True
                a = paragraph_start + match.start(1 if match.group(1) is not None else 2)
                b = a + len(piece)
                spans = []
                for k in range(max(0, bisect_right(starts, a) - 1), len(marks)):
                    m_start, m_end = marks[k]
                    if m_start >= b:
                        break
                    if m_end > a:
                        spans.append((max(m_start, a) - a, min(m_end, b) - a, style))
                lines.append((piece.rstrip(" \t"), spans))
            if not found:
                lines.append(("", []))
    return lines or [("", [])]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """The text's lines (a cell may hold newlines), each with where it starts."""
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out


def _rich_wrap(text: str, width: int, marks: list[tuple[int, int]], start: int, style: str) -> list[Text]:
    """Text with wide characters (CJK, emoji) wrapped by Rich, which knows their widths."""
    rich = Text(text, spans=[Span(max(a - start, 0), min(b - start, len(text)), style)
                             for a, b in marks if b > start and a < start + len(text)])
    return list(rich.wrap(_measuring(), width))


@lru_cache(maxsize=1)
def _measuring() -> Console:
    """A console only for Rich's wrapping (it needs one for the widths; nothing is printed)."""
    return Console(width=1_000)
