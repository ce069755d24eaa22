"""Domain errors: each carries a message a researcher can act on."""

from __future__ import annotations

from dataclasses import dataclass


class AccordError(Exception):
    """An error caused by the user's input or files, not by a bug in Accord."""


class ProjectError(AccordError):
    """The project file is missing, not an Accord project, too new, or damaged."""


class StorageError(ProjectError):
    """The project file cannot be read or written: disk full, read-only, damaged, locked."""

    def __init__(self, message: str, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged
        """True when SQLite found the file's pages or an index malformed."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located as precisely as the format allows."""

    file: str
    """Path of the file as the user named it."""
    line: int | None
    """1-based line, or None where the format has no lines."""
    column: int | None
    """1-based column, or None."""
    message: str
    """What is wrong, in words."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class CodebookError(AccordError):
    """A codebook file has one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
