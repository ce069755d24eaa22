"""What Accord takes from a REFI-QDA file, as plain dataclasses (read by intake/refi.py and
intake/refi_project.py), with the marks Accord's own exports leave in descriptions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.errors import AccordError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_CODE_MARK = re.compile(r"^Accord code: (\S+)$", re.M)
_VARIABLE_MARK = re.compile(r"^Accord variable \((single|ordinal)\): (\S+)$", re.M)
_LEVEL_MARK = re.compile(r"^Accord level: (\S+) of (\S+)$", re.M)
_SELECTION_MARK = re.compile(r"^Accord paragraph (\S+)(?:; status (\w+))?(; flagged)?"
                             r"(?:; not applied: ([\w, ]+?))?(?:; no level: ([\w, ]+?))?$")


class RefiError(AccordError):
    """A REFI-QDA file that Accord cannot or will not read."""


@dataclass
class RefiCode:
    """A code of a REFI file, with what Accord wrote about it (when Accord wrote it)."""

    guid: str
    name: str
    description: str
    codable: bool
    parent: str | None
    children: list[str] = field(default_factory=list)
    color: str | None = None
    """`#rrggbb` (a `#rgb` of the file is written out in full)."""
    notes: list[str] = field(default_factory=list)
    """Texts of the notes (memos) the code refers to by NoteRef."""

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
    """Names of picture, PDF, audio and video sources (and text sources given only as rich text):
    Accord codes plain text only, so they are left out and listed."""

    @property
    def roots(self) -> list[RefiCode]:
        return [code for code in self.codes.values() if code.parent is None]
