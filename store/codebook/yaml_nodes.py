"""Reading YAML as nodes, so every value keeps its line and column and every problem is collected.

`yaml.compose` (not `load`) keeps the place of each value, sees repeated keys, and leaves scalars as
the text the author wrote (`version: 1.0` stays "1.0").
"""

from __future__ import annotations

import difflib
from typing import NoReturn

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from store.errors import CodebookError, Problem
from store.yaml_limits import YamlLimit, check_yaml

NULL_TAG = "tag:yaml.org,2002:null"


class NodeReader:
    """Collects problems, each with file, line and column, while reading one YAML file."""

    def __init__(self, filename: str, fast: bool = False) -> None:
        self.filename = filename
        self.loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader
        """libyaml's loader for text read before (a project's stored codebook): three times
        faster, but its syntax messages are not the ones `syntax_error` words for authors."""
        self.problems: list[Problem] = []
        self.misspelt: set[tuple[int, str]] = set()
        """(id of mapping node, known field) pairs where an unknown field looked like that one."""

    def problem(self, node: Node | None, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.filename, None, None, message))
        else:
            mark = node.start_mark
            self.problems.append(Problem(self.filename, mark.line + 1, mark.column + 1, message))

    def fail_if_problems(self) -> None:
        """Raise every problem found so far, in file order (if any)."""
        if self.problems:
            self.fail()

    def fail(self) -> NoReturn:
        """Raise every problem found so far, in file order."""
        self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise CodebookError(self.problems)

    def compose(self, text: str) -> Node | None:
        """The document's root node; a syntax error is raised at once (nothing after it is sound),
        and so are aliases that expand past a budget and nesting too deep to walk (yaml_limits)."""
        try:
            # Cycles through children: are reported by the parser, naming the code.
            check_yaml(text, cycles=True, loader=self.loader)
            return yaml.compose(text, Loader=self.loader)
        except YamlLimit as error:
            raise CodebookError([Problem(self.filename, error.line + 1, error.column + 1, error.message)]) from error
        except yaml.MarkedYAMLError as error:
            mark, what = syntax_error(error, text)
            if mark is None:
                raise CodebookError([Problem(self.filename, None, None, f"YAML syntax: {what}")]) from error
            shown = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            # The line itself and a caret under the place, as compilers show them.
            where = f"\n    {shown.replace(chr(9), chr(0x2192))}\n    {' ' * mark.column}^"
            raise CodebookError([Problem(self.filename, mark.line + 1, mark.column + 1,
                                         f"YAML syntax: {what}{where}")]) from error
        except yaml.YAMLError as error:
            raise CodebookError([Problem(self.filename, None, None, f"YAML syntax: {error}")]) from error

    def mapping(self, node: MappingNode, allowed: tuple[str, ...], where: str) -> dict[str, Node]:
        """The mapping's fields by name; unknown and repeated fields are problems."""
        fields: dict[str, Node] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, f"a field name must be a plain word in {where}")
                continue
            name = key_node.value
            if name in first_seen:
                first = first_seen[name].start_mark.line + 1
                self.problem(key_node, f"duplicate field {name!r} in {where} (first at line {first})")
                continue
            first_seen[name] = key_node
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(allowed)}"
                if close:
                    self.misspelt.add((id(node), close[0]))
                self.problem(key_node, f"unknown field {name!r} in {where}{hint}")
                continue
            fields[name] = value_node
        return fields

    def text(self, node: Node | None, name: str) -> str:
        """A scalar field as text; empty when absent or null."""
        if node is None:
            return ""
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{name} must be text, not a {shape(node)}")
            return ""
        return "" if node.tag == NULL_TAG else node.value.strip()

    def texts(self, node: Node | None, name: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return ()
        if isinstance(node, ScalarNode):
            return (node.value.strip(),) if node.value.strip() else ()
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{name} must be a list of texts, not a {shape(node)}")
            return ()
        items = []
        for item in node.value:
            value = self.text(item, f"each entry of {name}")
            if value:
                items.append(value)
        return tuple(items)

    def sequence(self, node: Node | None, name: str) -> list[MappingNode]:
        """A list of mappings (codes, variables, children, levels)."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{name} must be a list (entries starting with '- '), not a {shape(node)}")
            return []
        entries = []
        for item in node.value:
            if isinstance(item, MappingNode):
                entries.append(item)
            else:
                self.problem(item, f"each entry of {name} must be a mapping (id:, label:, ...), not a {shape(item)}")
        return entries

    def problems_at(self, node: Node) -> bool:
        """Whether a problem was already reported on the node's line."""
        line = node.start_mark.line + 1
        return any(p.line == line for p in self.problems)


def syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[Mark | None, str]:
    """Where a YAML syntax error starts, and what it is in a coder's words.

    PyYAML reports where it gave up: for an unclosed quote or bracket that is the end of the
    file or a later line; the place where the quote or bracket opened (its context mark) is
    where the author must look.
    """
    context, problem = error.context or "", error.problem or ""
    opened = error.context_mark
    if opened is not None and "quoted scalar" in context:
        quote = text.splitlines()[opened.line][opened.column:opened.column + 1] or '"'
        return opened, f"a quoted text opens here and is never closed: add the closing {quote}"
    if opened is not None and context.startswith("while parsing a flow"):
        bracket = "[" if "sequence" in context else "{"
        return opened, f"the {bracket!r} opened here is never closed: add {']' if bracket == '[' else '}'!r}"
    if opened is not None and "simple key" in context:
        return opened, "a line without ':' (fields are written `name: value`)"
    mark = error.problem_mark or opened
    if "'\\t'" in problem:
        return mark, "a tab (YAML indents with spaces only)"
    if "mapping values are not allowed" in problem:
        return mark, "a ':' where no field can start: indent this line like the field above, or quote the value"
    if context.startswith("while parsing a block") and "expected <block end>" in problem:
        return mark, "this line is indented differently from the lines above it"
    return mark, " ".join(part for part in (context, problem) if part)


def shape(node: Node) -> str:
    """What the author wrote, in words: mapping, list or text."""
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "text"
