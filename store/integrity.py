"""Detecting a damaged project file at open: a cheap look at the header and the file's length,
then SQLite's own `PRAGMA quick_check`."""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from pathlib import Path

from store.connection import RESTORE_ADVICE, open_in_this_process
from store.errors import ProjectError

MAGIC = b"SQLite format 3\x00"


def header_problem(path: Path) -> str | None:
    """What is wrong with the file's 100-byte header and length, or None.

    A file cut short (a copy interrupted, a sync tool that gave up) still starts with a good
    header; the header records how many pages the file had, so comparing with the length on
    disk finds the truncation without reading the pages. A file this process already has
    open was checked when first opened, and reading it here would drop SQLite's locks on it.
    """
    if open_in_this_process(path):
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if not header.startswith(MAGIC):
        return "not a SQLite file"
    if len(header) < 100:
        return "truncated: shorter than a SQLite header"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "header damaged: impossible page size"
    if size % page_size:
        return f"truncated or damaged: {size:,} bytes is not a whole number of {page_size}-byte pages"
    change_counter, pages, valid_for = header[24:28], int.from_bytes(header[28:32], "big"), header[92:96]
    # The page count is trustworthy only when written by the same change as the counter.
    if change_counter == valid_for and pages * page_size > size:
        return f"truncated: the header records {pages * page_size:,} bytes, the file has {size:,}"
    return None


def check_header(path: Path) -> None:
    """Raise ProjectError with advice when the file is not a SQLite file or is cut short."""
    problem = header_problem(path)
    if problem == "not a SQLite file":
        raise ProjectError(f"{path} is not an Accord project (not a SQLite file)")
    if problem:
        raise ProjectError(f"{path} is damaged ({problem}); {RESTORE_ADVICE}")


FULL_CHECK_MAX_BYTES = 64 * 2**20
"""Up to this size (about 40,000 paragraphs) open checks every page: at most ~0.06 s. Past it,
a full quick_check reads the whole file (0.14 s CPU for 100,000 paragraphs, 170 MB; 0.9 s warm
for 1,000,000, 1.1 GB, and more from a cold disk), paid by every command before it does
anything, so open checks the tables that hold the coders' work (0.05 s at 100,000) and leaves
the corpus tables, which an import can rebuild, to `accord doctor`."""

WORK_TABLES = ("meta", "codes", "code_levels", "coders", "codings", "paragraph_status", "events")


def quick_check_findings(db: sqlite3.Connection, tables: tuple[str, ...] = (), limit: int = 10,
                         schema: str = "main") -> list[str]:
    """SQLite's quick_check of the whole file, or only of `tables`: pages and records well-formed.
    `schema` names an ATTACHed file to check instead of the main one."""
    rows: list[object] = []
    for table in tables or (None,):
        target = f"'{table}'" if table else str(int(limit))
        rows += [row[0] for row in db.execute(f"PRAGMA {schema}.quick_check({target})").fetchall() if row[0] != "ok"]
    # SQLite packs several findings into one row under a "*** in database main ***" banner.
    lines = (line.strip() for row in rows for line in str(row).splitlines())
    return [line for line in lines if line and not line.startswith("***")][:limit]


def work_tables(db: sqlite3.Connection, schema: str = "main") -> tuple[str, ...]:
    """The tables of WORK_TABLES that the file has (sqlite_master when it has none)."""
    present = {row[0] for row in db.execute(f"select name from {schema}.sqlite_master where type = 'table'")}
    return tuple(t for t in WORK_TABLES if t in present) or ("sqlite_master",)


def quick_check(db: sqlite3.Connection, path: Path, only_work: bool | None = None,
                schema: str = "main") -> None:
    """Raise ProjectError with advice when SQLite finds damaged pages in the file.

    `only_work` checks only the tables that hold the coders' work; by default, files larger
    than FULL_CHECK_MAX_BYTES. `schema` names an ATTACHed file to check instead of the main one.
    """
    try:
        if only_work is None:
            only_work = path.stat().st_size > FULL_CHECK_MAX_BYTES
        tables = work_tables(db, schema) if only_work else ()
        findings = quick_check_findings(db, tables, limit=3, schema=schema)
    except sqlite3.DatabaseError as error:
        findings = [str(error)]
    if findings:
        raise ProjectError(f"{path} is damaged ({'; '.join(findings)}); {RESTORE_ADVICE}")


def check_in_background(path: Path) -> Future[None]:
    """`quick_check` of the file (as Project.open does) on a connection of its own in a thread,
    for a read-only command that opens with `verify=False` and waits for the verdict before it
    writes anything: SQLite lets go of the GIL while it checks, so the check costs no time when
    a core is free (0.5 s at 1,000,000 paragraphs)."""
    from concurrent.futures import ThreadPoolExecutor

    from store.connection import connect

    def check() -> None:
        db = connect(path)
        try:
            quick_check(db, path)
        finally:
            db.close()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-check")
    try:
        return pool.submit(check)
    finally:
        pool.shutdown(wait=False)
