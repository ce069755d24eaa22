"""REFI-QDA writers: the codebook as `.qdc`, the project as `.qdpx` (NVivo, ATLAS.ti, MAXQDA, QualCoder).

A `.qdpx` is a zip with `project.qde` (XML) and one plain-text file per document under
`sources/`. Each document's text is its paragraphs joined by a blank line; every paragraph a
coder marked done (or noted, flagged, coded) becomes a PlainTextSelection over exactly that
paragraph's characters, created by the coder's User, with one Coding per applied code; codes
set to 0 on purpose and variables cleared on purpose (an adjudicator's "Not applied" and "No
level") are listed by id in the selection's Description, which the importer reads back. A
variable becomes a non-codable code whose levels are codable sub-codes. GUIDs derive from the
project id, so exporting twice gives the same GUIDs.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree

from exports.files import atomic_path
from store import Project, plural
from store import Document
from store import (
    CODEBOOK_NS,
    PARAGRAPH_SEPARATOR,
    PROJECT_NS,
    accord_description,
    guid,
    selection_description,
)

CHUNK_PARAGRAPHS = 20_000
DOCUMENT_VARIABLES = ("title", "speaker", "country", "date")


@dataclass
class CodeNode:
    """A REFI code: an Accord code, a variable (not codable) or one of its levels."""

    guid: str
    name: str
    description: str
    codable: bool
    children: list[CodeNode] = field(default_factory=list)
    color: str | None = None


def code_tree(project: Project, retired: bool = True) -> tuple[list[CodeNode], dict[tuple[str, str | None], str]]:
    """The codebook as REFI codes, and (code id, level or None) -> GUID for codings.

    Retired codes are in a project (their codings travel) but not in a codebook exchange file.
    """
    rows = project.codes(include_retired=retired)
    nodes: dict[str, CodeNode] = {}
    guids: dict[tuple[str, str | None], str] = {}
    roots: list[CodeNode] = []
    pid = project.project_id
    colors = project.code_colors()
    for row in rows:
        node = CodeNode(guid(pid, "code", row.id), row.label, accord_description(row.definition, row.id, row.kind),
                        codable=row.kind == "code", color=colors.get(row.id))
        guids[(row.id, None)] = node.guid
        if row.kind != "code":
            for value, label in project.levels(row.id):
                level = CodeNode(guid(pid, "level", row.id, value), label,
                                 accord_description("", row.id, "level", value), codable=True)
                guids[(row.id, value)] = level.guid
                node.children.append(level)
        nodes[row.id] = node
    for row in rows:
        parent = nodes.get(row.parent_id) if row.parent_id else None  # a retired parent's children go to the top
        (parent.children if parent else roots).append(nodes[row.id])
    return roots, guids


def _code_element(node: CodeNode, ns: str) -> etree._Element:
    element = etree.Element(f"{{{ns}}}Code", guid=node.guid, name=node.name, isCodable="true" if node.codable else "false")
    if node.color:
        element.set("color", node.color)
    if node.description:
        etree.SubElement(element, f"{{{ns}}}Description").text = node.description
    for child in node.children:
        element.append(_code_element(child, ns))
    return element


def qdc_bytes(project: Project) -> bytes:
    """The project's codebook as a REFI-QDA codebook file (`.qdc`)."""
    roots, _ = code_tree(project, retired=False)
    book = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin="Accord")
    codes = etree.SubElement(book, f"{{{CODEBOOK_NS}}}Codes")
    for node in roots:
        codes.append(_code_element(node, CODEBOOK_NS))
    data: bytes = etree.tostring(book, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data


def write_qdc(project: Project, path: Path, force: bool = False) -> None:
    """Write the `.qdc` atomically."""
    with atomic_path(path, force) as temporary:
        temporary.write_bytes(qdc_bytes(project))


ParagraphRow = tuple[str, str, int, int, str]
"""(id, document_id, position, seq, text)"""
StatusRow = tuple[str, str, str, int, str | None]
"""(paragraph_id, coder, status, flagged, note); read with the paragraph's seq in front of the id."""
CodingRow = tuple[str, str, str, object]
"""(paragraph_id, coder, code, value): 1 for a code, the level's text for a variable."""


@dataclass
class _Document:
    id: str
    paragraphs: list[ParagraphRow]
    statuses: list[StatusRow] = field(default_factory=list)
    codings: list[CodingRow] = field(default_factory=list)
    cleared: list[tuple[str, str, str]] = field(default_factory=list)
    """(paragraph_id, coder, variable) cleared on purpose ("No level")."""


@dataclass
class _Selection:
    """What one coder did on one paragraph: a PlainTextSelection."""

    codes: list[str] = field(default_factory=list)
    """The guids of the codes (and levels) applied."""
    status: str | None = None
    flagged: bool = False
    note: str | None = None
    absent: list[str] = field(default_factory=list)
    """Codes the coder set to 0 on purpose ("Not applied"): REFI-QDA has no Coding for them."""
    cleared: list[str] = field(default_factory=list)
    """Variables the coder cleared on purpose ("No level")."""


def _documents(project: Project, on_progress: Callable[[int], None] | None) -> Iterator[_Document]:
    """Documents in corpus order with their paragraphs, statuses and codings, read in ranges
    (a document may straddle two ranges: it is yielded once its last paragraph is read)."""
    project.refuse_misnumbered()
    total = project.paragraph_count()
    current: _Document | None = None
    for first in range(1, total + 1, CHUNK_PARAGRAPHS):
        last = min(first + CHUNK_PARAGRAPHS - 1, total)
        paragraphs = project.paragraph_rows(first, last)
        statuses: dict[int, list[tuple[int, str, str, int, str | None]]] = {}  # by seq, rows as (seq, ...)
        codings: dict[int, list[tuple[int, str, str, object]]] = {}
        cleared: dict[int, list[tuple[int, str, str]]] = {}
        for row in project.status_rows(first, last):
            statuses.setdefault(row[0], []).append(row)
        for row in project.coding_rows(first, last):
            codings.setdefault(row[0], []).append(row)
        for row in project.cleared_rows(first, last):
            cleared.setdefault(row[0], []).append(row)
        for row in paragraphs:
            if current is None or current.id != row[1]:
                if current is not None:
                    yield current
                current = _Document(row[1], [])
            current.paragraphs.append(row)
            paragraph_id, seq = row[0], row[3]
            current.statuses += [(paragraph_id, *row[1:]) for row in statuses.get(seq, [])]
            current.codings += [(paragraph_id, *row[1:]) for row in codings.get(seq, [])]
            current.cleared += [(paragraph_id, *row[1:]) for row in cleared.get(seq, [])]
        if on_progress:
            on_progress(len(paragraphs))
    if current is not None:
        yield current


def _element(tag: str, **attributes: str) -> etree._Element:
    """A project element that declares the default namespace itself (it is written on its own)."""
    return etree.Element(f"{{{PROJECT_NS}}}{tag}", attributes, nsmap={None: PROJECT_NS})


def write_qdpx(project: Project, path: Path, force: bool = False,
               on_progress: Callable[[int], None] | None = None) -> str:
    """Write the whole project as a `.qdpx` archive atomically; returns a one-line summary."""
    roots, code_guids = code_tree(project)
    pid = project.project_id
    coders = project.coders()
    users = {coder: guid(pid, "user", coder) for coder in coders}
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    documents = {d.id: _document_values(d) for d in project.documents()}
    kinds = _variable_kinds(documents.values())
    counts = {"documents": 0, "selections": 0, "codings": 0, "notes": 0}
    notes: list[tuple[str, str, str, str]] = []  # (guid, coder, paragraph id, text)
    with atomic_path(path, force) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive, \
            tempfile.TemporaryFile() as qde:
        with etree.xmlfile(qde, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS}, name=project.path.stem,
                            origin="Accord", creationDateTime=stamp):
                if users:
                    users_element = _element("Users")
                    for coder, user_guid in users.items():
                        etree.SubElement(users_element, f"{{{PROJECT_NS}}}User", guid=user_guid, name=coder, id=coder)
                    xf.write(users_element)
                codebook = _element("CodeBook")
                codes = etree.SubElement(codebook, f"{{{PROJECT_NS}}}Codes")
                for node in roots or [CodeNode(guid(pid, "code", ""), "Accord", "", False)]:
                    codes.append(_code_element(node, PROJECT_NS))
                xf.write(codebook)
                variables = _element("Variables")
                for name, kind in kinds.items():
                    etree.SubElement(variables, f"{{{PROJECT_NS}}}Variable", guid=guid(pid, "variable", name),
                                     name=name, typeOfVariable=kind)
                xf.write(variables)
                if documents:
                    with xf.element(f"{{{PROJECT_NS}}}Sources"):
                        for document in _documents(project, on_progress):
                            source = _source(document, documents[document.id], kinds, pid, users, code_guids, notes,
                                             counts, stamp)
                            text = PARAGRAPH_SEPARATOR.join(row[4] for row in document.paragraphs)
                            archive.writestr(f"sources/{source.get('guid')}.txt", text.encode("utf-8"))
                            xf.write(source)
                            counts["documents"] += 1
                if notes:
                    notes_element = _element("Notes")
                    for note_guid, coder, paragraph, text in notes:
                        note = etree.SubElement(notes_element, f"{{{PROJECT_NS}}}Note", guid=note_guid,
                                                name=f"{paragraph} ({coder})", creatingUser=users[coder])
                        etree.SubElement(note, f"{{{PROJECT_NS}}}PlainTextContent").text = text
                    xf.write(notes_element)
                    counts["notes"] = len(notes)
        qde.seek(0)
        with archive.open("project.qde", "w") as entry:
            while block := qde.read(1 << 20):
                entry.write(block)
    return (f"{plural(counts['documents'], 'document')}, {plural(counts['selections'], 'coded paragraph')}, "
            f"{plural(counts['codings'], 'coding')}, {plural(counts['notes'], 'note')}, {plural(len(users), 'coder')}")


