"""Accord's store: the project file, the codebook, and everything that brings data in.

This module is the whole public API: `exports`, `tui` and researchers' scripts import from
`store`, never from its modules. Names load on first use (PEP 562 `__getattr__`), so that a
command that only opens a project does not pay for YAML, the readers or lxml.

Layout: retrieval.py (paragraphs by code, in SQL); project.py (Project = the spine of base.py + its parts: corpus/, coding.py,
codebook/versions.py, import_codings.py, range_reads.py, agreement_reads.py); events.py (the
one write path of codings, statuses and their events); codebook/ (model, parser, YAML);
intake/ (files in, no SQL); teams/ (handout, merge, adjudication: functions across files and
coders); status.py (what `accord status` reports); connection.py, schema.py, schema_sql.py,
migrations.py, integrity.py, doctor.py (the file itself); stored_values.py (the values the
codebook allows, for merge and doctor); demo.py, demo_coders.py (the demo
project); readers.py (README's `store.readers.read_paths`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.agreement_reads import CodedValues, CodingOrder, DoneCodings
    from store.clock import now
    from store.codebook.model import Code, Codebook, Level, keyword_pattern
    from store.codebook.parser import default_codebook_path, load_codebook, parse_codebook
    from store.codebook.required import Gap, describe_gaps, required_gaps
    from store.codebook.versions import CodebookChange, CodeRow
    from store.codebook.yaml_dump import dump_codebook
    from store.coding import CONSENSUS, STATUSES
    from store.stored_values import is_written, unwritten_value
    from store.corpus.importing import ImportReport, paragraph_id
    from store.corpus.metadata import MetadataJoin
    from store.demo import DEMO_FILE, build_demo
    from store.doctor import CHECKS, Diagnosis, Finding, diagnose, examine, repair
    from store.salvage import Salvage, reimport_commands, salvage_project, salvage_target
    from store.errors import AccordError, CodebookError, Problem, ProjectError, StorageError
    from store.import_codings import CodingsFileError, CodingsImport
    from store.intake.readers import SUPPORTED, find_files, first_of_each_id, read_files, read_paths
    from store.intake.refi import (
        CODEBOOK_NS,
        PARAGRAPH_SEPARATOR,
        PROJECT_NS,
        RefiError,
        accord_description,
        guid,
        selection_description,
    )
    from store.intake.source import SourceDocument, SourceFile, sha256_text
    from store.integrity import check_in_background
    from store.project import Project
    from store.refi_import import RefiImportReport, import_qdpx
    from store.codebook.from_refi import code_ids, codebook_from_refi, read_codebook
    from store.retrieval import (CandidateRows, Scope, Term, candidate_rows, candidate_seqs, coded_paragraphs,
                                 document_fields, document_groups, status_rows_with_paragraphs)
    from store.rows import Document, DocumentProgress, Event, Hit, NoteRow, Paragraph, Progress, Status
    from store.status import CoderStatus, ProjectStatus, project_status
    from store.teams.adjudication import (
        Accepted,
        Disagreement,
        Positions,
        accept_unanimous,
        decide,
        disagreements,
        open_disagreements,
        positions,
        undo_decision,
    )
    from store.teams.handout import HandoutReport, hand_out, handout_coder, sample_progress
    from store.teams.merge import merge_files
    from store.teams.merge_report import MergeReport
    from store.words import plural
    from store.suggest.storage import (
        FEATURES,
        StoredModel,
        exposure,
        load_models,
        open_paragraphs,
        reliability_sample,
        save_models,
        suggestions_off,
    )
    from store.connection import project_file_under

_PUBLIC: dict[str, str] = {
    # the project file
    "Project": "store.project",
    "check_in_background": "store.integrity",
    "now": "store.clock",
    "CONSENSUS": "store.coding", "STATUSES": "store.coding",
    "is_written": "store.stored_values", "unwritten_value": "store.stored_values",
    "AccordError": "store.errors", "CodebookError": "store.errors", "Problem": "store.errors",
    "ProjectError": "store.errors", "StorageError": "store.errors",
    "Document": "store.rows", "DocumentProgress": "store.rows", "Event": "store.rows", "Hit": "store.rows",
    "NoteRow": "store.rows", "Paragraph": "store.rows", "Progress": "store.rows", "Status": "store.rows",
    "CoderStatus": "store.status", "ProjectStatus": "store.status", "project_status": "store.status",
    "ImportReport": "store.corpus.importing", "paragraph_id": "store.corpus.importing",
    "MetadataJoin": "store.corpus.metadata",
    "CodingsFileError": "store.import_codings", "CodingsImport": "store.import_codings",
    "DoneCodings": "store.agreement_reads", "CodedValues": "store.agreement_reads",
    "CodingOrder": "store.agreement_reads",
    "CHECKS": "store.doctor", "Finding": "store.doctor", "diagnose": "store.doctor", "repair": "store.doctor",
    "Diagnosis": "store.doctor", "examine": "store.doctor",
    "Salvage": "store.salvage", "reimport_commands": "store.salvage", "salvage_project": "store.salvage",
    "salvage_target": "store.salvage",
    "DEMO_FILE": "store.demo", "build_demo": "store.demo",
    # the codebook
    "Code": "store.codebook.model", "Codebook": "store.codebook.model", "Level": "store.codebook.model",
    "keyword_pattern": "store.codebook.model",
    "default_codebook_path": "store.codebook.parser", "load_codebook": "store.codebook.parser",
    "parse_codebook": "store.codebook.parser",
    "dump_codebook": "store.codebook.yaml_dump",
    "Gap": "store.codebook.required", "describe_gaps": "store.codebook.required",
    "required_gaps": "store.codebook.required",
    "CodebookChange": "store.codebook.versions", "CodeRow": "store.codebook.versions",
    # files in
    "SourceDocument": "store.intake.source", "sha256_text": "store.intake.source",
    "SUPPORTED": "store.intake.readers", "SourceFile": "store.intake.source", "find_files": "store.intake.readers",
    "first_of_each_id": "store.intake.readers", "read_files": "store.intake.readers", "read_paths": "store.intake.readers",
    "CODEBOOK_NS": "store.intake.refi", "PARAGRAPH_SEPARATOR": "store.intake.refi", "PROJECT_NS": "store.intake.refi",
    "RefiError": "store.intake.refi", "accord_description": "store.intake.refi", "guid": "store.intake.refi",
    "selection_description": "store.intake.refi",
    "RefiImportReport": "store.refi_import", "import_qdpx": "store.refi_import",
    "code_ids": "store.codebook.from_refi", "codebook_from_refi": "store.codebook.from_refi",
    "read_codebook": "store.codebook.from_refi",
    # retrieval by code
    "CandidateRows": "store.retrieval", "Scope": "store.retrieval", "Term": "store.retrieval",
    "candidate_rows": "store.retrieval", "candidate_seqs": "store.retrieval",
    "coded_paragraphs": "store.retrieval", "document_fields": "store.retrieval", "document_groups": "store.retrieval",
    "status_rows_with_paragraphs": "store.retrieval",
    # teams
    "HandoutReport": "store.teams.handout", "hand_out": "store.teams.handout",
    "handout_coder": "store.teams.handout", "sample_progress": "store.teams.handout",
    "merge_files": "store.teams.merge", "MergeReport": "store.teams.merge_report",
    "Accepted": "store.teams.adjudication", "Disagreement": "store.teams.adjudication",
    "Positions": "store.teams.adjudication", "accept_unanimous": "store.teams.adjudication",
    "decide": "store.teams.adjudication", "disagreements": "store.teams.adjudication",
    "open_disagreements": "store.teams.adjudication", "positions": "store.teams.adjudication",
    "undo_decision": "store.teams.adjudication",
    # assisted coding
    "FEATURES": "store.suggest.storage", "StoredModel": "store.suggest.storage",
    "load_models": "store.suggest.storage", "save_models": "store.suggest.storage",
    "suggestions_off": "store.suggest.storage", "reliability_sample": "store.suggest.storage",
    "open_paragraphs": "store.suggest.storage", "exposure": "store.suggest.storage",
    # words
    "plural": "store.words",
    # outputs
    "project_file_under": "store.connection",
}
"""Public name -> the module that defines it."""

__all__ = [
    "CHECKS",
    "CODEBOOK_NS",
    "CONSENSUS",
    "DEMO_FILE",
    "FEATURES",
    "PARAGRAPH_SEPARATOR",
    "PROJECT_NS",
    "STATUSES",
    "SUPPORTED",
    "Accepted",
    "AccordError",
    "CandidateRows",
    "Code",
    "CodeRow",
    "Codebook",
    "CodebookChange",
    "CodebookError",
    "CodedValues",
    "CoderStatus",
    "CodingOrder",
    "CodingsFileError",
    "CodingsImport",
    "Diagnosis",
    "Disagreement",
    "Document",
    "DocumentProgress",
    "DoneCodings",
    "Event",
    "Finding",
    "Gap",
    "HandoutReport",
    "Hit",
    "ImportReport",
    "Level",
    "MergeReport",
    "MetadataJoin",
    "NoteRow",
    "Paragraph",
    "Positions",
    "Problem",
    "Progress",
    "Project",
    "ProjectError",
    "ProjectStatus",
    "RefiError",
    "RefiImportReport",
    "Salvage",
    "Scope",
    "SourceDocument",
    "SourceFile",
    "Status",
    "StorageError",
    "StoredModel",
    "Term",
    "accept_unanimous",
    "accord_description",
    "build_demo",
    "candidate_rows",
    "candidate_seqs",
    "check_in_background",
    "code_ids",
    "codebook_from_refi",
    "coded_paragraphs",
    "decide",
    "default_codebook_path",
    "describe_gaps",
    "diagnose",
    "disagreements",
    "document_fields",
    "document_groups",
    "dump_codebook",
    "examine",
    "exposure",
    "find_files",
    "first_of_each_id",
    "guid",
    "hand_out",
    "handout_coder",
    "import_qdpx",
    "is_written",
    "keyword_pattern",
    "load_codebook",
    "load_models",
    "merge_files",
    "now",
    "open_disagreements",
    "open_paragraphs",
    "paragraph_id",
    "parse_codebook",
    "plural",
    "positions",
    "project_file_under",
    "project_status",
    "read_codebook",
    "read_files",
    "read_paths",
    "reimport_commands",
    "reliability_sample",
    "repair",
    "required_gaps",
    "salvage_project",
    "salvage_target",
    "sample_progress",
    "save_models",
    "selection_description",
    "sha256_text",
    "status_rows_with_paragraphs",
    "suggestions_off",
    "undo_decision",
    "unwritten_value",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (and keep it here)."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
