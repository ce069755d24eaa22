"""A CSV/TSV cell as every writer writes it: neutralised against spreadsheet formulas, quoted
wherever it holds a separator, a quote or a line end. Light (no pandas): the reports use it too."""

from __future__ import annotations

import functools
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""A spreadsheet runs a cell starting with one of these as a formula (CSV injection), the
full-width forms included, which some spreadsheets fold to the ASCII ones."""
BLANKS = " \t\r\n\u00a0\u3000"
"""What a spreadsheet may trim before it reads a formula (spelled out: RE2's `\\s` is ASCII only)."""
FORMULA_PATTERN = "^(?:[\t\r]|[" + BLANKS + "]*[" + "".join(FORMULA_STARTS).replace("-", "\\-") + "])"
"""A cell a spreadsheet may run: one of FORMULA_STARTS after any blanks (spreadsheets trim them),
or a tab or carriage return first (OWASP's list). Such a cell gets a leading `'` (OWASP's advice)."""
_FORMULA = re.compile(FORMULA_PATTERN)


def needs_quotes(separator: str) -> str:
    """A regex class of the characters that make a field quoted: the separator, the quote and both
    line ends. Python's csv module leaves a lone carriage return unquoted (before 3.13), and every
    CSV reader (pandas, R, Excel) ends a row there: quoting it keeps the row whole."""
    return "[\r\n\"" + separator + "]"


def neutralised(text: str) -> str:
    """`text` as a CSV/TSV cell that no spreadsheet runs: the one rule every writer applies to
    every text cell, headers included (delimited_text applies FORMULA_PATTERN column-wise)."""
    return "'" + text if _FORMULA.match(text) else text


@functools.cache
def _needs_quotes(separator: str) -> re.Pattern[str]:
    return re.compile(needs_quotes(separator))


def quoted(text: str, separator: str) -> str:
    """`text` as a field: quoted, as the csv module quotes, wherever it holds a separator, a quote or a line end."""
    if _needs_quotes(separator).search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def delimited_line(cells: list[str], separator: str, neutralise: bool = True) -> str:
    """One CSV/TSV line of text cells, each neutralised (unless not `neutralise`) and quoted."""
    return separator.join(quoted(neutralised(c) if neutralise else c, separator) for c in cells) + "\n"


def md_cell(text: str) -> str:
    """A Markdown table cell: HTML in a note shown as text (`&lt;script&gt;`), the table's own `|`
    and `\\` escaped, every line end (a lone carriage return too) a `<br>`, so a note stays one row."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n?|\n", "<br>", text)
