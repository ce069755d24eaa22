"""`accord doctor`: check a project file for damage and inconsistencies, say how to repair each,
and repair the safe ones (rebuild the search index, drop rows that point at nothing).

The doctor opens the file directly, not through Project.open, because Project.open refuses the
very files the doctor is for: so its checks and repairs are functions over a path and a
connection, not Project methods.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.connection import connect, transaction
from store.corpus.importing import resequence
from store.errors import ProjectError, StorageError
from store.integrity import header_problem
from store.intake.source import sha256_text
from store.schema import SCHEMA_VERSION, migrate
from store.words import plural

SALVAGE = (
    "restore the file from a backup or a coder's copy; to salvage what is readable: "
    "sqlite3 {path} .recover | sqlite3 recovered.db, then `accord doctor --project recovered.db`"
)
TABLES = ("meta", "codebooks", "codes", "code_levels", "documents", "paragraphs", "coders",
          "paragraph_status", "codings", "events", "assignments", "paragraphs_fts")
FTS_TRIGGERS = ("paragraphs_ai", "paragraphs_ad", "paragraphs_au")
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Finding:
    """One problem the doctor found."""

    check: str
    """Short name of the check: integrity, schema, orphans, unknown-codes, text-hash, search-index..."""
    problem: str
    """What is wrong, in words, with a count."""
    advice: str
    """How to repair it."""
    repair: str | None = None
    """Name of the safe automatic repair (`accord doctor --repair`), or None when a person must decide."""


CHECKS: list[tuple[str, str]] = [
    ("integrity", "pages and records well-formed (PRAGMA integrity_check)"),
    ("schema", f"an Accord project at schema version {SCHEMA_VERSION}"),
    ("orphans", "no row points at a paragraph, document, code or coder that is not there"),
    ("unknown-codes", "every coding names a code of the codebook"),
    ("text-hash", "every paragraph's text matches the hash taken at import"),
    ("order", "paragraphs numbered 1..N in corpus order"),
    ("search-index", "the full-text index matches the paragraphs"),
]
"""(name, what it verifies) of every check, in the order they run."""


def diagnose(path: Path) -> list[Finding]:
    """Every problem found in the project file at `path` (an empty list: healthy)."""
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"no project at {path}")
    problem = header_problem(path)
    if problem == "not a SQLite file" or (problem and problem.startswith("cannot be read")):
        return [Finding("integrity", f"{path} is {problem}", SALVAGE.format(path=path))]
    findings = [Finding("integrity", f"the file is {problem}", SALVAGE.format(path=path))] if problem else []
    try:
        db = connect(path)
    except ProjectError as error:
        cause = error.__cause__ or error
        return findings or [Finding("integrity", f"the file cannot be opened ({cause})", SALVAGE.format(path=path))]
    try:
        for check in (_integrity, _schema, _orphans, _text_hashes, _order, _search_index):
            try:
                findings += check(db, path)
            except StorageError as error:
                if not error.damaged:
                    raise  # read-only, full or locked: the one-line error says what to do
                findings.append(Finding(check.__name__.strip("_").replace("_", "-"),
                                        f"the check could not run ({error.__cause__})", SALVAGE.format(path=path)))
            except sqlite3.DatabaseError as error:
                findings.append(Finding(check.__name__.strip("_").replace("_", "-"),
                                        f"the check could not run ({error})", SALVAGE.format(path=path)))
            if findings and findings[-1].check in ("integrity", "schema") and findings[-1].repair is None:
                break  # the later checks would only repeat the damage in other words
    finally:
        db.close()
    return findings


def repair(path: Path, findings: list[Finding]) -> list[str]:
    """Apply the safe repairs the findings name, in one transaction; what was done, in words."""
    repairs = {finding.repair for finding in findings if finding.repair}
    done: list[str] = []
    db = connect(path)
    try:
        with transaction(db):
            for name, action in REPAIRS.items():
                if name in repairs:
                    done.append(action(db))
    finally:
        db.close()
    return done


# -- checks ------------------------------------------------------------------------------------


def _integrity(db: sqlite3.Connection, path: Path) -> list[Finding]:
    rows = [row[0] for row in db.execute("PRAGMA integrity_check(20)").fetchall()]
    if rows == ["ok"]:
        return []
    lines = [line for row in rows for line in str(row).splitlines() if not line.startswith("***")]
    damaged = plural(len(lines), "damaged page or record", "damaged pages or records")
    return [Finding("integrity", f"{damaged}: {'; '.join(lines[:3])}", SALVAGE.format(path=path))]


def _schema(db: sqlite3.Connection, path: Path) -> list[Finding]:
    present = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    missing = [table for table in TABLES if table not in present]
    if "meta" in missing:
        return [Finding("schema", "not an Accord project (no meta table)",
                        "check that --project names the right file")]
    if missing:
        return [Finding("schema", f"tables missing: {', '.join(missing)}", SALVAGE.format(path=path))]
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        return [Finding("schema", "no schema version recorded in meta", SALVAGE.format(path=path))]
    if version > SCHEMA_VERSION:
        return [Finding("schema", f"schema {version} is newer than this Accord reads ({SCHEMA_VERSION})",
                        "upgrade Accord")]
    if version < SCHEMA_VERSION:
        return [Finding("schema", f"schema {version} is older than {SCHEMA_VERSION}",
                        "open the project once with any command (it migrates itself)", "migrate")]
    return []


def _orphans(db: sqlite3.Connection, path: Path) -> list[Finding]:
    """Rows whose foreign key points at nothing, grouped by what they miss."""
    counts: Counter[tuple[str, str]] = Counter(
        (row[0], row[2]) for row in db.execute("PRAGMA foreign_key_check").fetchall()
    )
    findings = []
    for (table, parent), count in sorted(counts.items()):
        if table == "codings" and parent == "codes":
            findings.append(Finding(
                "unknown-codes", f"{plural(count, 'coding')} with codes the codebook does not have",
                "add those codes back to codebook.yaml and run `accord codebook update FILE --retire`"))
        elif parent == "coders":
            findings.append(Finding(
                "orphans", f"{plural(count, 'row')} of {table} by coders missing from `coders`",
                "the doctor can re-create the coders", "add-coders"))
        elif table == "paragraphs":
            findings.append(Finding(
                "orphans", f"{plural(count, 'paragraph')} of documents missing from `documents`",
                "re-import the documents' files (ids are stable), then run the doctor again"))
        else:
            findings.append(Finding(
                "orphans", f"{plural(count, 'row')} of {table} pointing at {parent} that do not exist",
                "they can never be shown or exported; the doctor can delete them", "drop-orphans"))
    return findings


def _text_hashes(db: sqlite3.Connection, path: Path) -> list[Finding]:
    # Hashed inside SQLite, in corpus order. A text stored as bytes (a tool that writes BLOBs)
    # or a number counts as edited: hashing it in Python used to crash the doctor instead.
    db.create_function("accord_sha256", 1, _text_digest, deterministic=True)
    changed = [row[0] for row in db.execute(
        "select id from paragraphs where accord_sha256(text) is not sha256 order by seq")]
    if not changed:
        return []
    shown = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
    return [Finding("text-hash", f"{plural(len(changed), 'paragraph')} edited outside Accord: {shown}",
                    "codings were made on the old text: re-import the original files with "
                    "`accord import --replace`, or restore the project from a backup")]


def _text_digest(text: object) -> str | None:
    """sha256 of a paragraph's text as Accord stores it, or None for a value that is not text."""
    return sha256_text(text) if isinstance(text, str) else None


