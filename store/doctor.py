"""`accord doctor`: check a project file for damage and inconsistencies, say how to repair each,
and repair the safe ones (rebuild the search index, drop rows that point at nothing).

The doctor opens the file directly, not through Project.open, because Project.open refuses the
very files the doctor is for: so its checks and repairs are functions over a path and a
connection, not Project methods.
"""

from __future__ import annotations

import shlex
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from store.connection import connect, transaction
from store.corpus.importing import resequence
from store.corpus.reads import MISPLACED
from store.errors import ProjectError, StorageError
from store.integrity import header_problem
from store.intake.source import sha256_text
from store.salvage import can_salvage, salvage_target
from store.stored_values import clear_forbidden, forbidden_values
from store.schema import SCHEMA_VERSION, bad_version, migrate, parse_version
from store.words import plural

BACKUP = "restore the file from a backup or a coder's copy"
WRONG_FILE = "check that --project names your project file; if it does, " + BACKUP
SALVAGE = (
    BACKUP + "; or copy what is still readable into a new file: `accord doctor --project {path} "
    "--salvage {target}`, then check the copy with `accord doctor --project {target}`"
)
SALVAGE_LATER = "salvage"
"""Advice to restore or salvage, worded once the checks are done (see `examine`)."""
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
    ("values", "every stored value is one the codebook allows (codes 1/0, known levels and statuses)"),
    ("text-hash", "every paragraph's text matches the hash taken at import"),
    ("order", "paragraphs numbered 1..N in corpus order"),
    ("places", "every paragraph's position and number are whole numbers"),
    ("search-index", "the full-text index matches the paragraphs"),
    ("nul", "no paragraph text holds a NUL byte"),
]
"""(name, what it verifies) of every check, in the order they run."""


@dataclass(frozen=True)
class Diagnosis:
    """What the doctor found, and which checks it could not run and why."""

    findings: list[Finding]
    not_run: dict[str, str] = field(default_factory=dict)
    """Check name -> why it could not run. Such a check is never reported as passed."""


def diagnose(path: Path) -> list[Finding]:
    """Every problem found in the project file at `path` (an empty list: healthy)."""
    return examine(path).findings


def examine(path: Path) -> Diagnosis:
    """Run every check that can run on the file at `path`: the problems, and the checks not run."""
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"no project at {path}")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    problem = header_problem(path)
    if problem == "not a SQLite file" or (problem and problem.startswith("cannot be read")):
        advice = WRONG_FILE if problem == "not a SQLite file" else f"check that you may read it; or {BACKUP}"
        return Diagnosis([Finding("integrity", f"{path} is {problem}", advice)],
                         _skipped(f"{path} is {problem}"))
    findings = [Finding("integrity", f"the file is {problem}", SALVAGE_LATER)] if problem else []
    try:
        db = connect(path)
    except ProjectError as error:
        cause = error.__cause__ or error
        findings = findings or [Finding("integrity", f"the file cannot be opened ({cause})", BACKUP)]
        return _worded(path, Diagnosis(findings, _skipped(f"SQLite cannot open the file ({cause})")))
    not_run: dict[str, str] = {}
    try:
        for position, (check, names) in enumerate(_RUNS):
            try:
                findings += check(db, path)
            except StorageError as error:
                if not error.damaged:
                    raise  # read-only, full or locked: the one-line error says what to do
                not_run.update(dict.fromkeys(names, f"SQLite stopped reading it ({error.__cause__})"))
            except sqlite3.DatabaseError as error:
                not_run.update(dict.fromkeys(names, f"SQLite stopped reading it ({error})"))
            stop = next((f.check for f in findings if f.check in ("integrity", "schema") and f.repair is None),
                        "the damage SQLite stopped on" if not_run else None)
            if stop:
                # The later checks would only repeat the damage in other words, or fail on it.
                later = [name for _, later_names in _RUNS[position + 1:] for name in later_names]
                not_run.update(dict.fromkeys(later, f"{stop} must be put right first"))
                break
    finally:
        db.close()
    if not_run and not any(f.advice == SALVAGE_LATER for f in findings):
        findings.append(Finding("integrity", f"the file is damaged: {next(iter(not_run.values()))}", SALVAGE_LATER))
    return _worded(path, Diagnosis(findings, not_run))


def _worded(path: Path, diagnosis: Diagnosis) -> Diagnosis:
    """The salvage advice worded for this file, once the checks' connection is closed: a second
    connection, closed while the first is open, would drop the first one's locks on the file."""
    if not any(f.advice == SALVAGE_LATER for f in diagnosis.findings):
        return diagnosis
    advice = _salvage_advice(path)
    findings = [replace(f, advice=advice) if f.advice == SALVAGE_LATER else f for f in diagnosis.findings]
    return Diagnosis(findings, diagnosis.not_run)


