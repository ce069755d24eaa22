"""The codebook as the coding screen uses it: list rows, which key does what, keyword hints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from store import Code, Codebook, keyword_pattern
from tui.keys import RESERVED_KEYS


@dataclass(frozen=True)
class Row:
    """One line of the codebook list."""

    code: Code
    depth: int
    digit: str | None
    """"1"-"9" for the first nine top-level codes."""
    key: str | None
    """The code's own key when the screen can honour it."""


class CodebookView:
    """Rows, keys and keyword pattern of a codebook (retired codes never reach a codebook)."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        digits = {code.id: str(i) for i, code in enumerate(codebook.codes[:9], start=1)}
        self.keys: dict[str, str] = {}
        """Key -> code or variable id."""
        self.clashes: list[Code] = []
        """Codes whose key the coding screen keeps for itself (a codebook stored before that key
        was taken): they work only from the list."""
        self.rows: list[Row] = []
        for code, depth in self._walk():
            key = code.key if code.key and code.key not in RESERVED_KEYS else None
            if code.key and key is None:
                self.clashes.append(code)
            if key is not None:
                self.keys.setdefault(key, code.id)
            self.rows.append(Row(code, depth, digits.get(code.id), key))
        self.code_rows = [row for row in self.rows if row.code.kind == "code"]
        """The codes and sub-codes, in codebook order."""
        self.variable_rows = [row for row in self.rows if row.code.kind != "code"]
        """The variables, which have levels instead of a tick."""
        self.by_digit = {digit: code_id for code_id, digit in digits.items()}
        self.unkeyed_codes = 0 if any(row.key for row in self.rows) else sum(
            1 for row in self.rows if row.digit is None)
        """Codes and variables without a key, in a codebook that gives none a letter (0 when
        some have one: its authors chose which)."""
        self.keyword_pattern: re.Pattern[str] | None = keyword_pattern(w for c in codebook.walk() for w in c.keywords)

    def _walk(self) -> Iterator[tuple[Code, int]]:
        def visit(code: Code, depth: int) -> Iterator[tuple[Code, int]]:
            if code.retired:
                return
            yield code, depth
            for child in code.children:
                yield from visit(child, depth + 1)

        for code in self.codebook.codes:
            yield from visit(code, 0)
        for variable in self.codebook.variables:
            yield from visit(variable, 0)

    def code_for_key(self, key: str) -> str | None:
        """The code a key stands for: a digit's top-level code, else a code's own key."""
        return self.by_digit.get(key) or self.keys.get(key)
