"""Merging coders' project files into the current project.

The rules make merging safe to repeat and to do in any order (idempotent, commutative,
associative): a (paragraph, coder, code) keeps its most recent value, ties broken by the id of
the event that wrote it and then by the value itself; a status, flag or note keeps the value of
its most recent event; events are unioned by id; nothing is ever deleted (the row rules are in
store/teams/merge_rows.py, the report in store/teams/merge_report.py; rows and events are
written through store/events.py).

Every file is checked before anything is committed, and each run is one transaction. The work is
set-based SQL over the ATTACHed file, so it scales with SQLite, not with Python loops. A
function taking the lead's Project, not a method: it joins many coders' files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from store import events as writes
from store.connection import SQLITE_FULL, SQLITE_READONLY
from store.errors import ProjectError, StorageError
from store.teams.merge_checks import Checks, attached, dangling, unreadable
from store.teams.merge_report import Conflict, FileReport, MergeReport
from store.teams.merge_rows import merge_codings, resolve_statuses, stage_statuses

if TYPE_CHECKING:

    from store.project import Project

MERGE_CACHE_KIB = -262_144
"""Page cache while merging, in KiB (negative: SQLite's convention for a size, not pages)."""

__all__ = ["Conflict", "FileReport", "MergeReport", "merge_files"]


def merge_files(project: Project, paths: list[Path], dry_run: bool = False,
                on_file: Callable[[Path], None] | None = None, include_consensus: bool = False) -> MergeReport:
    """Merge coder files into `project` (an open Project).

    Args:
        project: the lead's open Project, the one that receives the work.
        paths: the coders' project files.
        dry_run: compute the report, then roll everything back.
        on_file: called with each path once it is merged (for a progress bar).
        include_consensus: take the files' consensus values too (another lead's adjudicated
            project, merged on purpose); otherwise a file carrying any is refused.

    Raises ProjectError, naming the file and what differs, before anything is written, when a
    file is not an Accord project, is damaged, belongs to another project, has a paragraph whose
    text differs from this project's, or uses codes this project's codebook lacks; or that
    carries consensus values, another coder's work (a handed-out file), or work dated more than
    a day in the future or before the project was created (store/teams/merge_trust.py).
    """
    from store.project import Project

    conn = project.db
    # By device and inode, not by name: a hard link to the project would otherwise be attached
    # beside it, wait 10 s on its own lock and blame another process (and leave a -wal).
    own = _identity(Path(project.path))
    unique: list[Path] = []
    seen: set[object] = set()
    for path in paths:
        identity = _identity(Path(path))
        if identity == own:
            raise ProjectError(f"{path} is the current project itself; merge other coders' files into it")
        if identity not in seen:
            seen.add(identity)
            unique.append(Path(path))
    for path in unique:
        # Not SQLite, not Accord, newer, or unreadable: refused here. The page check runs with
        # the other checks, on the tables merge reads without looking at every value.
        Project.open(path, verify=False).close()
    report = MergeReport(dry_run=dry_run)
    # A larger page cache while merging: B-tree inserts of millions of rows stay in memory.
    cache = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {MERGE_CACHE_KIB}")
    try:
        _merge_all(conn, unique, Path(project.path), project.project_id, report, dry_run, on_file,
                   project.required_variables(), include_consensus)
    finally:
        conn.execute(f"pragma cache_size = {cache}")
    return report


def _project_unwritable(error: Exception) -> bool:
    """Whether a failure while merging is the project's (read-only, disk full), not the coder
    files': merge only reads those, so a failed write is the project's own. The project's
    connection has already said so, naming it (store/connection.py storage_error)."""
    cause = error.__cause__ if isinstance(error, StorageError) else error
    code = getattr(cause, "sqlite_errorcode", None)
    return isinstance(error, StorageError) and code is not None and code & 0xFF in (SQLITE_READONLY, SQLITE_FULL)


def _identity(path: Path) -> object:
    """A file's (device, inode), the same under any name; its resolved path when it cannot be
    read (opening it then says what is wrong)."""
    try:
        stat = path.stat()
    except OSError:
        return path.resolve()
    return stat.st_dev, stat.st_ino


def _merge_all(conn: sqlite3.Connection, unique: list[Path], project_path: Path, project_id: str,
               report: MergeReport, dry_run: bool, on_file: Callable[[Path], None] | None,
               required: Mapping[str, str], include_consensus: bool) -> None:
    # SQLite attaches at most 10 files at once; more are merged ten at a time.
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
    # Every file is checked before anything is committed. The checks run in a thread beside
    # the writes (store/teams/merge_checks.py), which do not wait for them: a file's rows are
    # written at once, in the transaction that is committed only once every file has passed.
    with Checks(project_path, unique, project_id, include_consensus, required, batch=limit) as checks:
        for start in range(0, len(unique), limit):
            batch = unique[start:start + limit]
            with attached(conn, batch) as aliases:
                conn.execute("begin immediate")
                try:
                    files = []
                    for alias, path in zip(aliases, batch, strict=True):
                        files.append(_merge_one(conn, alias, path))
                        if on_file:
                            on_file(path)
                    checks.all()
                    for item in files:
                        contents = checks.result(item.path)
                        item.coders, item.gaps = contents.coders, contents.gaps
                    report.files.extend(files)
                except sqlite3.IntegrityError as error:  # a row names what exists nowhere: say which
                    conn.execute("rollback")
                    checks.all()  # a refused file is the cause to name, not its rows
                    raise dangling(conn, aliases, batch, error) from error
                except (sqlite3.DatabaseError, StorageError) as error:
                    conn.execute("rollback")
                    if _project_unwritable(error):
                        raise  # merge writes only the project: its read-only file or full disk is the cause
                    checks.all()
                    raise unreadable(batch, error) from error
                except BaseException:
                    conn.execute("rollback")
                    raise
                conn.execute("rollback" if dry_run else "commit")


def _merge_one(conn: sqlite3.Connection, s: str, path: Path) -> FileReport:
    """Merge the attached file `s` into main (inside the caller's transaction). The coders and
    gaps of the report come from the file's checks."""
    report = FileReport(path)
    handed = conn.execute(f"select value from {s}.meta where key = 'handout_coder'").fetchone()
    report.handed_to = handed[0] if handed else None
    added = report.added
    added["coders"] = conn.execute(
        f"insert or ignore into main.coders (id, name, created_at) select id, name, created_at from {s}.coders"
    ).rowcount
    conn.execute(f"insert or ignore into main.codebooks (sha256, yaml, loaded_at) "
                 f"select sha256, yaml, loaded_at from {s}.codebooks")
    merge_codings(conn, s, report)
    stage_statuses(conn, s, report)
    # Events after codings and staging (ties and conflicts look at each side's own log), before
    # statuses are resolved (which reads the union of both logs).
    added["events"] = writes.merge_events(conn, s)
    resolve_statuses(conn, report)
    added["assignments"] = conn.execute(
        f"insert or ignore into main.assignments (paragraph_id, coder_id) select paragraph_id, coder_id from {s}.assignments"
    ).rowcount
    return report
