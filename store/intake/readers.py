"""Read files and folders into documents ready to import: the table of formats (READERS).

`.txt` and `.md` files are segmented into paragraphs (intake/text_files.py, intake/segment.py);
`.csv`, `.tsv` and `.jsonl` tables are read by intake/table_files.py; `.docx` files give their
non-empty paragraphs (intake/word.py). A new format is one reader function and one entry in
READERS.
A document's id is its file name without the extension, or, for a file found inside a folder
named on the command line, its path relative to that folder (`2017/S-PV-8140`): the same files
give the same ids on every machine. A bad file becomes a Problem and the rest is still read.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path

from store.errors import Problem
from store.intake.decoding import NotText, decode
from store.intake.source import BadFile, ReadOptions, SourceDocument, SourceFile
from store.intake.table_files import read_table
from store.intake.text_files import read_markdown_file, read_text_file
from store.intake.word import read_word_file

Reader = Callable[[SourceFile, ReadOptions], tuple[list[SourceDocument], list[Problem]]]
"""A format's reader: a file's documents, and the problems of its lines or rows."""


def _table_reader(kind: str) -> Reader:
    """The reader of one kind of table file (csv, tsv or jsonl)."""
    def read(source: SourceFile, options: ReadOptions) -> tuple[list[SourceDocument], list[Problem]]:
        text = decode(source.path.read_bytes())
        return read_table(text, str(source.path), source.id, options.text_column, options.id_column, kind)
    return read


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_markdown_file,
    ".markdown": read_markdown_file,
    ".csv": _table_reader("csv"),
    ".tsv": _table_reader("tsv"),
    ".tab": _table_reader("tsv"),
    ".jsonl": _table_reader("jsonl"),
    ".ndjson": _table_reader("jsonl"),
    ".docx": read_word_file,
}
"""File suffix (lower case) -> its reader: the formats Accord imports."""
SUPPORTED = tuple(READERS)
_HINTS = {
    ".pdf": "PDF is not read directly: extract its text (`pdftotext FILE.pdf`) and import the .txt",
    ".doc": "Word 97-2003 files are not read: save it as .docx",
    ".rtf": "RTF files are not read: save it as .docx or .txt",
    ".json": "JSON is read one object per line: save it as .jsonl",
    ".xlsx": "Excel files are not read: save the sheet as .csv",
    ".odt": "OpenDocument files are not read: save it as .docx",
}


PARALLEL_FROM = 200
"""From this many files, `read_files` reads in worker processes (starting them costs ~1 s)."""
MAX_WORKERS = 8
CHUNK = 32
"""Files a worker reads per task: fewer round trips, yet results arrive soon after the start."""
AHEAD = 4
"""Tasks per worker read ahead of the caller at the start, before READ_AHEAD can be counted in tasks."""
READ_AHEAD = 32 * 2**20
"""Characters of paragraphs the workers may have read ahead of the caller. The caller that
writes (`accord import`) stops now and then, for seconds on a busy disk: the workers go on
reading meanwhile, instead of waiting for it and then keeping it waiting (at 1,000,000
paragraphs, under load, the writing waited 68 s of 208 for the reading with 4 tasks ahead per
worker, 14 s of 140 with this). Memory holds this much text, not the corpus."""


def read_paths(
    paths: Iterable[str | Path],
    text_column: str | None = None,
    id_column: str | None = None,
    split_speakers: bool = False,
) -> tuple[list[SourceDocument], list[Problem]]:
    """Read files and folders (recursively) into documents, and list what could not be read.

    Args:
        paths: Files and folders, as the user named them.
        text_column: For tables, the column holding the text (default `text`, `speech`...).
        id_column: For tables, the column holding the document id (default `id` if present).
        split_speakers: Text files hold whole meeting records: make one document per speaker's
            statement, with ids `FILE-001`, `FILE-002`... (a file with one speaker keeps `FILE`).

    Returns:
        The documents in order (folders sorted by relative path; ids unique) and one Problem per
        bad file, line or row.
    """
    files, problems = find_files(paths)
    documents: list[SourceDocument] = []
    for found, trouble in read_files(files, text_column, id_column, split_speakers):
        documents.extend(found)
        problems.extend(trouble)
    kept, duplicates = unique_ids(documents)
    return kept, problems + duplicates


def read_files(
    files: list[SourceFile], text_column: str | None = None, id_column: str | None = None,
    split_speakers: bool = False, workers: int | None = None,
) -> Iterator[tuple[list[SourceDocument], list[Problem]]]:
    """`read_file` of each file, in order: in worker processes when there are PARALLEL_FROM files
    or more and more than one CPU, since decoding and segmenting are CPU-bound Python.

    The workers read ahead of the caller, READ_AHEAD characters at most, so a caller that
    writes each file's documents as they come (`accord import`) overlaps reading with writing
    and never holds the whole corpus in memory. While the next file's documents are not back
    from the workers, the caller reads the following files itself rather than wait.

    Workers are forked (Linux only): spawned ones would re-run the program's main module
    (`python -m tui`). A forked worker inherits the caller's open SQLite connection but only
    reads files and leaves through os._exit, so it never uses or closes the connection, which
    is what SQLite forbids. Elsewhere (macOS, where fork is unsafe; Windows) files are read here.
    """
    workers = workers or min(os.cpu_count() or 1, MAX_WORKERS)
    if len(files) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        for source in files:
            yield read_file(source, text_column, id_column, split_speakers)
        return
    read = partial(_read_chunk, text_column=text_column, id_column=id_column, split_speakers=split_speakers)
    chunks = (files[start:start + CHUNK] for start in range(0, len(files), CHUNK))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_end_with, initargs=(os.getpid(),))
    try:
        # Tasks in file order: a worker's (a future) or one read here (its result).
        pending: deque[Future[_Chunk] | _Chunk] = deque()
        ahead = workers * AHEAD
        characters = tasks = 0
        while True:
            while len(pending) < ahead and (chunk := next(chunks, None)) is not None:
                pending.append(pool.submit(read, chunk))
            if not pending:
                return
            # While the next task is not back, the caller reads the next files itself instead
            # of waiting (under load the workers fall behind the writing; this is a third reader).
            while (isinstance(pending[0], Future) and not pending[0].done() and len(pending) < 2 * ahead
                   and (chunk := next(chunks, None)) is not None):
                pending.append(read(chunk))
            task = pending.popleft()
            results, read_characters = task.result() if isinstance(task, Future) else task
            characters, tasks = characters + read_characters, tasks + 1
            ahead = max(workers * AHEAD, READ_AHEAD * tasks // max(characters, 1))
            yield from results
    finally:
        # Also when the caller stops early (an import that failed): tasks not started are dropped.
        pool.shutdown(cancel_futures=True)


_PR_SET_PDEATHSIG = 1
"""Linux's prctl option: a signal the kernel sends a process when its parent ends."""


