"""`accord doctor --salvage NEW`: copy what is still readable of a damaged project into a new file.

SQLite's own `.recover` needs a sqlite3 program built with the page-reading extension, which
many are not (Debian's 3.40 fails on every file): this works wherever Accord runs. The damaged
file is never written: it is copied (with its `-wal`, which may hold the latest work) to a
temporary folder and read there. The new file gets the damaged file's own table definitions
(so an older schema migrates on open as any project does), every row that can be read, table by
table, stepping over unreadable stretches, and a rebuilt full-text index. Rows pointing at rows
that were lost are kept: `accord doctor` on the new file names them and `--repair` drops them.

A function over two paths, not a Project method: Project.open refuses the file it reads.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.connection import connect
from store.errors import ProjectError
from store.intake.source import sha256_text

TABLES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson")
"""Table files: their rows' ids come from the file, not from a folder or --split-speakers."""

FARTHEST_SKIP = 2**40
"""How far past an unreadable row a table is searched for readable ones (rowids)."""


@dataclass
class Salvage:
    """What `salvage_project` copied."""

    rows: dict[str, int] = field(default_factory=dict)
    """Rows copied, by table."""
    damaged: list[str] = field(default_factory=list)
    """Tables in which some rows could not be read."""
    incomplete: dict[str, str] = field(default_factory=dict)
    """Documents that lost paragraphs, id -> source: left out of the copy, so that importing
    their files again brings them back whole under the same ids (codings find them again)."""


def salvage_target(path: Path) -> Path:
    """A new file beside `path` for its salvage: `NAME-recovered.db`, numbered when taken.
    Never `path` itself: salvaging into the file being read would destroy it."""
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        target = path.with_name(f"{path.stem}-recovered{suffix}{path.suffix or '.db'}")
        if not target.exists():
            return target
    raise ProjectError(f"too many salvaged copies beside {path}; move some away")


def salvage_project(damaged: Path, target: Path) -> Salvage:
    """Copy every readable row of the project file `damaged` into the new file `target`."""
    damaged, target = Path(damaged), Path(target)
    if not damaged.is_file():
        raise ProjectError(f"no project at {damaged}")
    if target.exists():
        raise ProjectError(f"{target} already exists: name a new file to salvage into")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "damaged.db"
        for suffix in ("", "-wal"):
            if Path(f"{damaged}{suffix}").exists():
                shutil.copyfile(f"{damaged}{suffix}", f"{copy}{suffix}")
        source = sqlite3.connect(copy)
        try:
            schema = _schema(source)
            if schema is None:
                raise ProjectError(f"{damaged}: nothing can be salvaged, its list of tables is lost; "
                                   "restore it from a backup or a coder's copy")
            return _copy(source, schema, target)
        finally:
            source.close()


def can_salvage(path: Path) -> bool:
    """Whether `salvage_project` can copy anything of `path`: its list of tables is readable.
    Read in place without writing anything, the `-wal` aside (it rarely holds the schema)."""
    try:
        source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        return bool(_schema(source))
    finally:
        source.close()


def _schema(source: sqlite3.Connection) -> list[tuple[str, str, str]] | None:
    """The file's CREATE statements in their order, or None when they cannot be read. With
    writable_schema on, SQLite lists them without first parsing them all, which fails on damage."""
    try:
        source.execute("PRAGMA writable_schema = ON")
        rows = source.execute("select type, name, sql from sqlite_master where sql is not null order by rowid")
        return [(str(kind), str(name), str(sql)) for kind, name, sql in rows]
    except sqlite3.DatabaseError:
        return None


