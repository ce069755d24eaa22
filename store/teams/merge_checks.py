"""Checking coders' files before their work is merged: same project, same paragraph texts,
known codes, undamaged pages. Read-only.

The checks run in a thread of their own, on a connection of their own, while the merge writes
(SQLite releases the GIL while it works, and WAL lets the checks read the project beside the
writer). The writer does not wait for a file's verdict before writing its rows: they go into
one transaction that is committed only once every file has passed, and rolled back otherwise,
so a refused file leaves nothing behind. The files are checked ten at a time (SQLite's limit
on attached files), their paragraph texts compared with the project's in one pass that reads
the project's paragraphs once for the ten files: at 1,000,000 paragraphs the texts are most
of the per-file cost that grows with the corpus rather than with the work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from store.codebook.required import Gap, required_gaps
from store.connection import connect
from store.errors import ProjectError, StorageError
from store.integrity import quick_check
from store.words import plural
from store.teams.merge_trust import check_trust, file_coders

SHOWN = 5
"""How many examples a refusal names."""


class attached:
    """ATTACH files as src0, src1, ... for the length of a with-block."""

    def __init__(self, conn: sqlite3.Connection, paths: list[Path]) -> None:
        self.conn = conn
        self.aliases = [f"src{i}" for i in range(len(paths))]
        self.paths = paths

    def __enter__(self) -> list[str]:
        done: list[str] = []
        try:
            for alias, path in zip(self.aliases, self.paths, strict=True):
                self.conn.execute("attach database ? as " + alias, [str(path)])
                done.append(alias)
        except sqlite3.DatabaseError as error:
            for alias in done:
                self.conn.execute(f"detach database {alias}")
            raise ProjectError(f"cannot open {path}: {error}") from error
        return self.aliases

    def __exit__(self, *exc: object) -> None:
        for alias in self.aliases:
            self.conn.execute(f"detach database {alias}")


@dataclass
class Contents:
    """What a file that passed its checks holds, for the merge's report."""

    coders: list[str] = field(default_factory=list)
    """Coders whose work the file holds."""
    gaps: list[Gap] = field(default_factory=list)
    """Its done paragraphs that miss a variable the codebook requires."""


class Checks:
    """The checks of `paths` against the project at `project_path`, started at once in a
    background thread, `batch` files at a time; `result(path)` waits for one file's verdict.
    `required`: the codebook's required variables (id -> rule), for the gaps in the report."""

    def __init__(self, project_path: Path, paths: list[Path], project_id: str, include_consensus: bool = False,
                 required: Mapping[str, str] | None = None, batch: int = 10) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="merge-check")
        self.futures: dict[Path, Future[Contents]] = {path: Future() for path in paths}
        for start in range(0, len(paths), batch):
            self.pool.submit(self._run, project_path, paths[start:start + batch], project_id, include_consensus,
                             dict(required or {}))

    def _run(self, project_path: Path, paths: list[Path], project_id: str, include_consensus: bool,
             required: Mapping[str, str]) -> None:
        try:
            verdicts = check_files(project_path, paths, project_id, include_consensus, required)
        except BaseException as error:  # the connection itself failed: every file of the batch says so
            verdicts = dict.fromkeys(paths, error)
        for path in paths:
            verdict = verdicts[path]
            if isinstance(verdict, BaseException):
                self.futures[path].set_exception(verdict)
            else:
                self.futures[path].set_result(verdict)

    def result(self, path: Path) -> Contents:
        """What `path` holds once it passed, or raise what its check found (ProjectError). A
        refusal waits for the other files' checks and names every refused file, one a line:
        the lead learns at once everything that kept the merge from happening."""
        try:
            return self.futures[path].result()
        except ProjectError as first:
            refused = [first]
            for other, future in self.futures.items():
                try:
                    if other != path:
                        future.result()
                except ProjectError as error:
                    refused.append(error)
            if len(refused) == 1:
                raise
            raise ProjectError("\n".join(str(error) for error in refused)) from first

    def all(self) -> None:
        """Raise the first refusal, in the order the files were given."""
        for path in self.futures:
            self.result(path)

    def __enter__(self) -> Checks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def check_files(project_path: Path, paths: list[Path], project_id: str, include_consensus: bool = False,
                required: Mapping[str, str] | None = None) -> dict[Path, Contents | BaseException]:
    """Check up to ten files on a connection of their own to the project (thread-safe): each
    file's verdict, what it holds or the ProjectError that refuses it."""
    verdicts: dict[Path, Contents | BaseException] = {}
    conn = connect(project_path)
    aliases: dict[Path, str] = {}
    try:
        for i, path in enumerate(paths):
            try:
                conn.execute(f"attach database ? as src{i}", [str(path)])
                aliases[path] = f"src{i}"
            except sqlite3.DatabaseError as error:
                verdicts[path] = ProjectError(f"cannot open {path}: {error}")
        # Each file's first problem, in the order: project, pages, paragraphs, codes, trust.
        for path, s in aliases.items():
            _verdict(verdicts, path, partial(_check_project, conn, s, path, project_id))
        same = same_paragraphs_of(conn, {path: s for path, s in aliases.items() if path not in verdicts})
        for path, s in aliases.items():
            if path not in verdicts:
                _verdict(verdicts, path, partial(_check_rest, conn, s, path, same[path], include_consensus, required or {}))
    finally:
        for s in aliases.values():
            conn.execute(f"detach database {s}")
        conn.close()
    return verdicts