def _end_with(caller: int) -> None:
    """A reading worker's start: end when the process that reads through it ends. An import
    killed with SIGKILL left its workers asleep for good, waiting for tasks that never came."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the workers outlive a killed caller, as before
        return
    if os.getppid() != caller:  # the caller ended before the line above
        os._exit(1)


_Chunk = tuple[list[tuple[list[SourceDocument], list[Problem]]], int]
"""What `_read_chunk` gives: each file's documents and problems, and the characters read."""


def _read_chunk(
    files: list[SourceFile], text_column: str | None, id_column: str | None, split_speakers: bool
) -> _Chunk:
    """`read_file` of each of a worker's files, documents hashed (the hashes travel with them),
    and the characters of their paragraphs."""
    results = [read_file(source, text_column, id_column, split_speakers) for source in files]
    characters = 0
    for documents, _ in results:
        for document in documents:
            document.compute_hashes()
            characters += sum(map(len, document.paragraphs))
    return results, characters


def find_files(paths: Iterable[str | Path]) -> tuple[list[SourceFile], list[Problem]]:
    """The readable files named by `paths`, folders searched recursively in sorted order.

    Hidden files and folders and Word's `~$` lock files are passed over; any other file Accord
    cannot read is a Problem, so that nothing is left out without the researcher knowing.
    """
    files: list[tuple[str, SourceFile]] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(_walk(path, ""))
            root = str(path.resolve())
            for relative, symlink in found:
                file = path / relative
                if _supported(file, problems):
                    # Below a resolved folder, only a link needs resolving (folder links are not followed).
                    real = str(file.resolve()) if symlink else os.path.join(root, relative)
                    files.append((real, SourceFile(file, relative[: len(relative) - len(file.suffix)])))
            if not found:
                problems.append(Problem(str(path), None, None, "folder has no files to import"))
        elif path.is_file():
            if _supported(path, problems):
                files.append((str(path.resolve()), SourceFile(path, path.stem)))
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    # A file named twice (itself and inside its folder) is read once, under its first id.
    once: dict[str, SourceFile] = {}
    for real, source in files:
        once.setdefault(real, source)
    return list(once.values()), problems


def _walk(folder: Path, prefix: str) -> Iterator[tuple[str, bool]]:
    """(path relative to the folder, in posix form; whether it is a symbolic link) of every file
    below `folder`, hidden ones passed over, symbolic links to folders not followed (as
    `Path.rglob`). One `scandir` per folder: 66,000 files are listed in a fraction of a second,
    where `rglob`, `is_file` and `resolve` took 3.5 s of CPU. A folder that cannot be listed is
    passed over, as `rglob` does."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield f"{prefix}{entry.name}", entry.is_symlink()


def read_file(
    source: SourceFile, text_column: str | None = None, id_column: str | None = None, split_speakers: bool = False
) -> tuple[list[SourceDocument], list[Problem]]:
    """Read one file into its document(s) (several for a table), or say why it cannot be read."""
    file = str(source.path)
    read = READERS[source.path.suffix.lower()]
    try:
        return read(source, ReadOptions(text_column, id_column, split_speakers))
    except NotText as error:
        return [], [Problem(file, error.line, None, str(error))]
    except BadFile as error:
        return [], [error.problem]
    except OSError as error:
        return [], [Problem(file, None, None, f"cannot read: {error.strerror or error}")]


def unique_ids(documents: list[SourceDocument]) -> tuple[list[SourceDocument], list[Problem]]:
    """Keep the first document of each id; a later one is a Problem (two files, one id)."""
    problems: list[Problem] = []
    return list(first_of_each_id(documents, {}, problems)), problems


def first_of_each_id(
    documents: Iterable[SourceDocument], seen: dict[str, str], problems: list[Problem]
) -> Iterator[SourceDocument]:
    """The documents as they come, but only the first of each id; a later one becomes a Problem
    (two files, one id). `seen` collects each id's source, for a caller that streams."""
    for document in documents:
        if document.id in seen:
            problems.append(Problem(document.source, None, None,
                                    f"document id {document.id!r} was already read from "
                                    f"{seen[document.id]}; rename one of them"))
        else:
            seen[document.id] = document.source
            yield document


def _supported(path: Path, problems: list[Problem]) -> bool:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED:
        return True
    hint = _HINTS.get(suffix, f"not a file Accord reads (it reads {', '.join(SUPPORTED)})")
    problems.append(Problem(str(path), None, None, hint))
    return False
