"""Codings made elsewhere (a spreadsheet, another tool) brought into a project from CSV.

Two layouts, told apart by the header:

- long: `paragraph_id, coder, code, value` — one row per applied code or set variable; `value`
  is optional (a code's row means applied; 0 means not applied). A row with an empty `code`
  records a paragraph done with nothing applied.
- wide: `paragraph_id, coder` and one column per code or variable id — 1/0 (or yes/no, x,
  empty) for codes, the level for variables (empty: not set).

Every (paragraph, coder) in the file becomes done by that coder, and the file is the whole
truth for it: codes not applied there are absent, variables not given are cleared. The file
is checked completely first; any problem (unknown paragraph, code, level, coder missing...)
is listed with its line and nothing is imported. The import is one transaction, with every
change in the audit log like a coder's own.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from store.base import ProjectBase

from store import events as writes
from store.codebook.required import Gap, required_gaps
from store.coding import CONSENSUS
from store.intake.decoding import NotText, decode
from store.intake.source import one_line_end
from store.errors import AccordError, Problem
from store.words import plural

TRUE = {"1", "true", "yes", "y", "x"}
FALSE = {"0", "false", "no", "n", ""}
SHOWN_PROBLEMS = 20


class CodingsFileError(AccordError):
    """A codings file has problems; all of them are listed (the first few in the message)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        more = f"\n  … and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        super().__init__(f"{plural(len(problems), 'problem')} in the codings file; nothing was imported:\n{shown}{more}")


@dataclass
class CodingsImport:
    """What an import of codings did."""

    layout: str
    """`long` or `wide`."""
    paragraphs: int = 0
    """(paragraph, coder) pairs marked done."""
    coders: list[str] = field(default_factory=list)
    changes: int = 0
    """Codings written (applied, removed, set or cleared)."""
    replaced: dict[str, int] = field(default_factory=dict)
    """Coder -> paragraphs on which they already had codings that the file changed: the file is
    the whole truth for its paragraphs, so a lead learns what it overwrote."""
    gaps: list[Gap] = field(default_factory=list)
    """Imported (paragraph, coder) pairs that miss a required variable: imported all the same
    (the coder's data is not lost), reported so the lead can follow up."""


@dataclass(frozen=True)
class _CodeInfo:
    kind: str
    retired: bool
    levels: dict[str, str]
    """level value or label -> value."""


def _consensus_rows(name: str, coder_at: int, rows: list[list[str]]) -> list[Problem]:
    """One problem at the first row of the coder `consensus`, counting the others."""
    lines = [line for line, cells in enumerate(rows[1:], start=2)
             if coder_at < len(cells) and cells[coder_at].strip() == CONSENSUS]
    if not lines:
        return []
    more = f" (and {plural(len(lines) - 1, 'more row')})" if len(lines) > 1 else ""
    return [Problem(name, lines[0], None,
                    f"the coder {CONSENSUS!r} is reserved for adjudicated values (accord adjudicate){more}; "
                    f"to import another lead's decisions on purpose: accord import-codings --include-consensus FILE")]


