"""`accord import`: bring files and folders into the project as documents and paragraphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import Context, open_project, project_option
from tui.console import advance, err, progress_bar

if TYPE_CHECKING:
    from rich.progress import Progress

    from store import Problem, Project
    from store import ImportReport
    from store import SourceDocument

PROGRESS_FROM = 20
"""Fewer files than this read in a blink: no progress bar."""
LISTED = 10
"""Ids listed per line of the summary before `and N more`."""


@click.command("import")
@click.argument("paths", metavar="[PATH...]", nargs=-1, type=click.Path(path_type=Path))
@click.option("--text-column", metavar="C",
              help="Tables: the column holding the text (default: text, speech, content, body or paragraph).")
@click.option("--id-column", metavar="C",
              help="Tables: the column holding the document id (default: id, doc_id or document_id if "
                   "present, else FILE-ROW).")
@click.option("--split-speakers", is_flag=True,
              help="Text files hold whole meeting records: one document per speaker's statement, with ids "
                   "FILE-001, FILE-002... and each statement's speaker and country.")
@click.option("--replace", is_flag=True,
              help="Replace documents whose file changed since they were imported; refused for a document "
                   "whose paragraphs have codings or statuses.")
@click.option("--metadata", metavar="TABLE", type=click.Path(dir_okay=False, path_type=Path),
              help="Join a table of document metadata (.csv, .tsv, .jsonl; one row per document id) onto "
                   "documents already imported, after importing PATH... if given. Codings are not touched.")
@click.option("--include-consensus", is_flag=True,
              help=".qdpx: take the selections of the user 'consensus' too (another lead's adjudicated "
                   "project, imported on purpose); without it such a file is refused.")
@project_option
@click.pass_obj
def import_(ctx: Context, paths: tuple[Path, ...], text_column: str | None, id_column: str | None,
            split_speakers: bool, replace: bool, metadata: Path | None, include_consensus: bool) -> None:
    """Import the files PATH... (folders are searched recursively) into the project.

    \b
    .txt           text extracted from PDF records or plain prose: hard-wrapped
                   lines join, page breaks are healed, running headers and footers
                   (S/PV.8140, 17-44953, 9/31, date, title) dropped; an opening
                   "Mr. Sadykov (Kazakhstan):" fills speaker and country
    .md            the same, plus YAML front matter (title, speaker, country,
                   date; other keys kept as metadata); the first # heading is
                   the title, later headings are paragraphs of their own
    .csv .tsv      one row is one document, its text split into paragraphs; rows
    .jsonl         sharing an id-column value are one document, each row adding
                   its paragraphs (so one-row-per-paragraph tables work too);
                   speaker, country, date and title columns fill those fields,
                   other columns become metadata (from the document's first row);
                   rows with an empty text are skipped (a table with no text in
                   any row is a bad file); a JSON list of strings is a list of
                   paragraphs
    .docx          the document's non-empty paragraphs; a leading heading is the title
    .qdpx          a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, Accord):
                   each text source is a document split at blank lines (at
                   line breaks when it has none); a selection codes every
                   paragraph it overlaps, for the user who made each coding;
                   codes match the codebook made from the same file (accord
                   codebook update FILE.qdpx), else by id or label; PDF, image,
                   audio and video sources are skipped; a user named consensus
                   is refused (only adjudication writes it) unless
                   --include-consensus

    A document's id is the file name without extension (for files found in a
    folder, the path inside that folder), or the table's id column: the same
    files give the same ids everywhere, which is what lets coders merge.
    Text may be UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Importing the same files again changes nothing. A file that changed since
    it was imported is reported and left alone unless --replace. Files that
    cannot be read are listed as "path: reason" and the rest is imported;
    the exit code is then 1.

    \b
    --metadata TABLE joins document metadata afterwards, by document id (the
    id, doc_id or document_id column, or --id-column): title, speaker,
    country and date fill those fields, other columns become metadata, as in
    a corpus table. Ids that match no document are listed; codings, statuses
    and paragraphs do not change. Example:
      accord import statements/ --metadata statements.csv
      accord import --metadata more-columns.tsv
    """
    from store import find_files, first_of_each_id, read_files

    if not paths and metadata is None:
        raise click.UsageError("give the files to import (PATH...), or --metadata TABLE to join onto documents")

    archives = [path for path in paths if path.suffix.lower() == ".qdpx"]
    paths = tuple(path for path in paths if path.suffix.lower() != ".qdpx")
    failed = False
    with open_project(ctx) as project:
        for archive in archives:
            # One bad archive is named and passed over: the other files of the import go on.
            failed = not _import_qdpx(project, archive, include_consensus) or failed
        if not paths:
            if metadata is not None:
                _join_metadata(project, metadata, id_column)
            if failed:
                raise click.exceptions.Exit(1)
            return
        files, problems = find_files(paths)
        sources: dict[str, str] = {}
        sizes: dict[str, int] = {}
        duplicates: list[Problem] = []

        def documents(bar: Progress) -> Iterator[SourceDocument]:
            """Each file's documents as soon as it is read: the project writes them while the
            next files are read, and never holds the whole corpus in memory."""
            for found, trouble in read_files(files, text_column, id_column, split_speakers):
                problems.extend(trouble)
                for document in first_of_each_id(found, sources, duplicates):
                    sizes[document.id] = len(document.paragraphs)
                    yield document
                advance(bar)

        with progress_bar("Importing", total=len(files), minimum=PROGRESS_FROM) as bar:
            report = project.import_documents(documents(bar), replace=replace)
        problems.extend(duplicates)
        total = (project.document_count(), project.paragraph_count())
        changed = [_changed_line(project.document(i).source or "", sources[i], i) for i in report.changed[:LISTED]]
        new_paragraphs = sum(sizes[i] for i in report.added)
        _print_summary(report, problems, total, new_paragraphs, files_read=len(files), changed=changed)
        if metadata is not None:
            _join_metadata(project, metadata, id_column)
    if problems or report.refused or failed:
        raise click.exceptions.Exit(1)


def _changed_line(old_source: str, new_source: str, document_id: str) -> str:
    """Why a document was left alone; a different source path means two files share one id."""
    if old_source and old_source != new_source:
        return f"{new_source}: its text differs from document {document_id}, imported from {old_source}"
    return f"{new_source}: changed since it was imported as document {document_id}"


def _import_qdpx(project: Project, archive: Path, include_consensus: bool) -> bool:
    """A REFI-QDA project: documents, then codings of the paragraphs the selections cover.
    False when the archive cannot be read or is refused (the message names it; nothing of it
    is imported)."""
    from store import RefiError, import_qdpx
    from store import plural

    try:
        report = import_qdpx(project, archive, include_consensus=include_consensus)
    except RefiError as error:
        _say(str(error), "red")
        return False
    documents = report.documents
    _say(f"{archive}: {plural(len(documents.added), 'document')} added, {len(documents.unchanged):,} unchanged; "
         f"{plural(report.codings, 'coding')} on {plural(report.paragraphs_coded, 'paragraph')} by "
         f"{', '.join(report.coders) or 'nobody'}.")
    if report.skipped_documents:
        _say(f"Codings not imported for documents whose text differs from the project's: "
             f"{_ids(report.skipped_documents)}", "yellow")
    if report.other_sources:
        _say(f"Skipped, not plain text (Accord codes text): {_ids(report.other_sources)}", "yellow")
    if report.unknown_codes:
        _say(f"Codes not in the codebook, their codings left out: {_ids(report.unknown_codes)} "
             f"(add them with `accord codebook update {archive}`, then import again)", "yellow")
    return True


def _join_metadata(project: Project, table: Path, id_column: str | None) -> None:
    """Join a metadata table onto the documents and say what matched."""
    from store import plural

    report = project.join_metadata(table, id_column)
    _say(f"Joined {table} onto {plural(len(report.matched), 'document')}"
         + (f" ({', '.join(report.columns)})." if report.columns else "."))
    if report.unmatched:
        verb = "matches" if len(report.unmatched) == 1 else "match"
        _say(f"{plural(len(report.unmatched), 'id')} in {table} {verb} no document of the project: "
             f"{_ids(report.unmatched)}", "yellow")
    if report.without_row:
        verb = "has" if report.without_row == 1 else "have"
        _say(f"{plural(report.without_row, 'document')} of the project {verb} no row in {table}.")


def _say(message: str, style: str | None = None) -> None:
    """One unwrapped line to stderr: `path: reason` lines stay whole for grep and editors."""
    err.print(message, style=style, markup=False, highlight=False)


def _print_summary(report: ImportReport, problems: list[Problem], total: tuple[int, int], new_paragraphs: int,
                   files_read: int, changed: list[str]) -> None:
    """What happened, to stderr: counts first, then what needs the researcher's attention."""
    from store import plural

    if report.added:
        _say(f"Added {plural(len(report.added), 'document')} ({plural(new_paragraphs, 'paragraph')}).")
    if report.replaced:
        _say(f"Replaced {plural(len(report.replaced), 'document')}: {_ids(report.replaced)}")
    if report.unchanged:
        _say(f"{plural(len(report.unchanged), 'document')} already in the project, unchanged.")
    if report.changed:
        _say(f"{plural(len(report.changed), 'document')} left alone (--replace replaces them):", "yellow")
        for line in changed:
            _say(f"  {line}", "yellow")
        if len(report.changed) > len(changed):
            _say(f"  and {len(report.changed) - len(changed):,} more", "yellow")
    for document_id, reason in report.refused:
        _say(f"{document_id}: not replaced: {reason}", "red")
    for problem in problems:
        _say(str(problem), "red")
    if not files_read and not problems:
        from store import SUPPORTED

        _say(f"No files to import (Accord reads {', '.join(SUPPORTED)}).")
    if problems:
        _say(f"{plural(len(problems), 'problem')} above; whatever else could be read was imported.")
    _say(f"The project now has {plural(total[0], 'document')} and {plural(total[1], 'paragraph')}.")


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED:,} more" if len(ids) > LISTED else "")