def _skipped(reason: str) -> dict[str, str]:
    """Every check but the header's integrity check, not run for `reason`."""
    return {name: reason for name, _ in CHECKS if name != "integrity"}


def _salvage_advice(path: Path) -> str:
    """Restore from a backup, or salvage into a new file where anything can be salvaged."""
    if not can_salvage(path):
        return f"{BACKUP} (its list of tables is lost: nothing can be salvaged from it)"
    return SALVAGE.format(path=shlex.quote(str(path)), target=shlex.quote(str(salvage_target(path))))


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
    return [Finding("integrity", f"{damaged}: {'; '.join(lines[:3])}", SALVAGE_LATER)]


def _schema(db: sqlite3.Connection, path: Path) -> list[Finding]:
    present = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    missing = [table for table in TABLES if table not in present]
    if "meta" in missing:
        return [Finding("schema", "not an Accord project (no meta table)", WRONG_FILE)]
    if missing:
        return [Finding("schema", f"tables missing: {', '.join(missing)}", SALVAGE_LATER)]
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    if row is None:
        return [Finding("schema", "no schema version recorded in meta", SALVAGE_LATER)]
    version = parse_version(row[0])
    if version is None:
        return [Finding("schema", bad_version(row[0]), SALVAGE_LATER)]
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
            codes = ", ".join(row[0] for row in db.execute(
                "select distinct code_id from codings where code_id not in (select id from codes) order by 1"))
            findings.append(Finding(
                "unknown-codes", f"{plural(count, 'coding')} with codes the codebook does not have: {codes}",
                f"add those codes back to your codebook file, then run "
                f"`accord codebook update FILE --project {shlex.quote(str(path))}`"))
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
                "they can never be shown or exported; if their paragraphs' documents were lost, import "
                "those files again first (ids are stable: the rows find them again); the doctor can "
                "delete the rest", "drop-orphans"))
    return findings


def _values(db: sqlite3.Connection, path: Path) -> list[Finding]:
    # Accord never writes these; another program did, and exports and agreement cannot use them.
    found = forbidden_values(db)
    if not found:
        return []
    return [Finding("values", found.words(),
                    "another program wrote them, and they cannot be shown, exported or counted: the doctor "
                    "can clear them (the coders code those paragraphs again)", "clear-values")]


def _clear_values(db: sqlite3.Connection) -> str:
    return f"cleared {plural(clear_forbidden(db), 'value')} the codebook forbids"


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


def _places(db: sqlite3.Connection, path: Path) -> list[Finding]:
    # Another program's text or real in `position` or `seq` ended exports in a traceback.
    found = [row[0] for row in db.execute(
        f"select id from paragraphs where {MISPLACED} order by rowid")]
    if not found:
        return []
    shown = ", ".join(map(str, found[:5])) + (" ..." if len(found) > 5 else "")
    return [Finding("places", f"{plural(len(found), 'paragraph')} placed by something other than a whole "
                              f"number: {shown}",
                    "another program wrote them: re-import those documents with `accord import --replace`, "
                    "or restore the project from a backup")]


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


def _nul(db: sqlite3.Connection, path: Path) -> list[Finding]:
    # Stata and SPSS end a text at its first NUL while CSV keeps the rest; imports refuse NULs,
    # but a project made before, or edited with other tools, may hold them. Searched as bytes:
    # SQLite's text functions stop at a NUL.
    found = [row[0] for row in db.execute(
        "select id from paragraphs where instr(cast(text as blob), x'00') > 0 order by seq")]
    if not found:
        return []
    shown = ", ".join(found[:5]) + (" ..." if len(found) > 5 else "")
    verb = "holds" if len(found) == 1 else "hold"
    return [Finding("nul", f"{plural(len(found), 'paragraph')} {verb} a NUL byte: {shown}",
                    "exports to Stata and SPSS cut those texts at the NUL: remove the NUL bytes from the "
                    "original files and re-import them with `accord import --replace`")]


_RUNS: list[tuple[Callable[[sqlite3.Connection, Path], list[Finding]], tuple[str, ...]]] = [
    (_integrity, ("integrity",)),
    (_schema, ("schema",)),
    (_orphans, ("orphans", "unknown-codes")),
    (_values, ("values",)),
    (_text_hashes, ("text-hash",)),
    (_order, ("order",)),
    (_places, ("places",)),
    (_search_index, ("search-index",)),
    (_nul, ("nul",)),
]
"""Each check function and the CHECKS it answers for, in the order they run."""


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
    "clear-values": _clear_values,
    "renumber": _renumber,
    "rebuild-search": _rebuild_search,
}
"""Safe repairs in the order they run: rows pointing at no paragraph go before coders are
re-created, so that no coder comes back only for rows that are then deleted."""