def _verdict(verdicts: dict[Path, Contents | BaseException], path: Path, check: Callable[[], Contents | None]) -> None:
    """Run one check of `path`; a refusal, or a read failure named by the file, is its verdict,
    and so is what the file holds once the last check passed."""
    try:
        result = check()
    except ProjectError as error:
        verdicts[path] = error
    except (sqlite3.DatabaseError, StorageError) as error:
        verdicts[path] = unreadable([path], error)
    else:
        if isinstance(result, Contents):
            verdicts[path] = result


def _check_project(conn: sqlite3.Connection, s: str, path: Path, project_id: str) -> None:
    """Refuse a file of another project, or whose merged tables' pages are damaged."""
    row = conn.execute(f"select value from {s}.meta where key = 'project_id'").fetchone()
    if row is None or row[0] != project_id:
        raise ProjectError(
            f"{path} belongs to another project (project id {row[0] if row else 'missing'}; "
            f"this project is {project_id}); only copies handed out from this project can be merged"
        )
    # The pages of the tables whose rows are merged; the paragraphs' pages are all read by the
    # comparison of the texts, and the other tables (search index, documents) are not merged.
    quick_check(conn, path, only_work=True, schema=s)


def _check_rest(conn: sqlite3.Connection, s: str, path: Path, same: bool | BaseException, include_consensus: bool,
                required: Mapping[str, str]) -> Contents:
    """The checks after the texts were compared (`same`), then what the file holds. A forged
    consensus, another coder's work or impossible dates too (store/teams/merge_trust.py)."""
    if isinstance(same, BaseException):
        raise same
    if not same:
        _check_paragraphs(conn, s, path)
    _check_codes(conn, s, path)
    coders = file_coders(conn, s)
    check_trust(conn, s, path, include_consensus, coders)
    # Reported, not refused: the coder's work is merged all the same.
    return Contents(coders, required_gaps(conn, required, schema=s, coders=coders))


def same_paragraphs_of(conn: sqlite3.Connection, files: dict[Path, str]) -> dict[Path, bool | BaseException]:
    """same_paragraphs of every attached file, reading this project's paragraphs once: each
    file's paragraphs looked up by rowid beside the project's (2.0 s of CPU for three files
    at 1,000,000 paragraphs, 2.9-4.4 s one file after the other). A read failure is then
    pinned on its file by comparing them one by one."""
    if not files:
        return {}
    if len(files) > 1:
        joins = " ".join(f"left join {s}.paragraphs o{i} on o{i}.rowid = m.rowid" for i, s in enumerate(files.values()))
        sums = ", ".join(f"total(o{i}.id = m.id and o{i}.text is m.text)" for i in range(len(files)))
        totals = ", ".join(f"(select count(*) from {s}.paragraphs)" for s in files.values())
        try:
            row = conn.execute(f"select {sums}, {totals} from main.paragraphs m {joins}").fetchone()
        except sqlite3.DatabaseError:
            pass
        else:
            return {path: row[i] == row[len(files) + i] for i, path in enumerate(files)}
    found: dict[Path, bool | BaseException] = {}
    for path, s in files.items():
        try:
            found[path] = same_paragraphs(conn, s)
        except (sqlite3.DatabaseError, StorageError) as error:
            found[path] = unreadable([path], error)
    return found


def same_paragraphs(conn: sqlite3.Connection, s: str) -> bool:
    """Whether every paragraph of the file is in the project, with the same id and text, at
    the same rowid: true of a file handed out from this project (VACUUM INTO keeps rowids)
    whatever was coded in it since. Joining on rowid reads both tables in order, without a
    lookup in the id index per paragraph: 0.8 s of CPU instead of 2.2 s per file at 1,000,000
    paragraphs. The texts themselves, not the file's stored hashes: a text edited with sqlite3
    and its hash left alone must be refused too. `is` also tells a text from the same bytes
    stored as a BLOB."""
    total = conn.execute(f"select count(*) from {s}.paragraphs").fetchone()[0]
    same = conn.execute(
        f"""select count(*) from {s}.paragraphs o join main.paragraphs m on m.rowid = o.rowid
            where m.id = o.id and m.text is o.text"""
    ).fetchone()[0]
    return bool(same == total)


