"""Reading REFI-QDA files (`.qdpx` projects, `.qdc` codebooks) safely, into plain dataclasses.

The archive is read in memory, never extracted, within a budget of unpacked bytes in proportion
to its size (intake/zip_limits.py); a member or a source path that would leave the
archive's folder is refused, and so is XML that declares a DTD (entities can read local files
or reach the network). Conventions shared with the writer (exports/refi.py) live here too.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from store.codebook.model import MAX_CODE_DEPTH
from store.errors import AccordError
from store.intake.source import one_line_end
from store.intake.zip_limits import TooLarge, Unpacking

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PARAGRAPH_SEPARATOR = "\n\n"
"""Between paragraphs in a source's plain text: what selection offsets count over."""

_CODE_MARK = re.compile(r"^Accord code: (\S+)$", re.M)
_VARIABLE_MARK = re.compile(r"^Accord variable \((single|ordinal)\): (\S+)$", re.M)
_LEVEL_MARK = re.compile(r"^Accord level: (\S+) of (\S+)$", re.M)
_SELECTION_MARK = re.compile(r"^Accord paragraph (\S+)(?:; status (\w+))?(; flagged)?"
                             r"(?:; not applied: ([\w, ]+?))?(?:; no level: ([\w, ]+?))?$")


class RefiError(AccordError):
    """A REFI-QDA file that Accord cannot or will not read."""


@lru_cache(maxsize=16)
def _namespace(project_id: str) -> bytes:
    return uuid.UUID(project_id).bytes