class CodingsFileImport(ProjectBase):
    """`import_codings`: all of a file, or nothing (a Project method: one project takes in a
    file, whatever coders it names)."""

    def import_codings(self, path: Path, include_consensus: bool = False) -> CodingsImport:
        """Read and check `path`, then write its codings in one transaction.

        Rows of the coder `consensus` are refused (only adjudication writes the consensus)
        unless `include_consensus`: the lead imports another lead's decisions on purpose.

        Raises:
            CodingsFileError: the file's problems, each with its line; the project is unchanged.
            AccordError: the file cannot be read at all.
        """
        path = Path(path)
        name = str(path)
        try:
            text = decode(path.read_bytes())
        except OSError as error:
            raise AccordError(f"cannot read {name}: {error.strerror}") from error
        except NotText as error:
            raise AccordError(str(Problem(name, error.line, None, str(error)))) from error
        delimiter = _delimiter(path, text)
        # One line end first, as at every import: a coder name or id never keeps a carriage return.
        rows = list(csv.reader(io.StringIO(one_line_end(text), newline=""), delimiter=delimiter))
        if not rows:
            raise CodingsFileError([Problem(name, 1, None, "the file is empty; expected a header row")])
        codes = self._code_infos()
        header = [cell.strip() for cell in rows[0]]
        lowered = [cell.lower() for cell in header]
        problems: list[Problem] = []
        if {"paragraph_id", "coder", "code"} <= set(lowered):
            layout = "long"
            table = self._read_long(name, lowered, rows[1:], codes, problems)
        elif {"paragraph_id", "coder"} <= set(lowered):
            layout = "wide"
            table = self._read_wide(name, header, lowered, rows[1:], codes, problems)
        else:
            raise CodingsFileError([Problem(
                name, 1, None,
                "the header needs paragraph_id, coder, code[, value] (long) or paragraph_id, coder and "
                f"one column per code (wide); found: {', '.join(header) or 'nothing'}",
            )])
        if not table and not problems:
            problems.append(Problem(name, 1, None, "a header and no rows: nothing to import"))
        if not include_consensus:
            problems.extend(_consensus_rows(name, lowered.index("coder"), rows))
        self._check_paragraphs(name, table, problems)
        if problems:
            raise CodingsFileError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
        result = self._write(layout, table, codes)
        result.gaps = self._gaps(table)
        return result

    # -- reading and checking -----------------------------------------------------------------

    def _code_infos(self) -> dict[str, _CodeInfo]:
        levels: dict[str, dict[str, str]] = {}
        for code_id, value, label in self.db.execute("select code_id, value, label from code_levels"):
            levels.setdefault(code_id, {}).update({label: value, value: value})
        return {
            code_id: _CodeInfo(kind, bool(retired), levels.get(code_id, {}))
            for code_id, kind, retired in self.db.execute("select id, kind, retired from codes")
        }

    @staticmethod
    def _value(name: str, line: int, column: int | None, code_id: str, raw: str, info: _CodeInfo,
               problems: list[Problem], empty_means: object) -> object:
        """A cell's value for `code_id`: 1/0 for a code, a level's value (or None) for a variable."""
        cell = raw.strip()
        if info.kind == "code":
            if cell == "":
                return empty_means
            if cell.lower() in TRUE:
                return 1
            if cell.lower() in FALSE:
                return 0
            problems.append(Problem(name, line, column, f"{code_id} is a code: its value is 1 or 0, not {cell!r}"))
            return None
        if cell == "":
            return None
        if cell not in info.levels:
            allowed = sorted(set(info.levels.values()))
            problems.append(Problem(name, line, column, f"{code_id} has no level {cell!r}"
                                                        f"{_did_you_mean(cell, info.levels)} (levels: {', '.join(allowed)})"))
            return None
        return info.levels[cell]

    def _read_long(self, name: str, lowered: list[str], rows: list[list[str]], codes: dict[str, _CodeInfo],
                   problems: list[Problem]) -> dict[tuple[str, str], dict[str, tuple[object, int]]]:
        at = {column: lowered.index(column) for column in ("paragraph_id", "coder", "code")}
        value_at = lowered.index("value") if "value" in lowered else None
        table: dict[tuple[str, str], dict[str, tuple[object, int]]] = {}
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = row + [""] * (len(lowered) - len(row))
            paragraph, coder, code_id = (cells[at[c]].strip() for c in ("paragraph_id", "coder", "code"))
            if not self._pair_ok(name, line, paragraph, coder, problems):
                continue
            values = table.setdefault((paragraph, coder), {})
            if not code_id:
                continue  # done with nothing applied
            info = codes.get(code_id)
            if info is None or info.retired:
                problems.append(Problem(name, line, at["code"] + 1, _unknown_code(code_id, info, codes)))
                continue
            raw = cells[value_at] if value_at is not None else ""
            value = self._value(name, line, (value_at or 0) + 1, code_id, raw, info, problems, empty_means=1)
            if info.kind != "code" and value is None and not raw.strip():
                problems.append(Problem(name, line, (value_at or 0) + 1, f"{code_id} is a variable: give its level"))
                continue
            if code_id in values and values[code_id][0] != value:
                problems.append(Problem(name, line, None, f"{code_id} for {paragraph} by {coder} is already "
                                                          f"{values[code_id][0]!r} on line {values[code_id][1]}"))
                continue
            values[code_id] = (value, line)
        return table

    def _read_wide(self, name: str, header: list[str], lowered: list[str], rows: list[list[str]],
                   codes: dict[str, _CodeInfo], problems: list[Problem]) -> dict[tuple[str, str], dict[str, tuple[object, int]]]:
        paragraph_at, coder_at = lowered.index("paragraph_id"), lowered.index("coder")
        columns = [(i, code_id) for i, code_id in enumerate(header) if i not in (paragraph_at, coder_at)]
        for i, code_id in columns:
            info = codes.get(code_id)
            if info is None or info.retired:
                problems.append(Problem(name, 1, i + 1, _unknown_code(code_id, info, codes)))
        columns = [(i, code_id) for i, code_id in columns if code_id in codes and not codes[code_id].retired]
        table: dict[tuple[str, str], dict[str, tuple[object, int]]] = {}
        first_line: dict[tuple[str, str], int] = {}
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = row + [""] * (len(header) - len(row))
            paragraph, coder = cells[paragraph_at].strip(), cells[coder_at].strip()
            if not self._pair_ok(name, line, paragraph, coder, problems):
                continue
            if (paragraph, coder) in first_line:
                problems.append(Problem(name, line, None, f"{paragraph} by {coder} is already on line "
                                                          f"{first_line[paragraph, coder]}"))
                continue
            first_line[paragraph, coder] = line
            values = table.setdefault((paragraph, coder), {})
            for i, code_id in columns:
                value = self._value(name, line, i + 1, code_id, cells[i], codes[code_id], problems, empty_means=0)
                values[code_id] = (value, line)
        return table

    @staticmethod
    def _pair_ok(name: str, line: int, paragraph: str, coder: str, problems: list[Problem]) -> bool:
        if not paragraph:
            problems.append(Problem(name, line, None, "no paragraph_id"))
        if not coder:
            problems.append(Problem(name, line, None, "no coder"))
        return bool(paragraph and coder)

    def _check_paragraphs(self, name: str, table: dict[tuple[str, str], dict[str, tuple[object, int]]],
                          problems: list[Problem]) -> None:
        wanted = sorted({paragraph for paragraph, _ in table})
        known = {
            row[0]
            for row in self.db.execute(
                "select p.id from paragraphs p join json_each(?) j on j.value = p.id", [json.dumps(wanted)]
            )
        }
        reported: set[str] = set()
        for (paragraph, _), values in table.items():
            if paragraph not in known and paragraph not in reported:
                reported.add(paragraph)
                line = min((line for _, line in values.values()), default=None)
                problems.append(Problem(name, line, None, f"no paragraph {paragraph!r} in this project"))

    # -- writing -------------------------------------------------------------------------------

    def _write(self, layout: str, table: dict[tuple[str, str], dict[str, tuple[object, int]]],
               codes: dict[str, _CodeInfo]) -> CodingsImport:
        """Every change at once: read what is there per coder, write the differences in bulk."""
        result = CodingsImport(layout, paragraphs=len(table), coders=sorted({coder for _, coder in table}))
        events: list[tuple[object, ...]] = []
        codings: list[tuple[object, ...]] = []
        statuses: list[tuple[object, ...]] = []
        with self.transaction():
            for coder in result.coders:
                writes.ensure_coder(self.db, coder)
                mine = [paragraph for paragraph, who in table if who == coder]
                current, status = self._current(coder, mine)
                for paragraph in mine:
                    given = {code_id: value for code_id, (value, _) in table[paragraph, coder].items()}
                    before = current.get(paragraph, {})
                    for code_id, previous in before.items():
                        if code_id not in given and previous is not None:
                            kind = codes[code_id].kind if code_id in codes else "code"
                            given[code_id] = 0 if kind == "code" else None
                    written = len(codings)
                    for code_id, value in given.items():
                        previous = before.get(code_id)
                        if codes[code_id].kind == "code" and value == 0 and previous in (None, 0):
                            continue  # absent already: no row needed
                        if previous != value:
                            event, at = writes.new_event(coder, paragraph, code_id, "code", value, previous)
                            events.append(event)
                            codings.append((paragraph, coder, code_id, value, at))
                    if len(codings) > written and any(value is not None for value in before.values()):
                        result.replaced[coder] = result.replaced.get(coder, 0) + 1
                    if status.get(paragraph) != "done":
                        event, at = writes.new_event(coder, paragraph, None, "status", "done", status.get(paragraph))
                        events.append(event)
                        statuses.append((paragraph, coder, "done", at))
            writes.write_changes(self.db, events, codings, statuses)
        result.changes = len(codings)
        return result

    def _gaps(self, table: dict[tuple[str, str], dict[str, tuple[object, int]]]) -> list[Gap]:
        from store.codebook.versions import CodebookVersions

        assert isinstance(self, CodebookVersions)  # a Project: the codebook is one of its parts
        coders = sorted({coder for _, coder in table})
        return [gap for gap in required_gaps(self.db, self.required_variables(), coders=coders)
                if (gap.paragraph_id, gap.coder_id) in table]

    def _current(self, coder: str, paragraphs: list[str]) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
        """This coder's codings and statuses on `paragraphs`, two queries in all."""
        ids = json.dumps(paragraphs)
        current: dict[str, dict[str, object]] = {}
        for paragraph, code_id, value in self.db.execute(
            "select paragraph_id, code_id, value from codings where coder_id = ? "
            "and paragraph_id in (select value from json_each(?))", [coder, ids]
        ):
            current.setdefault(paragraph, {})[code_id] = value
        status = dict(self.db.execute(
            "select paragraph_id, status from paragraph_status where coder_id = ? "
            "and paragraph_id in (select value from json_each(?))", [coder, ids]
        ).fetchall())
        return current, status


def _delimiter(path: Path, text: str) -> str:
    """Tab for .tsv; else comma, or semicolon when the header has only those (Excel in many locales)."""
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _unknown_code(code_id: str, info: _CodeInfo | None, codes: dict[str, _CodeInfo]) -> str:
    if info is not None:
        return f"code {code_id!r} is retired and can no longer be applied"
    current = {code: code for code, known in codes.items() if not known.retired}
    return f"the codebook has no code or variable {code_id!r}{_did_you_mean(code_id, current)}"


def _did_you_mean(given: str, known: dict[str, str]) -> str:
    """`; did you mean X?` for the known name closest to `given` (a typo, another case, the
    label of a level), or nothing. `known` maps what may be written to what it stands for."""
    by_case = {name.lower(): meant for name, meant in known.items()}
    close = difflib.get_close_matches(given.lower(), list(by_case), n=1, cutoff=0.6)
    return f"; did you mean {by_case[close[0]]}?" if close else ""
