"""A REFI-QDA project into an Accord project: sources become documents split into paragraphs,
selections become codings of the paragraphs they cover (with the values Accord's own files list
as set to absent on purpose), users become coders; and a REFI-QDA
codebook into an Accord codebook.

`import_qdpx` is a function, not a Project method: it brings in several coders' work at once
(through the one write path, store/events.py, so every change is logged like a coder's own; a
value the project already holds is not written again, so re-importing a file changes nothing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.codebook.from_refi import code_ids
from store.corpus.importing import ImportReport, paragraph_id
from store.coding import CONSENSUS, STATUSES
from store.errors import AccordError
from store.events import write_wanted
from store.project import Project
from store.words import plural
from store.intake.source import SourceDocument, one_line_end
from store.intake.refi import RefiCode, RefiError, RefiProject, RefiSelection, RefiSource, read_qdpx

DOCUMENT_FIELDS = ("title", "speaker", "country", "date")
_BLOCK = re.compile(r"(?:(?!\n[ \t\r]*\n)[\s\S])+")
"""A run of text without a blank line: one paragraph."""
_LINE = re.compile(r"[^\n]+")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def paragraph_spans(text: str) -> list[tuple[str, int, int]]:
    """(paragraph text, start, end) of each paragraph, trimmed: blocks between blank lines; in a
    text without any blank line (the plain text QDA programs write ends a paragraph
    with one line break), each line.

    Offsets are into `text`, so that a selection's character positions find their paragraphs.
    """
    spans = []
    for match in (_BLOCK if _BLANK_LINE.search(text) else _LINE).finditer(text):
        block = match.group()
        stripped = block.strip()
        if not stripped:
            continue
        start = match.start() + len(block) - len(block.lstrip())
        spans.append((re.sub(r"[ \t\r]*\n[ \t\r]*", " ", stripped), start, start + len(stripped)))
    return spans


def source_document(source: RefiSource) -> tuple[SourceDocument, list[tuple[int, int]]]:
    """A source as a document to import, with each paragraph's character span."""
    spans = paragraph_spans(source.text)
    fields = {name: None if source.variables.get(name) is None else str(source.variables[name])
              for name in DOCUMENT_FIELDS}
    meta: dict[str, object] = {key: value for key, value in source.variables.items() if key not in DOCUMENT_FIELDS}
    document = SourceDocument(id=source.name, paragraphs=[s[0] for s in spans], source=f"qdpx:{source.guid}",
                              meta=meta, **fields)
    return document, [(s[1], s[2]) for s in spans]


@dataclass
class RefiImportReport:
    """What importing a `.qdpx` did."""

    documents: ImportReport
    coders: list[str] = field(default_factory=list)
    paragraphs_coded: int = 0
    """(paragraph, coder) pairs the file codes (each once, however many selections cover it)."""
    codings: int = 0
    """(paragraph, coder, code) the file applies, each once."""
    changes: int = 0
    """Codings, statuses, flags and notes that differed from the project's, each written with its
    event: 0 when the same file is imported again."""
    unknown_codes: list[str] = field(default_factory=list)
    """Codes of the file that the project's codebook lacks: their codings were left out."""
    skipped_documents: list[str] = field(default_factory=list)
    """Documents whose text differs from the project's: their codings were left out."""
    other_sources: list[str] = field(default_factory=list)
    """Picture, PDF, audio and video sources of the file, not imported."""


def code_map(refi: RefiProject, project: Project) -> tuple[dict[str, tuple[str, object]], list[str]]:
    """REFI code GUID -> (Accord code id, value to set), and the names of codes with no match.

    Accord's own marks are used first; otherwise a code matches by the id `code_ids` derives
    for it (as the codebook made from the same file has it), else by id or label, and a
    sub-code of a variable matches one of its levels by value or label.
    """
    derived = code_ids(refi)
    # Retired codes can no longer be applied: their codings are reported as unknown.
    rows = {row.id: row for row in project.codes() if not row.retired}
    by_label = {row.label.casefold(): row.id for row in rows.values()}
    levels = {row.id: project.levels(row.id) for row in rows.values() if row.kind != "code"}
    mapping: dict[str, tuple[str, object]] = {}
    unknown = []
    for code in refi.codes.values():
        target: tuple[str, object] | None = None
        parent = refi.codes.get(code.parent) if code.parent else None
        if code.accord_level and code.accord_level[0] in levels:
            owner, value = code.accord_level
            if value in {v for v, _ in levels[owner]}:
                target = (owner, value)
        elif code.accord_code and code.accord_code in rows:
            target = (code.accord_code, 1)
        elif code.accord_variable:
            continue  # a variable itself is not applied; its levels are
        else:
            variable = _match(parent, rows, by_label) if parent else None
            if variable is not None and variable in levels:
                target = next(((variable, v) for v, label in levels[variable]
                               if code.name in (v, label) or code.name.casefold() == label.casefold()), None)
            if target is None:
                match = derived[code.guid] if derived.get(code.guid) in rows else _match(code, rows, by_label)
                if match and rows[match].kind == "code":
                    target = (match, 1)
                elif match in levels:
                    continue
        if target:
            mapping[code.guid] = target
        elif code.codable:
            unknown.append(code.name)
    return mapping, unknown


