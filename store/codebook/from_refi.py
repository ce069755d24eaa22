"""A codebook from another program: the CodeBook of a REFI-QDA `.qdpx` or `.qdc` (MAXQDA,
ATLAS.ti, NVivo, QualCoder, Accord) as an Accord codebook.

`code_ids` is the one rule that turns a REFI code into an Accord id: the codebook built here
and `accord import FILE.qdpx` (store/refi_import.py) both use it, so the codings of a project
land on the codes its codebook brought.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import Any

from store.codebook.model import Code, Codebook, Level
from store.codebook.parser import ID_PATTERN, MAX_ID_LENGTH, RESERVED_IDS, load_codebook, parse_codebook
from store.codebook.yaml_dump import dump_codebook
from store.intake.refi import RefiCode, RefiError, RefiProject, read_qdc, read_qdpx

REFI_SUFFIXES = (".qdc", ".qdpx")


def slug(name: str) -> str:
    """A snake_case ASCII id from a code's name, never one of the names exports keep for themselves."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", ascii_name.casefold()).strip("_") or "code"
    text = ("c_" + text if not text[0].isalpha() else text)[:MAX_ID_LENGTH].rstrip("_")
    return text[: MAX_ID_LENGTH - 5] + "_code" if text in RESERVED_IDS else text


def _fits(base: str, suffix: str) -> str:
    return base[: MAX_ID_LENGTH - len(suffix)].rstrip("_") + suffix


def code_ids(refi: RefiProject) -> dict[str, str]:
    """REFI code GUID -> Accord id, for every code but the levels of an Accord variable.

    Stable: the same file gives the same ids. Accord's own marks (a file Accord wrote) keep
    their ids; any other code takes the snake_case of its name; when that is taken (two codes
    named `Other`), the later one in the file is prefixed by its parent's id
    (`economy_other`), and when that is taken too, numbered (`other_2`, `other_3`...).
    Every id is at most MAX_ID_LENGTH characters.
    """
    ids: dict[str, str] = {}
    taken: set[str] = set()
    numbered: dict[str, int] = {}
    for code in refi.codes.values():  # marks first: a later code's name never takes a mark's id
        mark = code.accord_code or (code.accord_variable[1] if code.accord_variable else None)
        if mark and ID_PATTERN.match(mark) and len(mark) <= MAX_ID_LENGTH and mark not in taken | RESERVED_IDS:
            ids[code.guid] = mark
            taken.add(mark)
    for code in refi.codes.values():
        parent = refi.codes.get(code.parent) if code.parent else None
        if code.guid in ids or (parent is not None and parent.accord_variable):
            continue
        base = slug(code.name)
        chosen = base
        if chosen in taken and parent is not None and parent.guid in ids:
            chosen = f"{ids[parent.guid]}_{base}"[:MAX_ID_LENGTH].rstrip("_")  # a long parent id cuts the name
        while chosen in taken:  # numbering resumes where it stopped: linear even for 10,000 `Other`s
            numbered[base] = numbered.get(base, 1) + 1
            chosen = _fits(base, f"_{numbered[base]}")
        ids[code.guid] = chosen
        taken.add(chosen)
    return ids


def read_refi_codes(path: Path) -> RefiProject:
    """The codes of a `.qdc`, or of the CodeBook inside a `.qdpx` (its sources left unread)."""
    return read_qdpx(path, sources=False) if path.suffix.lower() == ".qdpx" else read_qdc(path)


def codebook_from_refi(path: Path, current: Codebook | None = None) -> Codebook:
    """An Accord codebook from a `.qdc` or `.qdpx`: hierarchy, names as labels, Descriptions
    (and the code's notes) as definitions, colours; ids by `code_ids`. Keys, rules, examples
    and keywords are kept from the `current` codebook's code of the same id: other programs
    have none of them. Non-codable codes become parent codes (a variable when Accord wrote it)."""
    refi = read_refi_codes(path)
    if not refi.codes:
        raise RefiError(f"{path} has no codes in its codebook; nothing to make a codebook of")
    ids = code_ids(refi)
    by_id = current.by_id() if current else {}

    def build(code: RefiCode, parent_id: str | None) -> Code:
        code_id = ids[code.guid]
        old = by_id.get(code_id)
        definition = "\n\n".join(part for part in (code.definition, *code.notes) if part)
        common: dict[str, Any] = {
            "id": code_id, "label": code.name.strip() or code_id, "definition": definition or (old.definition if old else ""),
            "parent_id": parent_id, "color": code.color or (old.color if old else None),
            "key": old.key if old else None, "include": old.include if old else (),
            "exclude": old.exclude if old else (), "examples": old.examples if old else (),
            "keywords": old.keywords if old else (),
        }
        if code.accord_variable:
            levels = tuple(Level(_level_value(refi.codes[g]), refi.codes[g].name) for g in code.children)
            return Code(kind=code.accord_variable[0], levels=levels, required=old.required if old else None, **common)
        return Code(children=tuple(build(refi.codes[g], code_id) for g in code.children), **common)

    codes: list[Code] = []
    variables: list[Code] = []
    for root in refi.roots:
        built = build(root, None)
        (variables if built.kind != "code" else codes).append(built)
    title = current.title if current else (refi.name or path.stem)
    draft = Codebook(title=title, version=current.version if current else "", unit="paragraph",
                     instructions=current.instructions if current else "", codes=tuple(codes), variables=tuple(variables))
    # Through YAML and back: the project keeps every version as YAML, and the parser checks
    # what the file brought (ids, levels) exactly as it checks a codebook file.
    return parse_codebook(dump_codebook(draft), f"{path} (as codebook YAML)")


def _level_value(code: RefiCode) -> str:
    """The level a sub-code of a variable stands for: Accord's mark, else made from its name."""
    return code.accord_level[1] if code.accord_level else slug(code.name)


def read_codebook(path: Path, current: Codebook | None = None, *,
                  reserved_keys: Collection[str] = frozenset()) -> Codebook:
    """A codebook file of any kind Accord reads: YAML, or a REFI-QDA `.qdc` or `.qdpx`.

    Raises:
        CodebookError: a YAML codebook with problems (all of them listed).
        RefiError: a REFI-QDA file Accord cannot read.
    """
    if path.suffix.lower() in REFI_SUFFIXES:
        return codebook_from_refi(path, current)
    return load_codebook(path, reserved_keys=reserved_keys)