def _document_values(document: Document) -> dict[str, object]:
    """A document's fields and imported metadata: what becomes its REFI variable values."""
    values: dict[str, object] = {name: getattr(document, name) for name in DOCUMENT_VARIABLES}
    for key, value in (json.loads(document.meta) if document.meta else {}).items():
        values.setdefault(key, value if isinstance(value, (str, int, float, bool)) or value is None
                          else json.dumps(value, ensure_ascii=False))
    return values


def _variable_kinds(documents: Iterable[dict[str, object]]) -> dict[str, str]:
    """REFI variable type of each name: Boolean, Integer or Float when every value is one, else Text."""
    seen: dict[str, set[str]] = {name: set() for name in DOCUMENT_VARIABLES}
    for values in documents:
        for name, value in values.items():
            if value is not None:
                seen.setdefault(name, set()).add(_kind(value))
    return {name: next(iter(kinds)) if len(kinds) == 1 else
            "Float" if kinds == {"Integer", "Float"} else "Text" for name, kinds in seen.items()}


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    return "Float" if isinstance(value, float) else "Text"


def _value_text(value: object, kind: str) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        return format(Decimal(repr(float(value))), "f")  # type: ignore[arg-type]  # xsd:decimal has no exponent
    return str(value)


def _source(document: _Document, values: dict[str, object], kinds: dict[str, str], pid: str, users: dict[str, str],
            code_guids: dict[tuple[str, str | None], str], notes: list[tuple[str, str, str, str]],
            counts: dict[str, int], stamp: str) -> etree._Element:
    source_guid = guid(pid, "source", document.id)
    source = _element("TextSource", guid=source_guid, name=document.id, plainTextPath=f"internal://{source_guid}.txt")
    spans = {}
    offset = 0
    for row in document.paragraphs:
        spans[row[0]] = (offset, offset + len(row[4]))
        offset += len(row[4]) + len(PARAGRAPH_SEPARATOR)
    work: dict[tuple[str, str], _Selection] = {}
    for paragraph, coder, status, flagged, note in document.statuses:
        selection = work.setdefault((paragraph, coder), _Selection())
        selection.status, selection.flagged, selection.note = status, bool(flagged), note
    for paragraph, coder, code, value in document.codings:
        if value == 0 and not isinstance(value, str):
            if (code, None) in code_guids:
                work.setdefault((paragraph, coder), _Selection()).absent.append(code)
            continue
        key = (code, None) if value == 1 and not isinstance(value, str) else (code, str(value))
        if key in code_guids:
            work.setdefault((paragraph, coder), _Selection()).codes.append(code_guids[key])
    for paragraph, coder, code in document.cleared:
        if (code, None) in code_guids:
            work.setdefault((paragraph, coder), _Selection()).cleared.append(code)
    order = {row[0]: row[3] for row in document.paragraphs}
    for (paragraph, coder), item in sorted(work.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        start, end = spans[paragraph]
        element = etree.SubElement(
            source, f"{{{PROJECT_NS}}}PlainTextSelection", guid=guid(pid, "selection", paragraph, coder),
            name=f"{paragraph} ({coder})", startPosition=str(start), endPosition=str(end),
            creatingUser=users[coder], creationDateTime=stamp)
        etree.SubElement(element, f"{{{PROJECT_NS}}}Description").text = selection_description(
            paragraph, item.status, item.flagged, sorted(item.absent), sorted(item.cleared))
        for code_guid in item.codes:
            coding = etree.SubElement(element, f"{{{PROJECT_NS}}}Coding",
                                      guid=guid(pid, "coding", paragraph, coder, code_guid), creatingUser=users[coder])
            etree.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=code_guid)
        if item.note:
            note_guid = guid(pid, "note", paragraph, coder)
            etree.SubElement(element, f"{{{PROJECT_NS}}}NoteRef", targetGUID=note_guid)
            notes.append((note_guid, coder, paragraph, item.note))
        counts["selections"] += 1
        counts["codings"] += len(item.codes)
    for name, kind in kinds.items():
        value = values.get(name)
        if value is not None and value != "":
            variable = etree.SubElement(source, f"{{{PROJECT_NS}}}VariableValue")
            etree.SubElement(variable, f"{{{PROJECT_NS}}}VariableRef", targetGUID=guid(pid, "variable", name))
            etree.SubElement(variable, f"{{{PROJECT_NS}}}{kind}Value").text = _value_text(value, kind)
    return source


__all__ = ["code_tree", "qdc_bytes", "write_qdc", "write_qdpx"]