def _check_paragraphs(conn: sqlite3.Connection, s: str, path: Path) -> None:
    """Name the paragraphs whose text differs, or that this project lacks, joined on id."""
    differing = conn.execute(
        f"""select o.id from {s}.paragraphs o join main.paragraphs m on m.id = o.id
            where m.text is not o.text order by o.seq limit {SHOWN + 1}"""
    ).fetchall()
    if differing:
        raise ProjectError(
            f"{path}: the text of paragraph {listing(differing)} differs from this project's; "
            "the file was made from another version of the corpus"
        )
    missing = conn.execute(
        f"""select o.id from {s}.paragraphs o where not exists (
                select 1 from main.paragraphs m where m.id = o.id) order by o.seq limit {SHOWN + 1}"""
    ).fetchall()
    if missing:
        raise ProjectError(
            f"{path} has paragraph {listing(missing)} that this project lacks; "
            "import the same documents here first"
        )


def _check_codes(conn: sqlite3.Connection, s: str, path: Path) -> None:
    """Refuse a file whose codings use codes this project's codebook lacks."""
    unknown = conn.execute(
        f"""select distinct o.code_id from {s}.codings o where not exists (
                select 1 from main.codes c where c.id = o.code_id) order by 1 limit {SHOWN + 1}"""
    ).fetchall()
    if unknown:
        raise ProjectError(
            f"{path} uses code {listing(unknown)} that this project's codebook lacks; "
            "apply that codebook here first (accord codebook update FILE)"
        )


def unreadable(paths: list[Path], error: Exception) -> ProjectError:
    """A read failure while merging, named by the files merged (the connection's own error
    would name the project), with the nothing-changed promise."""
    cause = error.__cause__ if isinstance(error, StorageError) and error.__cause__ else error
    names = ", ".join(str(path) for path in paths)
    return ProjectError(f"cannot read {names} ({cause}); it may be damaged: check it with "
                        f"`accord --project FILE doctor`. Nothing was merged")


REFERENCES = (
    ("codings", "paragraph_id", "paragraph"), ("codings", "coder_id", "coder"), ("codings", "code_id", "code"),
    ("paragraph_status", "paragraph_id", "paragraph"), ("paragraph_status", "coder_id", "coder"),
    ("assignments", "paragraph_id", "paragraph"), ("assignments", "coder_id", "coder"),
)
"""(table, column, what it names) of every reference the rows merge writes must keep."""
_PARENT = {"paragraph": "paragraphs", "coder": "coders", "code": "codes"}


def dangling(conn: sqlite3.Connection, aliases: list[str], paths: list[Path], error: Exception) -> ProjectError:
    """The refusal for a foreign-key failure while merging the attached files: which file's
    table names which paragraphs, coders or codes that exist nowhere (not in this project, and
    for coders not in the file either): rows added outside Accord, since Accord itself never
    writes them. Looked for only after the failure, so a sound merge pays nothing for it."""
    found: list[str] = []
    for alias, path in zip(aliases, paths, strict=True):
        for table, column, noun in REFERENCES:
            in_file = f" and not exists (select 1 from {alias}.coders f where f.id = o.{column})" if noun == "coder" else ""
            missing = conn.execute(
                f"""select distinct o.{column} from {alias}.{table} o where o.{column} is not null
                    and not exists (select 1 from main.{_PARENT[noun]} m where m.id = o.{column}){in_file}
                    order by 1 limit {SHOWN + 1}"""
            ).fetchall()
            if missing:
                total = conn.execute(
                    f"""select count(*) from {alias}.{table} o where o.{column} is not null
                        and not exists (select 1 from main.{_PARENT[noun]} m where m.id = o.{column}){in_file}"""
                ).fetchone()[0]
                verb = "names" if total == 1 else "name"
                found.append(f"{path}: {plural(total, 'row')} of its table {table} {verb} {noun} {listing(missing)}, "
                             f"which {'neither this project nor the file has' if noun == 'coder' else 'this project lacks'}")
    if not found:
        return unreadable(paths, error)
    return ProjectError("; ".join(found) + ". Such rows are not Accord's own (the file was changed outside Accord): "
                        "remove them, or merge another copy of the coder's work. Nothing was merged")


def listing(rows: list[tuple[object, ...]]) -> str:
    names = [str(row[0]) for row in rows[:SHOWN]]
    more = " and more" if len(rows) > SHOWN else ""
    return ", ".join(names) + more
