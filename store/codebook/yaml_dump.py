"""Writing a codebook back to YAML, for codebooks that come from elsewhere (e.g. REFI-QDA .qdc).

The project keeps every version as YAML text; a codebook built in code has none, so this writes
one that `parse_codebook` reads back into the same models.
"""

from __future__ import annotations

from typing import Any

import yaml

from store.codebook.model import Code, Codebook


class _Dumper(yaml.SafeDumper):
    """Block style throughout; multi-line text as literal blocks so the file stays readable."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_codebook(codebook: Codebook) -> str:
    """The codebook as YAML in the format of codebook.yaml; retired codes are left out."""
    document: dict[str, Any] = {"codebook": codebook.title}
    if codebook.version:
        document["version"] = codebook.version
    document["unit"] = codebook.unit
    if codebook.instructions:
        document["instructions"] = codebook.instructions + "\n"
    document["codes"] = [_code(code) for code in codebook.codes if not code.retired]
    if codebook.variables:
        document["variables"] = [_code(code) for code in codebook.variables if not code.retired]
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _code(code: Code) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": code.id, "label": code.label}
    if code.kind != "code":
        entry["kind"] = code.kind
    if code.key:
        entry["key"] = code.key
    if code.required:
        entry["required"] = code.required
    if code.color:
        entry["color"] = code.color
    if code.definition:
        entry["definition"] = code.definition
    for name in ("include", "exclude", "examples", "keywords"):
        if values := getattr(code, name):
            entry[name] = list(values)
    if code.levels:
        entry["levels"] = [{"value": level.value, "label": level.label} for level in code.levels]
    if children := [_code(child) for child in code.children if not child.retired]:
        entry["children"] = children
    return entry