def _order(db: sqlite3.Connection, path: Path) -> list[Finding]:
    count, top, bottom = db.execute("select count(*), max(seq), min(seq) from paragraphs").fetchone()
    if count and (top != count or bottom != 1):
        return [Finding("order", f"{plural(count, 'paragraph')} numbered {bottom}..{top}",
                        "the doctor can renumber them in corpus order", "renumber")]
    return []


def _search_index(db: sqlite3.Connection, path: Path) -> list[Finding]:
    triggers = {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")}
    missing = [name for name in FTS_TRIGGERS if name not in triggers]
    try:
        db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('integrity-check', 1)")
        stale = False
    except StorageError as error:
        if not error.damaged:
            raise  # a read-only file cannot run FTS5's check: say so, do not call it stale
        stale = True
    if not (stale or missing):
        return []
    what = "out of step with the paragraphs" if stale else "no longer kept up to date"
    if missing:
        what += f" (triggers missing: {', '.join(missing)})"
    return [Finding("search-index", f"the full-text index is {what}: search misses or invents hits",
                    "the doctor can rebuild it", "rebuild-search")]


# -- repairs -----------------------------------------------------------------------------------


def _migrate(db: sqlite3.Connection) -> str:
    migrate(db)
    return f"migrated to schema {SCHEMA_VERSION}"


def _add_coders(db: sqlite3.Connection) -> str:
    before = _coder_count(db)
    for table in ("codings", "paragraph_status", "assignments"):
        db.execute(f"insert or ignore into coders (id, name, created_at) "
                   f"select distinct coder_id, coder_id, datetime('now') from {table} "
                   f"where coder_id not in (select id from coders)")
    return f"re-created {plural(_coder_count(db) - before, 'coder')}"


def _coder_count(db: sqlite3.Connection) -> int:
    return int(db.execute("select count(*) from coders").fetchone()[0])


def _drop_orphans(db: sqlite3.Connection) -> str:
    doomed: dict[str, list[int]] = {}
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
        if parent != "coders" and table != "paragraphs" and not (table == "codings" and parent == "codes"):
            doomed.setdefault(table, []).append(rowid)
    for table, rowids in doomed.items():
        db.executemany(f"delete from [{table}] where rowid = ?", [(r,) for r in rowids])
    return f"deleted {plural(sum(map(len, doomed.values())), 'orphan row')}"


def _renumber(db: sqlite3.Connection) -> str:
    resequence(db)
    return "renumbered the paragraphs in corpus order"


def _rebuild_search(db: sqlite3.Connection) -> str:
    from sqlite_utils import Database  # loads pandas: only for this repair

    # Recreating the table and its triggers cures a stale index and a dropped trigger alike.
    Database(db).table("paragraphs").enable_fts(["text"], create_triggers=True, tokenize=FTS_TOKENIZE, replace=True)
    db.execute("insert into paragraphs_fts (paragraphs_fts) values ('rebuild')")
    return "rebuilt the full-text index"


REPAIRS: dict[str, Callable[[sqlite3.Connection], str]] = {
    "migrate": _migrate,
    "drop-orphans": _drop_orphans,
    "add-coders": _add_coders,
    "renumber": _renumber,
    "rebuild-search": _rebuild_search,
}
"""Safe repairs in the order they run: rows pointing at no paragraph go before coders are
re-created, so that no coder comes back only for rows that are then deleted."""
