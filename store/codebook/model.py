"""The codebook as typed models: what a coder applies and what each field means."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

KINDS = ("code", "single", "ordinal")
"""`code` is present/absent; `single` takes one level; `ordinal` takes one of ordered levels."""
REQUIRED = ("always", "when_coded")
"""When a variable must be set on a done paragraph: on every one, or on every one with a code
applied. A variable without `required` is optional."""


@dataclass(frozen=True)
class Level:
    """One level of a `single` or `ordinal` variable."""

    value: str
    """Stored and exported value (stable across codebook versions)."""
    label: str
    """What the coder sees."""


@dataclass(frozen=True)
class Code:
    """A code (present/absent) or a variable (one level per paragraph)."""

    id: str
    """Stable snake_case id: the column name in every export."""
    label: str
    """Short human name."""
    kind: str = "code"
    """One of KINDS."""
    key: str | None = None
    """One key that toggles the code (or opens the variable's chooser) in the coding screen."""
    definition: str = ""
    """What the code means."""
    include: tuple[str, ...] = ()
    """What counts as this code."""
    exclude: tuple[str, ...] = ()
    """What does not count, and which code to use instead."""
    examples: tuple[str, ...] = ()
    """Sample passages that take this code."""
    keywords: tuple[str, ...] = ()
    """Words highlighted as hints while coding."""
    children: tuple[Code, ...] = ()
    """Sub-codes, with the same fields."""
    levels: tuple[Level, ...] = ()
    """Levels of a variable, in order; empty for a code."""
    parent_id: str | None = None
    """Id of the parent code, None at the top level."""
    retired: bool = False
    """Kept for its codings and exports, hidden while coding."""
    required: str | None = None
    """For a variable: one of REQUIRED, or None (optional)."""
    color: str | None = None
    """`#rrggbb`, kept from the program the codebook came from (REFI-QDA `color`) and written back."""


MAX_CODE_DEPTH = 30
"""Levels of sub-codes at most (a top-level code is level 1): deeper trees are no codebook a
coder can navigate, and would exhaust the recursion of every walk over the tree."""


@dataclass(frozen=True)
class Codebook:
    """A whole codebook: codes (a tree), variables, and the coder's instructions."""

    title: str
    """The codebook's name."""
    version: str = ""
    """The version string the authors gave it."""
    unit: str = "paragraph"
    """The unit of coding."""
    instructions: str = ""
    """What a coder reads before starting."""
    codes: tuple[Code, ...] = ()
    """Top-level codes; sub-codes are in `children`."""
    variables: tuple[Code, ...] = ()
    """Variables of kind `single` or `ordinal`."""
    source: str = ""
    """The YAML text it was read from (kept in the project's `codebooks` table)."""

    def walk(self) -> Iterator[Code]:
        """Every code depth-first in codebook order, then every variable."""

        def visit(code: Code) -> Iterator[Code]:
            yield code
            for child in code.children:
                yield from visit(child)

        for code in self.codes:
            yield from visit(code)
        yield from self.variables

    def by_id(self) -> dict[str, Code]:
        """All codes and variables by id."""
        return {code.id: code for code in self.walk()}

    def required(self) -> dict[str, str]:
        """Variable id -> its rule (one of REQUIRED), for the variables in use that have one."""
        return {v.id: v.required for v in self.variables if v.required and not v.retired}

    def missing_required(self, values: Mapping[str, object]) -> list[Code]:
        """The required variables that a paragraph with these values (code id -> value, as
        `Project.codings` gives them) leaves unset; empty when it may be marked done."""
        coded = any(values.get(code.id) == 1 for code in self.walk() if code.kind == "code")
        return [
            variable for variable in self.variables
            if variable.required and not variable.retired
            and (variable.required == "always" or coded)
            and values.get(variable.id) in (None, "")
        ]


def keyword_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Codebook keywords as they are marked in a paragraph (while coding, in retrieved
    paragraphs): whole words from their start, any ending (`border` marks `borders`), longest
    first, ignoring case; None without words."""
    ordered = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\w*", re.IGNORECASE)

