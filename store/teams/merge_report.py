"""What a merge did: per file and in total (the report `accord merge` prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from store.codebook.required import Gap


@dataclass(frozen=True)
class Conflict:
    """One coder's value that diverged on two machines: neither file knew the other's change."""

    paragraph_id: str
    coder_id: str
    field: str
    """The code id, or `status` / `flagged` / `note`."""
    kept: object
    lost: object


@dataclass
class FileReport:
    """What merging one file did (or would do, in a dry run)."""

    path: Path
    coders: list[str] = field(default_factory=list)
    """Coders whose work the file holds."""
    added: dict[str, int] = field(default_factory=dict)
    """Table -> rows added (codings, paragraph_status, events, assignments, coders)."""
    changed: int = 0
    """Values that changed: codings, statuses, flags and notes."""
    conflicts: list[Conflict] = field(default_factory=list)
    handed_to: str | None = None
    """The coder the file was handed out to (`accord handout`), None for other files."""
    gaps: list[Gap] = field(default_factory=list)
    """The file's done paragraphs that miss a variable the codebook requires (merged all the same)."""

    @property
    def rows_added(self) -> int:
        return sum(self.added.values())

    @property
    def strangers(self) -> list[str]:
        """Coders with work in a handed-out file who are not its coder: usually a coder who
        coded under another name (their login name instead of --coder)."""
        return [coder for coder in self.coders if self.handed_to and coder != self.handed_to]


@dataclass
class MergeReport:
    """The report of `accord merge`."""

    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def coders(self) -> list[str]:
        return sorted({coder for report in self.files for coder in report.coders})

    @property
    def rows_added(self) -> int:
        return sum(report.rows_added for report in self.files)

    @property
    def changed(self) -> int:
        return sum(report.changed for report in self.files)

    @property
    def conflicts(self) -> list[Conflict]:
        return [conflict for report in self.files for conflict in report.conflicts]
