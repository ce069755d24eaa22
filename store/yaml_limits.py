"""Bounds on what a small YAML text may become: alias expansion, cycles and nesting depth.

A YAML alias (`*name`) stands for everything its anchor (`&name`) names, so a few hundred bytes
of aliases that each name two earlier ones stand for millions of entries: every reader that
walks the result (the codebook parser, JSON of a front matter's meta) then takes minutes and
gigabytes. Deep nesting makes PyYAML's composer, and any walk after it, exceed Python's
recursion limit. `check_yaml` reads the parser's event stream (a loop, not a recursion) and
refuses both before anything is built, naming the line.

Aliases are kept, within a budget: a shared scale (`levels: *agreement`) reused by a few
hundred variables is a legitimate codebook, and front matter written by other tools uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

ALIAS_BUDGET = 10_000
"""Entries that aliases may add to a file beyond what is written out (each alias counts the
scalars, lists and mappings its anchor names): room for a 9-level scale reused 200 times."""
MAX_DEPTH = 64
"""Lists and mappings nested deeper than this are refused (a codebook's codes nest two YAML
levels per code level: this leaves room for 30 levels of sub-codes)."""


@dataclass(frozen=True)
class YamlLimit(Exception):
    """Where a YAML text passes a limit (0-based line and column, as PyYAML marks count) and how."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return self.message


def check_yaml(text: str, cycles: bool = False, loader: type[yaml.SafeLoader] | None = None) -> None:
    """Refuse a YAML text whose aliases expand past ALIAS_BUDGET, that nests deeper than
    MAX_DEPTH, or (unless `cycles`) whose alias names a list or mapping that contains it.

    Syntax errors are left to the caller's own reading (they raise yaml.YAMLError here too).

    Raises:
        YamlLimit: the first place past a limit.
    """
    anchors: dict[str, _Node] = {}
    """Each anchor's list, mapping or scalar (a list or mapping still open while it is read)."""
    open_collections: list[_Node] = []
    """Each list or mapping being read, outermost first."""
    added = 0
    for event in yaml.parse(text, Loader=loader or yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor or ""
            target = anchors.get(anchor)  # an unknown anchor is reported by the reader
            if target is not None and not target.closed and not cycles:
                raise _limit(event, f"alias *{anchor} names a list or mapping that contains it "
                                    "(a cycle): write the value out")
            size = target.size if target is not None and target.closed else 1
            added += size - 1
            if added > ALIAS_BUDGET:
                raise _limit(event, f"YAML aliases expand past {ALIAS_BUDGET:,} entries at alias *{anchor} "
                                    "(each alias repeats all its anchor names): write the entries out "
                                    "or use fewer aliases")
            _count(open_collections, size)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                anchors[event.anchor] = _Node(closed=True)
            _count(open_collections, 1)
        elif isinstance(event, yaml.CollectionStartEvent):
            opened = _Node()
            if event.anchor:
                anchors[event.anchor] = opened
            open_collections.append(opened)
            if len(open_collections) > MAX_DEPTH:
                raise _limit(event, f"lists and mappings nested more than {MAX_DEPTH} deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            closed = open_collections.pop()
            closed.closed = True
            _count(open_collections, closed.size)


@dataclass
class _Node:
    """A scalar, list or mapping: the entries it stands for (so far, while it is open)."""

    size: int = 1
    closed: bool = False


def _count(open_collections: list[_Node], size: int) -> None:
    if open_collections:
        open_collections[-1].size += size


def _limit(event: yaml.Event, message: str) -> YamlLimit:
    mark = event.start_mark
    return YamlLimit(mark.line if mark else 0, mark.column if mark else 0, message)
