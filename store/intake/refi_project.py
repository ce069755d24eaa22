"""A REFI-QDA project.qde (or a .qdc's codes) into the dataclasses of intake/refi_model.py.

intake/refi.py opens the archive safely and hands over the parsed XML and a reader of the
archive's text files; this module knows the elements, in the shapes MAXQDA, ATLAS.ti, NVivo
and QualCoder write them: text inline (PlainTextContent) or in a file (plainTextPath), notes
inline or in a file, codings of one selection by several users, a selection's Description as
its comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from store.codebook.model import MAX_CODE_DEPTH
from store.intake.refi_model import (
    PROJECT_NS, RefiCode, RefiError, RefiProject, RefiSelection, RefiSource,
)
from store.intake.source import one_line_end

_RGB = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
NOT_TEXT = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
"""Sources Accord does not code (its unit is a paragraph of plain text): listed as skipped."""


def _color(value: str | None) -> str | None:
    """`#rrggbb` in lower case; `#rgb` spelt out; anything else (not REFI's RGBType) dropped."""
    if not value or not _RGB.fullmatch(value.strip()):
        return None
    digits = value.strip()[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def read_codes(elements: list[etree._Element], ns: str, into: RefiProject, file: str) -> None:
    """The code tree under `elements` into `into.codes`, parents before children in document
    order; a code's NoteRefs resolve against `into.notes`, so read the notes first.

    A loop, not a recursion: a file may nest codes a thousand deep, which is refused by name.
    """
    stack: list[tuple[etree._Element, str | None, int]] = [(element, None, 1) for element in reversed(elements)]
    while stack:
        element, parent, depth = stack.pop()
        if element.tag != f"{{{ns}}}Code":
            continue
        if depth > MAX_CODE_DEPTH:
            raise RefiError(f"{file}: code {element.get('name', '')!r} is nested {depth} levels deep; "
                            f"Accord reads codes nested at most {MAX_CODE_DEPTH} deep")
        description = element.findtext(f"{{{ns}}}Description") or ""
        code = RefiCode(element.get("guid", ""), element.get("name", ""), description,
                        element.get("isCodable", "true") in ("true", "1"), parent, color=_color(element.get("color")),
                        notes=[text for ref in element.iterfind(f"{{{ns}}}NoteRef")
                               if (text := into.notes.get(ref.get("targetGUID", ""), "").strip())])
        into.codes[code.guid] = code
        if parent:
            into.codes[parent].children.append(code.guid)
        stack.extend((child, code.guid, depth + 1) for child in reversed(element.findall(f"{{{ns}}}Code")))


def _typed_value(tag: str, text: str) -> object:
    """A REFI variable value as Python: IntegerValue an int, FloatValue a float, BooleanValue a bool."""
    try:
        if tag == "IntegerValue":
            return int(text)
        if tag == "FloatValue":
            return float(text)
    except ValueError:
        return text
    if tag == "BooleanValue":
        return text in ("true", "1")
    return text


def project_from_xml(root: etree._Element, name: str, internal_text: Callable[[str, str], str],
                     sources: bool = True) -> RefiProject:
    """The project of a parsed project.qde, with its sources when `sources`; `internal_text`
    reads an `internal://` file."""
    ns = f"{{{PROJECT_NS}}}"
    project = RefiProject(name=root.get("name", ""), creator=root.get("creatingUserGUID"))
    for user in root.iterfind(f"{ns}Users/{ns}User"):
        user_name = user.get("name") or user.get("id") or user.get("guid", "")[:8]
        project.users[user.get("guid", "")] = one_line_end(user_name)  # `&#13;` survives XML's own line-end rule
    for note in root.iterfind(f"{ns}Notes/{ns}Note"):
        text = note.findtext(f"{ns}PlainTextContent")
        if text is None and note.get("plainTextPath"):  # QualCoder writes its notes as files
            text = internal_text(note.get("plainTextPath", ""), f"{name}: note {note.get('name') or note.get('guid')}")
        project.notes[note.get("guid", "")] = text or ""
    read_codes(list(root.iterfind(f"{ns}CodeBook/{ns}Codes/{ns}Code")), PROJECT_NS, project, name)
    if not sources:
        return project
    variables = {v.get("guid"): v.get("name", "") for v in root.iterfind(f"{ns}Variables/{ns}Variable")}
    for kind in NOT_TEXT:
        project.other_sources += [s.get("name") or s.get("guid", "") for s in root.iterfind(f"{ns}Sources/{ns}{kind}")]
    for source in root.iterfind(f"{ns}Sources/{ns}TextSource"):
        where = f"{name}: source {source.get('name') or source.get('guid')}"
        content = source.find(f"{ns}PlainTextContent")
        if content is not None:
            text = content.text or ""
        elif source.get("plainTextPath"):
            text = internal_text(source.get("plainTextPath", ""), where)
        elif source.get("richTextPath"):  # rich text only (a .docx): nothing the offsets count over
            project.other_sources.append(source.get("name") or source.get("guid", ""))
            continue
        else:
            raise RefiError(f"{where}: has neither PlainTextContent nor plainTextPath")
        selections: list[RefiSelection] = []
        for selection in source.iterfind(f"{ns}PlainTextSelection"):
            selections += _selections(selection, ns, where)
        whole = list(source.findall(f"{ns}Coding"))
        if whole:  # codings of the whole source: a selection over all of it
            selections.append(RefiSelection(0, len(text), whole[0].get("creatingUser"),
                                            [ref.get("targetGUID", "") for c in whole for ref in c.iterfind(f"{ns}CodeRef")], []))
        values: dict[str, object] = {}
        for value in source.iterfind(f"{ns}VariableValue"):
            ref = value.find(f"{ns}VariableRef")
            key = variables.get(ref.get("targetGUID")) if ref is not None else None
            found = next((child for child in value if child.tag != f"{ns}VariableRef"), None)
            if key and found is not None and found.text is not None:
                values[key] = _typed_value(etree.QName(found).localname, found.text.strip())
        project.sources.append(RefiSource(source.get("guid", ""), source.get("name") or source.get("guid", ""),
                                          text, selections, values))
    return project


def _selections(selection: etree._Element, ns: str, where: str) -> list[RefiSelection]:
    """One PlainTextSelection as one RefiSelection per user who coded it: each Coding is by its
    own creatingUser (else the selection's), so two coders' codings of one stretch stay apart."""
    try:
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError as error:
        raise RefiError(f"{where}: selection {selection.get('guid')} has no valid start/end position") from error
    own = selection.get("creatingUser")
    by_user: dict[str | None, list[str]] = {}
    for coding in selection.iterfind(f"{ns}Coding"):
        by_user.setdefault(coding.get("creatingUser") or own, []).extend(
            ref.get("targetGUID", "") for ref in coding.iterfind(f"{ns}CodeRef"))
    notes = [ref.get("targetGUID", "") for ref in selection.iterfind(f"{ns}NoteRef")]
    description = selection.findtext(f"{ns}Description") or ""
    if not by_user:
        return [RefiSelection(start, end, own, [], notes, description)]
    return [RefiSelection(start, end, user, codes, notes, description) for user, codes in by_user.items()]
