"""Reading REFI-QDA files (`.qdpx` projects, `.qdc` codebooks) safely, into plain dataclasses.

The archive is read in memory, never extracted, within a budget of unpacked bytes in proportion
to its size (intake/zip_limits.py); a member or a source path that would leave the
archive's folder is refused, and so is XML that declares a DTD (entities can read local files
or reach the network). Conventions shared with the writer (exports/refi.py) live here too.
"""

from __future__ import annotations

import codecs
import hashlib
import posixpath
import re
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from lxml import etree

from store.intake.refi_model import (
    CODEBOOK_NS, PROJECT_NS, RefiCode, RefiError, RefiProject, RefiSelection, RefiSource,
)
from store.intake.refi_project import project_from_xml, read_codes
from store.intake.zip_limits import TooLarge, Unpacking

PARAGRAPH_SEPARATOR = "\n\n"
"""Between paragraphs in a source's plain text: what selection offsets count over."""


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


def read_qdpx(path: Path, sources: bool = True) -> RefiProject:
    """Read a `.qdpx` archive (without `sources`: its users, notes and codes only, for its
    codebook). Raises RefiError naming what is wrong."""
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

        folder = {name.casefold(): name for name in members}

        def internal_text(reference: str, where: str) -> str:
            if not reference.startswith("internal://"):
                raise RefiError(f"{where}: source path {reference!r} points outside the archive; refused")
            relative = reference[len("internal://"):]
            normal = safe_member("sources/" + relative)
            if normal is None or not normal.startswith("sources/"):
                raise RefiError(f"{where}: source path {reference!r} would leave the archive's folder; refused")
            # MAXQDA and QualCoder write `Sources/`, the standard `sources/`; some tools name the
            # folder in the path itself (internal://Sources/a.txt).
            found = folder.get(normal.casefold()) or folder.get((safe_member(relative) or normal).casefold())
            if found is None:
                raise RefiError(f"{where}: source file {normal} is missing from the archive")
            return _text(_member(unpacking, archive, members[found], path), f"{where}: source file {found}")

        return project_from_xml(root, str(path), internal_text, sources)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _text(data: bytes, where: str) -> str:
    """A source file's text: UTF-8 (with or without BOM), or UTF-16/32 with a BOM (Windows tools
    write those); anything else is refused, not guessed, since selection offsets count characters."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RefiError(f"{where} is not {encoding.upper().removesuffix('-SIG')} text (byte 0x{data[error.start]:02x} "
                        f"on line {line}); REFI-QDA sources are UTF-8") from error
    if (at := text.find("\x00")) >= 0:  # as every text file Accord reads (intake/decoding.py)
        raise RefiError(f"{where} line {text.count(chr(10), 0, at) + 1} contains a NUL byte; refused")
    return text


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
    read_codes(list(codes) if codes is not None else [], CODEBOOK_NS, project, str(path))
    return project


__all__ = ["CODEBOOK_NS", "PARAGRAPH_SEPARATOR", "PROJECT_NS", "RefiCode", "RefiError", "RefiProject", "RefiSelection",
           "RefiSource", "accord_description", "guid", "parse_xml", "read_qdc", "read_qdpx", "safe_member",
           "selection_description"]
