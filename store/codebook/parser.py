"""Reading a codebook file: parse the YAML, validate everything, report every problem at once."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from yaml.nodes import MappingNode, Node

from store.codebook.model import KINDS, MAX_CODE_DEPTH, REQUIRED, Code, Codebook, Level
from store.errors import CodebookError, Problem
from store.codebook.yaml_nodes import NodeReader

TOP_FIELDS = ("codebook", "version", "unit", "instructions", "codes", "variables")
CODE_FIELDS = (
    "id", "label", "kind", "key", "definition", "include", "exclude", "examples", "keywords",
    "children", "levels", "parent", "required", "color",
)
LEVEL_FIELDS = ("value", "label")
TEXT_LISTS = ("include", "exclude", "examples", "keywords")

RESERVED_IDS = frozenset({
    "id", "paragraph_id", "document_id", "position", "seq", "paragraph", "text", "coder",
    "coder_id", "status", "note", "flagged", "speaker", "country", "date", "title", "source",
    "sha256", "meta", "updated_at",
})
"""Column names that exports already use for the paragraph and its document."""

COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}\Z")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
MAX_ID_LENGTH = 32
"""Stata and SPSS truncate or refuse longer variable names; ids become export columns."""
MAX_LEVELS = 9
"""The coding screen picks a level with the digits 1-9."""
UNITS = ("paragraph",)


def default_codebook_path() -> Path:
    """The codebook shipped with Accord (UN Security Council statements on SALW and WMD)."""
    return Path(str(resources.files("store") / "data" / "codebook.yaml"))


def load_codebook(path: str | Path, *, reserved_keys: Collection[str] = frozenset()) -> Codebook:
    """Read and validate the codebook at `path`; `reserved_keys` are keys no code may take
    (the coding screen's own, which the caller knows: the store does not).

    Raises:
        CodebookError: the file cannot be read or has problems; all of them are listed.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CodebookError([Problem(name, None, None, f"cannot read the codebook: {error.strerror}")]) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CodebookError([Problem(name, line, None, "the codebook is not UTF-8 text; save it as UTF-8")]) from error
    return parse_codebook(text, name, reserved_keys=reserved_keys)


def parse_codebook(text: str, filename: str, *, reserved_keys: Collection[str] = frozenset(),
                   stored: bool = False) -> Codebook:
    """Parse and validate codebook YAML; `filename` is how problems name the file, and no code
    may take one of `reserved_keys`. `stored`: the text was read and applied before (a project's
    codebook), so libyaml may read it (a 1,000-code codebook opens 0.3 s sooner).

    Raises:
        CodebookError: with every problem found, each with file, line and column.
    """
    return _Reader(filename, reserved_keys, stored).read(text)


@dataclass
class _Draft:
    """A code as read, before parents are resolved and the frozen tree is built."""

    node: MappingNode
    section: str
    id: str | None = None
    id_node: Node | None = None
    label: str = ""
    kind: str = "code"
    key: str | None = None
    key_node: Node | None = None
    definition: str = ""
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    levels: tuple[Level, ...] = ()
    children: list[_Draft] = field(default_factory=list)
    nested_in: _Draft | None = None
    parent: str | None = None
    parent_node: Node | None = None
    required: str | None = None
    color: str | None = None

    def describe(self) -> str:
        noun = "variable" if self.section == "variables" else "code"
        return f"{noun} {self.id!r}" if self.id else noun


class _Reader(NodeReader):
    """Reads one codebook file into models, collecting every problem."""

    def __init__(self, filename: str, reserved_keys: Collection[str], fast: bool = False) -> None:
        super().__init__(filename, fast)
        self.reserved_keys = reserved_keys
        self.drafts: list[_Draft] = []

    # -- the file ---------------------------------------------------------------------------

    def read(self, text: str) -> Codebook:
        root = self.compose(text)
        if root is None:
            raise CodebookError([Problem(self.filename, 1, 1, "the codebook is empty")])
        if not isinstance(root, MappingNode):
            self.problem(root, "a codebook is a mapping with codebook:, codes: and variables:")
            self.fail()
        fields = self.mapping(root, TOP_FIELDS, "the codebook")
        title = self.text(fields.get("codebook"), "codebook")
        if not title and "codebook" not in fields:
            self.problem(root, "missing field 'codebook' (the codebook's title)")
        unit = self.text(fields.get("unit"), "unit") or "paragraph"
        if unit not in UNITS:
            self.problem(fields["unit"], f"unit {unit!r} is not supported; Accord codes paragraphs (unit: paragraph)")
        codes = [self.code(n, "codes", None) for n in self.sequence(fields.get("codes"), "codes")]
        variables = [self.code(n, "variables", None) for n in self.sequence(fields.get("variables"), "variables")]
        if "codes" not in fields and "variables" not in fields:
            self.problem(root, "the codebook has neither codes: nor variables:")
        elif not codes and not variables:  # `codes: []` or `codes:` left empty: nothing to code
            self.problem(fields.get("codes") or fields.get("variables") or root,
                         "the codebook's codes: and variables: are both empty; list at least one code")
        tops = self.resolve_parents([d for d in codes if d is not None])
        self.check_depth(tops)
        self.check_unique()
        self.fail_if_problems()
        return Codebook(
            title=title,
            version=self.text(fields.get("version"), "version"),
            unit=unit,
            instructions=self.text(fields.get("instructions"), "instructions"),
            codes=tuple(self.build(d, None) for d in tops),
            variables=tuple(self.build(d, None) for d in variables if d is not None),
            source=text,
        )

    # -- codes and variables ------------------------------------------------------------------

    def code(self, node: MappingNode, section: str, nested_in: _Draft | None) -> _Draft | None:
        ancestor = nested_in
        while ancestor is not None:
            if ancestor.node is node:
                self.problem(node, f"{ancestor.describe()} contains itself through a YAML alias")
                return None
            ancestor = ancestor.nested_in
        draft = _Draft(node=node, section=section, nested_in=nested_in)
        self.drafts.append(draft)
        fields = self.mapping(node, CODE_FIELDS, "a code" if section == "codes" else "a variable")
        draft.id_node = fields.get("id")
        draft.id = self.text(draft.id_node, "id") or None
        self.check_id(draft)
        reported = len(self.problems)
        draft.label = self.text(fields.get("label"), "label")
        if not draft.label and len(self.problems) == reported and (id(node), "label") not in self.misspelt:
            self.problem(fields.get("label", node), f"{draft.describe()} has no label")
        draft.definition = self.text(fields.get("definition"), "definition")
        draft.texts = {name: self.texts(fields.get(name), name) for name in TEXT_LISTS}
        self.read_kind(draft, fields)
        self.read_key(draft, fields.get("key"))
        self.read_required(draft, fields.get("required"))
        if (color := self.text(fields.get("color"), "color") or None) and not COLOR_PATTERN.match(color):
            self.problem(fields["color"], f"color {color!r} of {draft.describe()} must be #rrggbb, e.g. #1f77b4")
        draft.color = color.lower() if color else None
        if "levels" in fields:
            if draft.kind == "code":
                self.problem(fields["levels"], f"{draft.describe()} is a present/absent code and takes no levels; "
                             "make it a variable (kind: single or ordinal, under variables:)")
            else:
                draft.levels = self.levels(fields["levels"], draft)
        elif draft.kind != "code":
            self.problem(node, f"{draft.describe()} has no levels; list them as levels: [{{value: ..., label: ...}}]")
        if "children" in fields:
            if section == "variables":
                self.problem(fields["children"], f"{draft.describe()} cannot have children; only codes have sub-codes")
            else:
                children = self.sequence(fields["children"], "children")
                draft.children = [c for c in (self.code(n, section, draft) for n in children) if c is not None]
        if "parent" in fields:
            if section == "variables":
                self.problem(fields["parent"], f"{draft.describe()} cannot have a parent; only codes have sub-codes")
            else:
                draft.parent_node = fields["parent"]
                draft.parent = self.text(draft.parent_node, "parent") or None
        return draft

    def check_id(self, draft: _Draft) -> None:
        if draft.id is None and (id(draft.node), "id") in self.misspelt:
            return
        if draft.id is None:
            self.problem(draft.id_node or draft.node, f"{draft.describe()} has no id (a snake_case name such as border_control)")
        elif not ID_PATTERN.match(draft.id):
            self.problem(draft.id_node, f"id {draft.id!r} must be snake_case: lowercase letters, digits and _, "
                         "starting with a letter (it becomes a column name in exports)")
        elif len(draft.id) > MAX_ID_LENGTH:
            self.problem(draft.id_node, f"id {draft.id!r} is {len(draft.id)} characters long; at most "
                         f"{MAX_ID_LENGTH} (Stata and SPSS column names)")
        elif draft.id in RESERVED_IDS:
            self.problem(draft.id_node, f"id {draft.id!r} is a column that exports already use for the paragraph; choose another")

    def read_kind(self, draft: _Draft, fields: dict[str, Node]) -> None:
        node = fields.get("kind")
        kind = self.text(node, "kind") or ("code" if draft.section == "codes" else "")
        if draft.section == "codes":
            if kind != "code":
                hint = "; variables go under variables:" if kind in KINDS else ""
                self.problem(node, f"bad kind {kind!r} for {draft.describe()}: codes have kind 'code'{hint}")
            draft.kind = "code"
        elif kind not in ("single", "ordinal"):
            if node is None:
                self.problem(draft.node, f"{draft.describe()} needs kind: single or kind: ordinal")
            else:
                self.problem(node, f"bad kind {kind!r} for {draft.describe()}: variables are 'single' or 'ordinal'")
            draft.kind = "single"
        else:
            draft.kind = kind

    def read_key(self, draft: _Draft, node: Node | None) -> None:
        key = self.text(node, "key") or None
        if key is None:
            return
        if key in self.reserved_keys:
            self.problem(node, f"key {key!r} of {draft.describe()} is taken by the coding screen "
                         f"(reserved: {' '.join(sorted(self.reserved_keys))}); choose another letter")
        elif not re.fullmatch(r"[a-zA-Z]", key):
            self.problem(node, f"key {key!r} of {draft.describe()} must be one letter, a-z or A-Z (with shift)")
        else:
            draft.key, draft.key_node = key, node

    def read_required(self, draft: _Draft, node: Node | None) -> None:
        if node is None:
            return
        reported = len(self.problems)
        rule = self.text(node, "required")
        if len(self.problems) > reported:
            return  # not text: already reported
        if draft.section == "codes":
            self.problem(node, f"{draft.describe()} is a code: only variables take required: "
                         "(a code is applied or not, never missing on a done paragraph)")
        elif rule not in REQUIRED:
            self.problem(node, f"required: {rule!r} of {draft.describe()} is not a rule; use 'always' "
                         "(every done paragraph) or 'when_coded' (every done paragraph with a code), "
                         "or leave it out (optional)")
        else:
            draft.required = rule

    def levels(self, node: Node, draft: _Draft) -> tuple[Level, ...]:
        entries = self.sequence(node, "levels")
        if not entries and not self.problems_at(node):
            self.problem(node, f"{draft.describe()} has an empty level list; give it at least two levels")
        levels: list[Level] = []
        seen: dict[str, Node] = {}
        for entry in entries:
            fields = self.mapping(entry, LEVEL_FIELDS, f"a level of {draft.describe()}")
            value = self.text(fields.get("value"), "value")
            label = self.text(fields.get("label"), "label")
            if not value:
                self.problem(fields.get("value", entry), f"a level of {draft.describe()} has no value")
                continue
            if not label:
                self.problem(fields.get("label", entry), f"level {value!r} of {draft.describe()} has no label")
            if value in seen:
                self.problem(fields["value"], f"duplicate level value {value!r} in {draft.describe()} "
                             f"(first at line {seen[value].start_mark.line + 1})")
                continue
            seen[value] = fields["value"]
            levels.append(Level(value, label))
        if len(entries) > MAX_LEVELS:
            self.problem(node, f"{draft.describe()} has {len(entries)} levels; at most {MAX_LEVELS} "
                         "(the coding screen picks a level with the digits 1-9)")
        return tuple(levels)

    # -- the whole tree -----------------------------------------------------------------------

    def check_unique(self) -> None:
        """Ids and keys are unique across codes and variables."""
        ids: dict[str, Node] = {}
        keys: dict[str, _Draft] = {}
        for draft in self.drafts:
            if draft.id and draft.id_node is not None:
                if draft.id in ids:
                    self.problem(draft.id_node, f"duplicate id {draft.id!r} (first at line {ids[draft.id].start_mark.line + 1})")
                else:
                    ids[draft.id] = draft.id_node
            if draft.key and draft.key_node is not None:
                if (other := keys.get(draft.key)) is not None:
                    self.problem(draft.key_node, f"duplicate key {draft.key!r}: {other.describe()} uses it too "
                                 f"(line {other.key_node.start_mark.line + 1})")  # type: ignore[union-attr]
                else:
                    keys[draft.key] = draft

    def resolve_parents(self, tops: list[_Draft]) -> list[_Draft]:
        """Attach codes that name a `parent:` under it; report unknown parents and cycles."""
        counts = Counter(d.id for d in self.drafts if d.id)
        # A repeated id is reported by check_unique; it would only confuse the parent chains.
        by_id = {d.id: d for d in self.drafts if d.id and counts[d.id] == 1}
        codes = {i for i, d in by_id.items() if d.section == "codes"}
        parent_of: dict[str, str] = {}
        for draft in self.drafts:
            if draft.id not in by_id:
                continue
            if draft.nested_in is not None and draft.nested_in.id in by_id:
                if draft.parent and draft.parent != draft.nested_in.id:
                    self.problem(draft.parent_node, f"{draft.describe()} is nested under {draft.nested_in.id!r} "
                                 f"but names parent {draft.parent!r}; keep one of the two")
                parent_of[draft.id] = draft.nested_in.id
            elif draft.parent and draft.id:
                if draft.parent not in codes:
                    close = difflib.get_close_matches(draft.parent, sorted(codes), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    what = "is a variable, not a code" if draft.parent in by_id else "is not a code in this codebook"
                    self.problem(draft.parent_node, f"parent {draft.parent!r} of {draft.describe()} {what}{hint}")
                else:
                    parent_of[draft.id] = draft.parent
        in_cycle: set[str] = set()
        walked: set[str] = set()
        """Codes whose chain of parents was followed already: a long chain is walked once."""
        for start in parent_of:
            path = [start]
            on_path = {start}
            while (up := parent_of.get(path[-1])) is not None and up not in in_cycle and up not in walked:
                if up in on_path:
                    cycle = [*path[path.index(up):], up]
                    in_cycle.update(cycle)
                    first = by_id[cycle[0]]
                    self.problem(first.parent_node or first.node,
                                 f"parent cycle: {' -> '.join(cycle)}; a code cannot be its own ancestor")
                    break
                path.append(up)
                on_path.add(up)
            walked.update(path)
        remaining = []
        for draft in tops:
            target = by_id.get(draft.parent) if draft.parent and draft.id in parent_of else None
            if target is not None and draft.id not in in_cycle:
                target.children.append(draft)
            else:
                remaining.append(draft)
        return remaining

    def check_depth(self, tops: list[_Draft]) -> None:
        """Sub-codes nested (through children: or parent:) at most MAX_CODE_DEPTH levels deep."""
        stack = [(draft, 1) for draft in tops]
        while stack:  # a loop, not a recursion: the tree may be a thousand levels deep
            draft, depth = stack.pop()
            if depth > MAX_CODE_DEPTH:
                self.problem(draft.parent_node or draft.node, f"{draft.describe()} is nested {depth} levels deep "
                             f"(through children: and parent:); at most {MAX_CODE_DEPTH}")
                draft.children = []  # not built: the problem is raised before
                continue
            stack.extend((child, depth + 1) for child in draft.children)

    def build(self, draft: _Draft, parent_id: str | None) -> Code:
        return Code(
            id=draft.id or "",
            label=draft.label,
            kind=draft.kind,
            key=draft.key,
            definition=draft.definition,
            include=draft.texts["include"],
            exclude=draft.texts["exclude"],
            examples=draft.texts["examples"],
            keywords=draft.texts["keywords"],
            children=tuple(self.build(child, draft.id) for child in draft.children),
            levels=draft.levels,
            parent_id=parent_id,
            required=draft.required,
            color=draft.color,
        )
