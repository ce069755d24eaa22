"""Keys for a codebook that has few or none: proposed for the most used codes, written into its
YAML text line by line so that the author's comments and layout stay.

Functions on a codebook and its text (no project here: the caller counts the codings).
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from store.codebook.model import Code, Codebook
from store.errors import AccordError

LETTERS = string.ascii_lowercase + string.ascii_uppercase


@dataclass(frozen=True)
class Proposal:
    """A key proposed for one code."""

    code: Code
    key: str
    codings: int
    """Paragraphs coded with it in the project, every coder counted."""


def propose_keys(codebook: Codebook, counts: Mapping[str, int], reserved: Collection[str],
                 limit: int = 20) -> list[Proposal]:
    """Keys for the `limit` most used codes and variables without one (ties in codebook order).

    The first nine top-level codes are left out (digits 1-9 toggle them). A key is a letter of
    the label (its first, then the others), else any free letter; never one of `reserved` or a
    key the codebook already gives.
    """
    codes = [code for code in codebook.walk() if not code.retired]
    digits = {code.id for code in [c for c in codebook.codes if not c.retired][:9]}
    taken = set(reserved) | {code.key for code in codes if code.key}
    order = {code.id: i for i, code in enumerate(codes)}
    wanting = [code for code in codes if not code.key and code.id not in digits]
    wanting.sort(key=lambda code: (-counts.get(code.id, 0), order[code.id]))
    proposals = []
    for code in wanting[:limit]:
        letters = [c for c in code.label.lower() if c in string.ascii_lowercase]
        candidates = [*letters, *(c.upper() for c in letters), *LETTERS]
        key = next((c for c in candidates if c not in taken), None)
        if key is None:
            break  # every letter is taken
        taken.add(key)
        proposals.append(Proposal(code, key, counts.get(code.id, 0)))
    return proposals


def insert_keys(text: str, keys: Mapping[str, str]) -> str:
    """`text` (a codebook's YAML) with a `key:` line added to each code of `keys` (id -> key),
    right after its `id:` line and indented like it; a flow mapping (`{id: x, ...}`) gets
    `, key: k` after its id. Every other line stays as it was.

    Raises:
        AccordError: a code is not found as a mapping with an `id:`, or already has a `key:`.
    """
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    places: dict[str, tuple[ScalarNode, ScalarNode, MappingNode]] = {}

    def visit(node: object) -> None:
        if isinstance(node, MappingNode):
            fields = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
            if "id" in fields and isinstance(fields["id"][1], ScalarNode):
                id_key, id_value = fields["id"]
                places.setdefault(id_value.value, (id_key, id_value, node))
            for _, value in node.value:
                visit(value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                visit(item)

    visit(root)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, str]] = []
    for code_id, key in keys.items():
        if code_id not in places:
            raise AccordError(f"code {code_id!r} is not written as a mapping with id: in the file")
        id_key, id_value, mapping = places[code_id]
        if any(isinstance(k, ScalarNode) and k.value == "key" for k, _ in mapping.value):
            raise AccordError(f"code {code_id!r} already has a key: field; edit it by hand")
        if mapping.flow_style:
            edits.append((id_value.end_mark.index, f", key: {key}"))
        else:
            end_of_line = text.find("\n", id_value.end_mark.index)
            at = len(text) if end_of_line < 0 else end_of_line + 1
            line = f"{' ' * id_key.start_mark.column}key: {key}"
            edits.append((at, (newline if end_of_line < 0 else "") + line + (newline if end_of_line >= 0 else "")))
    for at, inserted in sorted(edits, reverse=True):
        text = text[:at] + inserted + text[at:]
    return text


def without_keys(codebook: Codebook, ids: Collection[str]) -> Codebook:
    """`codebook` with the keys of `ids` taken away and no source text: what a file with keys
    added must equal once they are taken away again."""

    def strip(code: Code) -> Code:
        children = tuple(strip(child) for child in code.children)
        return replace(code, key=None if code.id in ids else code.key, children=children)

    return replace(codebook, codes=tuple(strip(c) for c in codebook.codes),
                   variables=tuple(strip(v) for v in codebook.variables), source="")


def keyed_text(text: str, filename: str, keys: Mapping[str, str], reserved: Collection[str]) -> str:
    """`insert_keys`, then proof: the result parses, gives each code its key, and equals the
    codebook of `text` once those keys are taken away again.

    Raises:
        AccordError: the keys could not be written, or the result is not the same codebook.
        CodebookError: `text` itself has problems.
    """
    from store.codebook.parser import parse_codebook

    before = parse_codebook(text, filename, reserved_keys=reserved)
    written = insert_keys(text, keys)
    after = parse_codebook(written, filename, reserved_keys=reserved)
    given = {code.id: code.key for code in after.walk() if code.id in keys}
    if given != dict(keys) or without_keys(after, keys.keys()) != without_keys(before, keys.keys()):
        raise AccordError(f"adding keys to {filename} would change more than its keys; nothing written")
    return written