def _copy(source: sqlite3.Connection, schema: list[tuple[str, str, str]], target: Path) -> Salvage:
    virtual = [name for kind, name, sql in schema if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    # The full-text index's own tables are made by its CREATE VIRTUAL TABLE, and rebuilt below.
    shadow = {name for _, name, _ in schema if any(name.startswith(f"{v}_") for v in virtual)}
    tables = [name for kind, name, sql in schema
              if kind == "table" and name not in shadow and name not in virtual and not name.startswith("sqlite_")]
    report = Salvage()
    db = connect(target)
    try:
        db.execute("PRAGMA foreign_keys = OFF")  # rows whose parents were lost are kept for the doctor
        db.execute("begin")
        for kind, name, sql in schema:
            if kind in ("table", "index") and name not in shadow and not name.startswith("sqlite_"):
                db.execute(sql)
        for table in tables:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info([{table}])")]
            insert = (f"insert or ignore into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                      f"values ({', '.join('?' * len(columns))})")
            rows = _readable_rows(source, table, report)
            report.rows[table] = db.executemany(insert, rows).rowcount
        if "paragraphs" in report.damaged or "documents" in report.damaged:
            report.incomplete = _drop_incomplete_documents(db)
        for kind, _, sql in schema:
            if kind in ("trigger", "view"):
                db.execute(sql)
        for name in virtual:
            db.execute(f"insert into [{name}] ([{name}]) values ('rebuild')")
        db.execute("commit")
    except BaseException:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    db.close()
    return report


def _drop_incomplete_documents(db: sqlite3.Connection) -> dict[str, str]:
    """Delete the documents whose paragraphs no longer hash to the document's hash (some were
    lost), and their paragraphs: an import of the same file then adds the document again, where
    it would call a document it already has unchanged. Codings and statuses stay."""
    db.create_function("accord_sha256", 1, lambda text: sha256_text(text) if isinstance(text, str) else None)
    lost = dict(db.execute(
        """select d.id, coalesce(d.source, '') from documents d
           where d.sha256 is not (select accord_sha256(group_concat(text, char(10, 10)))
                                  from (select text from paragraphs p where p.document_id = d.id order by position))
           order by d.position""").fetchall())
    for document_id in lost:
        db.execute("delete from paragraphs where document_id = ?", [document_id])
        db.execute("delete from documents where id = ?", [document_id])
    return lost


def reimport_commands(incomplete: dict[str, str], target: Path) -> tuple[list[str], list[str]]:
    """The `accord import` commands that bring the incomplete documents back into `target` under
    their ids, and the sources that cannot be found where they were imported from."""
    plain: set[str] = set()
    split: set[str] = set()
    missing: list[str] = []
    for document_id, source in incomplete.items():
        file = Path(re.sub(r":\d+$", "", source))  # a table's row: `speeches.csv:12`
        if not source or not file.exists():
            missing.append(source or document_id)
            continue
        stem = str(file.with_suffix(""))
        if "/" in document_id and stem.endswith(document_id):
            # Found in a folder named on the command line: its id is its path inside that folder.
            plain.add(stem[: len(stem) - len(document_id)].rstrip("/") or ".")
        elif re.fullmatch(rf"{re.escape(file.stem)}-\d{{3}}", document_id) and file.suffix not in TABLES:
            split.add(str(file))
        else:
            plain.add(str(file))
    project = f"--project {shlex.quote(str(target))}"
    commands = [f"accord import {' '.join(map(shlex.quote, sorted(files)))}{flag} {project}"
                for files, flag in ((plain, ""), (split, " --split-speakers")) if files]
    return commands, missing


def _readable_rows(source: sqlite3.Connection, table: str, report: Salvage) -> Iterator[tuple[object, ...]]:
    """The table's rows in rowid order; past an unreadable stretch, on from the next readable rowid."""
    last = -(2**63)
    step = 1
    while True:
        try:
            for row in source.execute(f"select rowid, * from [{table}] where rowid > ? order by rowid", (last,)):
                last, step = row[0], 1
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            if table not in report.damaged:
                report.damaged.append(table)
            if last == -(2**63):
                # The table's first page is lost: look for rows from the smallest rowids on.
                last = 0
            if step > FARTHEST_SKIP:
                return
            last, step = last + step, step * 2