def guid(project_id: str, *parts: str) -> str:
    """A stable GUID for one thing of one project (same project, same thing: same GUID).

    uuid.uuid5(UUID(project_id), name) written out by hand: a large export makes hundreds of
    thousands of these, and building UUID objects took a third of the time.
    """
    digest = bytearray(hashlib.sha1(_namespace(project_id) + "\x1f".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def accord_description(definition: str | None, code_id: str, kind: str, level: str | None = None) -> str:
    """A code's REFI Description: its definition, then a line that lets Accord map it back."""
    if kind == "code":
        mark = f"Accord code: {code_id}"
    elif kind == "level":
        mark = f"Accord level: {level} of {code_id}"
    else:
        mark = f"Accord variable ({kind}): {code_id}"
    return f"{definition.strip()}\n\n{mark}" if definition and definition.strip() else mark


def selection_description(paragraph_id: str, status: str | None, flagged: bool,
                          absent: Sequence[str] = (), cleared: Sequence[str] = ()) -> str:
    """A selection's Description: which paragraph, the coder's status and flag, and the values
    the coder set to absent on purpose.

    REFI-QDA codes only what is applied, so an explicit 0 ("Not applied", an adjudicator's
    decision) and a variable cleared on purpose ("No level") are listed here by code id; other
    tools show or ignore the Description as text, and the file stays valid against Project.xsd.
    """
    return (f"Accord paragraph {paragraph_id}" + (f"; status {status}" if status else "")
            + ("; flagged" if flagged else "") + (f"; not applied: {', '.join(absent)}" if absent else "")
            + (f"; no level: {', '.join(cleared)}" if cleared else ""))


@dataclass
class RefiCode:
    """A code of a REFI file, with what Accord wrote about it (when Accord wrote it)."""

    guid: str
    name: str
    description: str
    codable: bool
    parent: str | None
    children: list[str] = field(default_factory=list)

    @property
    def definition(self) -> str:
        """The description without Accord's mapping line."""
        text = _CODE_MARK.sub("", _VARIABLE_MARK.sub("", _LEVEL_MARK.sub("", self.description)))
        return text.strip()

    @property
    def accord_code(self) -> str | None:
        match = _CODE_MARK.search(self.description)
        return match.group(1) if match else None

    @property
    def accord_variable(self) -> tuple[str, str] | None:
        """(kind, id) when Accord wrote this code for a variable."""
        match = _VARIABLE_MARK.search(self.description)
        return (match.group(1), match.group(2)) if match else None

    @property
    def accord_level(self) -> tuple[str, str] | None:
        """(variable id, level value) when Accord wrote this code for a level."""
        match = _LEVEL_MARK.search(self.description)
        return (match.group(2), match.group(1)) if match else None


@dataclass
class RefiSelection:
    """A coded stretch of a text source: characters [start, end)."""

    start: int
    end: int
    user: str | None
    codes: list[str]
    notes: list[str]
    description: str = ""

    @property
    def accord_status(self) -> tuple[str | None, bool] | None:
        """(status, flagged) when Accord wrote the selection, else None."""
        match = _SELECTION_MARK.match(self.description.strip())
        return (match.group(2), bool(match.group(3))) if match else None

    @property
    def accord_absent(self) -> tuple[list[str], list[str]]:
        """(codes set to 0, variables cleared) on purpose, when Accord wrote the selection."""
        match = _SELECTION_MARK.match(self.description.strip())
        if not match:
            return [], []
        return _ids(match.group(4)), _ids(match.group(5))


def _ids(listed: str | None) -> list[str]:
    return [part.strip() for part in (listed or "").split(",") if part.strip()]


@dataclass
class RefiSource:
    """A text source: its plain text, selections and variable values."""

    guid: str
    name: str
    text: str
    selections: list[RefiSelection]
    variables: dict[str, object]
    """Variable name -> value (str, int, float or bool as the file types it)."""


@dataclass
class RefiProject:
    """What Accord takes from a `.qdpx` (or, codes only, a `.qdc`)."""

    name: str = ""
    creator: str | None = None
    users: dict[str, str] = field(default_factory=dict)
    """GUID -> name."""
    codes: dict[str, RefiCode] = field(default_factory=dict)
    """GUID -> code, in document order (parents before children)."""
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    """GUID -> text."""
    other_sources: list[str] = field(default_factory=list)
    """Names of picture, PDF, audio and video sources: Accord codes text only, so they are left out."""

    @property
    def roots(self) -> list[RefiCode]:
        return [code for code in self.codes.values() if code.parent is None]


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse XML without resolving entities or touching the network; refuse any DTD."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise RefiError(f"{name}: not well-formed XML ({error})") from error
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise RefiError(f"{name}: declares a DTD; Accord does not read XML with entity declarations "
                        "(they can leak local files)")
    return root


def safe_member(name: str) -> str | None:
    """The archive path normalised, or None when it would leave the archive's folder."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return None
    normal = posixpath.normpath(name)
    if normal == ".." or normal.startswith("../"):
        return None
    return normal


def read_qdpx(path: Path) -> RefiProject:
    """Read a `.qdpx` archive. Raises RefiError naming what is wrong."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise RefiError(f"{path} is not a REFI-QDA project: a .qdpx is a zip archive ({error})") from error
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            normal = safe_member(info.filename)
            if normal is None:
                raise RefiError(f"{path}: archive member {info.filename!r} would leave the archive's folder; refused")
            members[normal] = info
        unpacking = Unpacking(str(path), Path(path).stat().st_size)
        try:
            unpacking.check_directory(members.values())
        except TooLarge as error:
            raise RefiError(str(error)) from error
        qde = [name for name in members if name.lower().endswith(".qde") and "/" not in name]
        if not qde:
            raise RefiError(f"{path}: no project.qde inside; is this a REFI-QDA project?")
        root = parse_xml(_member(unpacking, archive, members[qde[0]], path), f"{path}:{qde[0]}")
        if root.tag != f"{{{PROJECT_NS}}}Project":
            raise RefiError(f"{path}:{qde[0]}: root element is {root.tag}, not a REFI-QDA Project")

        def internal_text(reference: str, where: str) -> str:
            if not reference.startswith("internal://"):
                raise RefiError(f"{where}: source path {reference!r} points outside the archive; refused")
            normal = safe_member("sources/" + reference[len("internal://"):])
            if normal is None or not normal.startswith("sources/"):
                raise RefiError(f"{where}: source path {reference!r} would leave the archive's folder; refused")
            if normal not in members:
                raise RefiError(f"{where}: source file {normal} is missing from the archive")
            data = _member(unpacking, archive, members[normal], path)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = data.count(b"\n", 0, error.start) + 1
                raise RefiError(f"{where}: source file {normal} is not UTF-8 text (byte 0x{data[error.start]:02x} "
                                f"on line {line}); REFI-QDA sources are UTF-8") from error
            if (at := text.find("\x00")) >= 0:  # as every text file Accord reads (intake/decoding.py)
                raise RefiError(f"{where}: source file {normal} line {text.count(chr(10), 0, at) + 1} "
                                "contains a NUL byte; refused")
            return text

        return _project(root, str(path), internal_text)


def _member(unpacking: Unpacking, archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """One member's bytes within the archive's budget; a damaged member (bad checksum, corrupt
    compressed data, a compression this Python cannot undo) is a RefiError naming it."""
    try:
        return unpacking.read(archive, info)
    except TooLarge as error:
        raise RefiError(str(error)) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise RefiError(f"{path}: archive member {info.filename} is damaged ({error}); "
                        "export the project again from the program that made it") from error


def read_qdc(path: Path) -> RefiProject:
    """Read a `.qdc` codebook file (codes only)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise RefiError(f"cannot read {path}: {error.strerror}") from error
    root = parse_xml(data, str(path))
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise RefiError(f"{path}: root element is {root.tag}, not a REFI-QDA CodeBook")
    project = RefiProject(name=Path(path).stem)
    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    _codes(list(codes) if codes is not None else [], CODEBOOK_NS, project.codes, str(path))
    return project


def _codes(elements: list[etree._Element], ns: str, into: dict[str, RefiCode], file: str) -> None:
    """The code tree under `elements`, parents before children in document order.

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
                        element.get("isCodable", "true") in ("true", "1"), parent)
        into[code.guid] = code
        if parent:
            into[parent].children.append(code.guid)
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


def _project(root: etree._Element, name: str, internal_text: Callable[[str, str], str]) -> RefiProject:
    ns = f"{{{PROJECT_NS}}}"
    project = RefiProject(name=root.get("name", ""), creator=root.get("creatingUserGUID"))
    for user in root.iterfind(f"{ns}Users/{ns}User"):
        user_name = user.get("name") or user.get("id") or user.get("guid", "")[:8]
        project.users[user.get("guid", "")] = one_line_end(user_name)  # `&#13;` survives XML's own line-end rule
    _codes(list(root.iterfind(f"{ns}CodeBook/{ns}Codes/{ns}Code")), PROJECT_NS, project.codes, name)
    variables = {v.get("guid"): v.get("name", "") for v in root.iterfind(f"{ns}Variables/{ns}Variable")}
    for note in root.iterfind(f"{ns}Notes/{ns}Note"):
        project.notes[note.get("guid", "")] = note.findtext(f"{ns}PlainTextContent") or ""
    for kind in ("PictureSource", "PDFSource", "AudioSource", "VideoSource"):
        project.other_sources += [s.get("name") or s.get("guid", "") for s in root.iterfind(f"{ns}Sources/{ns}{kind}")]
    for source in root.iterfind(f"{ns}Sources/{ns}TextSource"):
        where = f"{name}: source {source.get('name') or source.get('guid')}"
        content = source.find(f"{ns}PlainTextContent")
        if content is not None:
            text = content.text or ""
        elif source.get("plainTextPath"):
            text = internal_text(source.get("plainTextPath"), where)
        else:
            raise RefiError(f"{where}: has neither PlainTextContent nor plainTextPath")
        selections = []
        for selection in source.iterfind(f"{ns}PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            except ValueError as error:
                raise RefiError(f"{where}: selection {selection.get('guid')} has no valid start/end position") from error
            codings = selection.findall(f"{ns}Coding")
            user = selection.get("creatingUser") or next((c.get("creatingUser") for c in codings if c.get("creatingUser")), None)
            selections.append(RefiSelection(
                start, end, user,
                [ref.get("targetGUID", "") for c in codings for ref in c.iterfind(f"{ns}CodeRef")],
                [ref.get("targetGUID", "") for ref in selection.iterfind(f"{ns}NoteRef")],
                selection.findtext(f"{ns}Description") or "",
            ))
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