def _match(code: RefiCode, rows: dict[str, Any], by_label: dict[str, str]) -> str | None:
    if code.accord_variable:
        return code.accord_variable[1]
    return code.name if code.name in rows else by_label.get(code.name.casefold())


def import_qdpx(project: Project, path: Path, on_document: Callable[[SourceDocument], None] | None = None,
                include_consensus: bool = False) -> RefiImportReport:
    """Import a `.qdpx`: its sources as documents, then its codings, all in one transaction.

    A user named `consensus` is refused (only adjudication writes the consensus) unless
    `include_consensus`: the lead imports another lead's adjudicated project on purpose."""
    refi = read_qdpx(path)
    if not refi.sources and not refi.other_sources:
        raise RefiError(f"{path} holds no sources: nothing to import"
                        + (f" (its codebook: accord codebook update {path})" if refi.codes else ""))
    if not include_consensus:
        forged = sum(_coder(refi, selection) == CONSENSUS for source in refi.sources for selection in source.selections)
        if forged:
            raise RefiError(
                f"{path} has {plural(forged, 'selection')} by the user {CONSENSUS!r}: only adjudication in this "
                f"project writes the consensus. Nothing was imported. To import another lead's adjudicated "
                f"project on purpose: accord import --include-consensus FILE"
            )
    pairs = [source_document(source) for source in refi.sources]
    with project.transaction():
        report = RefiImportReport(project.import_documents([doc for doc, _ in pairs], on_document=on_document),
                                  other_sources=refi.other_sources)
        mapping, report.unknown_codes = code_map(refi, project)
        kinds = {row.id: row.kind for row in project.codes() if not row.retired}
        wanted = _Wanted()
        refused = set(report.documents.changed) | {doc for doc, _ in report.documents.refused}
        for source, (document, spans) in zip(refi.sources, pairs, strict=True):
            if document.id in refused:
                report.skipped_documents.append(document.id)
                continue
            _apply(refi, source, document, spans, mapping, kinds, report, wanted)
        report.changes = write_wanted(project.db, wanted.codings, wanted.statuses)
    report.codings, report.paragraphs_coded = len(wanted.applied), len(wanted.coded)
    return report


@dataclass
class _Wanted:
    """What the file's selections say, one value per key: overlapping selections name the same
    paragraph many times, and only the last word on each key is written (with one event)."""

    codings: dict[tuple[str, str, str], object] = field(default_factory=dict)
    statuses: dict[tuple[str, str, str], object] = field(default_factory=dict)
    coded: set[tuple[str, str]] = field(default_factory=set)
    applied: set[tuple[str, str, str]] = field(default_factory=set)


def _apply(refi: RefiProject, source: RefiSource, document: SourceDocument, spans: list[tuple[int, int]],
           mapping: dict[str, tuple[str, object]], kinds: dict[str, str], report: RefiImportReport,
           wanted: _Wanted) -> None:
    """Each selection's codings, status, flag and note onto every paragraph it covers; the values
    Accord listed as set to absent on purpose (see selection_description) are written too.

    The values are checked by construction: code_map gives only codes and levels of the codebook,
    the absent lists are filtered by kind, and statuses are checked here."""
    for selection in source.selections:
        coder = _coder(refi, selection)
        if coder not in report.coders:
            report.coders.append(coder)
        covered = [i for i, (start, end) in enumerate(spans, start=1) if start < selection.end and selection.start < end]
        targets = [mapping[g] for g in selection.codes if g in mapping]
        absent, cleared = selection.accord_absent
        explicit: list[tuple[str, object]] = [(code, 0) for code in absent if kinds.get(code) == "code"]
        explicit += [(code, None) for code in cleared if kinds.get(code, "code") != "code"]
        accord = selection.accord_status
        status, flagged = accord if accord else ("done" if targets else None, False)
        if status is not None and status not in STATUSES:
            raise AccordError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        # Another program's Description of a selection is its comment (ATLAS.ti's quotation
        # comment); Accord's own holds the marks read above.
        own = accord or selection.description.startswith("Accord paragraph ")  # an id may hold a line end
        comment = [] if own or not selection.description.strip() else [selection.description.strip()]
        note = "\n".join(comment + [refi.notes[g] for g in selection.notes if refi.notes.get(g)]) or None
        for position in covered:
            pid = paragraph_id(document.id, position)
            for code_id, value in (*targets, *explicit):
                wanted.codings[(pid, coder, code_id)] = value
            wanted.applied.update((pid, coder, code_id) for code_id, _ in targets)
            if status:
                wanted.statuses[(pid, coder, "status")] = status
            if flagged:
                wanted.statuses[(pid, coder, "flagged")] = 1
            if note:
                wanted.statuses[(pid, coder, "note")] = one_line_end(note)
            wanted.coded.add((pid, coder))


def _coder(refi: RefiProject, selection: RefiSelection) -> str:
    """The coder a selection's work is stored under: its user's name (`refi` for none)."""
    return refi.users.get(selection.user or refi.creator or "", None) or "refi"


__all__ = ["AccordError", "RefiImportReport", "import_qdpx", "paragraph_spans"]
