"""Handing a project out to a team: one project file per coder, with a shared reliability sample.

Every paragraph not yet assigned gets one coder; a reproducible sample of them (stratified by
document) gets every coder, so that agreement can be measured on it. With `per_unit` every
paragraph gets that many coders instead. The draw depends only on the seed and the paragraph
ids, so the same command on the same corpus gives the same handout on any machine.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from store.clock import now
from store.coding import CONSENSUS
from store.connection import SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_READONLY, transaction
from store.suggest.storage import SAMPLE_KEY, SUGGESTIONS_OFF
from store.errors import AccordError, StorageError
from store.teams.merge import MERGE_CACHE_KIB
from store.teams.merge_trust import HANDOUT_TOKEN

if TYPE_CHECKING:

    from store.project import Project

STRATA = ("document", "none")
"""How the reliability sample is drawn: share of each document, or share of the whole corpus."""

_NAME = re.compile(r"[\w.-]+")


@dataclass
class HandoutReport:
    """What a handout did."""

    files: dict[str, Path] = field(default_factory=dict)
    """Coder -> the project file written for them."""
    assigned: dict[str, int] = field(default_factory=dict)
    """Coder -> paragraphs assigned to them (this handout and earlier ones)."""
    new_paragraphs: int = 0
    """Paragraphs that had no coder before this handout."""
    sample: int = 0
    """Of those, paragraphs given to more than one coder (the reliability sample)."""


def rank(seed: int, paragraph_id: str) -> str:
    """The paragraph's place in the random order of `seed`: a hash, identical on every machine."""
    return hashlib.sha256(f"{seed}:{paragraph_id}".encode()).hexdigest()[:16]


def check_coders(coders: list[str]) -> list[str]:
    """Coder names usable in file names; `consensus` is reserved; no duplicates."""
    names = [name.strip() for name in coders if name.strip()]
    if not names:
        raise AccordError("name at least one coder, e.g. --coders alice,bob")
    for name in names:
        if name == CONSENSUS:
            raise AccordError(f"{CONSENSUS!r} is reserved for adjudicated values; choose another coder name")
        if not _NAME.fullmatch(name):
            raise AccordError(f"coder name {name!r} may contain only letters, digits, '.', '-' and '_'")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise AccordError(f"coder {duplicates[0]!r} is named twice")
    return names


def coder_file(project_path: Path, out_dir: Path, coder: str) -> Path:
    """Where the handout for `coder` is written: <out>/<project stem>-<coder>.db."""
    return out_dir / f"{project_path.stem}-{coder}.db"


def hand_out(
    project: Project,
    coders: list[str],
    out_dir: Path,
    overlap: float | None = None,
    per_unit: int | None = None,
    seed: int = 0,
    stratify: str = "document",
    on_file: Callable[[str], None] | None = None,
    suggestions: bool = True,
) -> HandoutReport:
    """Assign the unassigned paragraphs and write one project file per coder.

    Args:
        project: the lead's open Project; it records the assignments.
        coders: coder names; each gets `<out_dir>/<stem>-<name>.db`.
        overlap: share (0-1) of the new paragraphs that every coder codes.
        per_unit: instead of `overlap`, how many coders code each paragraph.
        seed: the random draw's seed; same seed, same handout.
        stratify: "document" draws the sample as the same share of every document.
        on_file: called with each coder's name once their file is written.
        suggestions: False turns the coding screen's model suggestions off in every file.

    Nothing is written unless every file can be: existing files are refused, and a failure
    removes the files written so far and leaves the project's assignments as they were.
    """
    coders = check_coders(coders)
    overlap, per_unit = _check_design(len(coders), overlap, per_unit)
    if stratify not in STRATA:
        raise AccordError(f"--stratify must be one of {', '.join(STRATA)}, not {stratify!r}")
    conn = project.db
    path = Path(project.path)
    targets = {coder: coder_file(path, out_dir, coder) for coder in coders}
    for target in targets.values():
        if target.exists():
            raise AccordError(f"{target} already exists; Accord will not overwrite it (move it away first)")
    out_dir.mkdir(parents=True, exist_ok=True)

    report = HandoutReport()
    conn.create_function("accord_rank", 2, rank, deterministic=True)
    # Statements run as written (the connection opens no implicit transaction): VACUUM INTO
    # and ATTACH need that. A larger page cache keeps the million-row plan's B-trees in memory.
    cache = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {MERGE_CACHE_KIB}")
    _plan(conn, coders, overlap, per_unit, seed, stratify)
    try:
        report.new_paragraphs, report.sample = conn.execute(
            "select count(*), coalesce(sum(n > 1), 0) from "
            "(select count(*) as n from temp.handout_plan group by paragraph_id)"
        ).fetchone()
        _write_files(conn, targets, on_file, suggestions)
    finally:
        conn.execute("drop table if exists temp.handout_plan")
        conn.execute(f"pragma cache_size = {cache}")
    report.files = targets
    report.assigned = {
        coder: conn.execute("select count(*) from assignments where coder_id = ?", [coder]).fetchone()[0]
        for coder in coders
    }
    return report


def _write_files(conn: sqlite3.Connection, targets: dict[str, Path], on_file: Callable[[str], None] | None,
                 suggestions: bool = True) -> None:
    """Build every coder's copy beside its target, record the plan, then rename them into place."""
    written: list[Path] = []
    tokens: dict[str, str] = {}
    try:
        for coder, target in targets.items():
            temporary = _temporary(target)
            temporary.unlink(missing_ok=True)
            written.append(temporary)
            try:
                tokens[coder] = _write_copy(conn, temporary, coder, suggestions)
            except StorageError as error:
                raise _unwritable(target, error) from error
            if on_file:
                on_file(coder)
        with transaction(conn):
            stamp = now()
            # Whose file it is, as the lead's project knows it: merge takes a coder's work only
            # from the file handed out to that coder (store/teams/merge_trust.py).
            conn.executemany("insert into meta (key, value) values (?, ?)",
                             [(f"{HANDOUT_TOKEN}:{token}", coder) for coder, token in tokens.items()])
            conn.executemany(
                "insert or ignore into coders (id, name, created_at) values (?, ?, ?)",
                [(coder, coder, stamp) for coder in targets],
            )
            conn.execute("insert or ignore into assignments (paragraph_id, coder_id) "
                         "select paragraph_id, coder_id from temp.handout_plan order by paragraph_id, coder_id")
        for target in targets.values():
            os.replace(_temporary(target), target)
    except BaseException:
        for temporary in written:
            temporary.unlink(missing_ok=True)
        raise


def _unwritable(target: Path, error: StorageError) -> StorageError:
    """A failure while building a coder's copy, named by that file: the project's connection
    wrote it, so its own message would blame the project, which only was read."""
    cause = error.__cause__ or error
    code = getattr(cause, "sqlite_errorcode", 0) & 0xFF
    if code == SQLITE_FULL:
        what = f"the disk holding {target.parent} is full"
    elif code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        what = f"the folder {target.parent} is read-only"
    else:
        what = f"the disk reported an error ({cause}; a full disk or a file-size limit?)"
    return StorageError(f"cannot write the coder's file {target}: {what}. Nothing was handed out; "
                        "the project is unchanged")


def _temporary(target: Path) -> Path:
    """Where a coder's file is built before it is renamed into place (never half-written)."""
    return target.with_name(f".{target.name}.tmp")


def _check_design(coders: int, overlap: float | None, per_unit: int | None) -> tuple[float, int]:
    if per_unit is not None and overlap is not None:
        raise AccordError("give either --overlap (a shared sample) or --per-unit (coders per paragraph), not both")
    if per_unit is not None:
        if not 1 <= per_unit <= coders:
            raise AccordError(f"--per-unit must be between 1 and the number of coders ({coders}), not {per_unit}")
        return 0.0, per_unit
    overlap = 0.0 if overlap is None else overlap
    if not 0.0 <= overlap <= 1.0:
        raise AccordError(f"--overlap is a share between 0 and 1 (0.2 = 20%), not {overlap}")
    if overlap > 0 and coders < 2:
        raise AccordError("a reliability sample needs at least two coders")
    return overlap, 1


def _plan(conn: sqlite3.Connection, coders: list[str], overlap: float, per_unit: int, seed: int,
          stratify: str) -> None:
    """Fill temp.handout_plan(paragraph_id, coder_id) for every paragraph without a coder yet."""
    conn.execute("drop table if exists temp.handout_plan")
    conn.execute("create temp table handout_plan (paragraph_id text, coder_id text, primary key (paragraph_id, coder_id))")
    conn.execute("drop table if exists temp.handout_coders")
    conn.execute("create temp table handout_coders (idx integer primary key, coder_id text)")
    conn.executemany("insert into temp.handout_coders values (?, ?)", list(enumerate(coders)))
    conn.execute("drop table if exists temp.handout_units")
    # Each open paragraph with its random rank; `shared` marks the reliability sample.
    conn.execute(
        """create temp table handout_units as
           select p.id as paragraph_id, p.document_id, accord_rank(?, p.id) as r, 0 as shared
           from paragraphs p where not exists (select 1 from assignments a where a.paragraph_id = p.id)""",
        [seed],
    )
    if overlap > 0:
        _mark_sample(conn, overlap, seed, stratify)
    n = len(coders)
    # The sample goes to everyone; the rest round-robin in random order, so that every coder
    # gets the same number (±1) and no coder's share is tied to a part of the corpus.
    conn.execute("insert into temp.handout_plan select u.paragraph_id, c.coder_id "
                 "from temp.handout_units u, temp.handout_coders c where u.shared")
    conn.execute(
        """with ordered as (
               select paragraph_id, row_number() over (order by r, paragraph_id) - 1 as k
               from temp.handout_units where not shared)
           insert into temp.handout_plan
           select o.paragraph_id, c.coder_id from ordered o
           join temp.handout_coders c on c.idx in (
               select (o.k + j.value) % ? from json_each(?) j)""",
        [n, "[" + ",".join(str(j) for j in range(per_unit)) + "]"],
    )
    conn.execute("drop table temp.handout_units")
    conn.execute("drop table temp.handout_coders")


def _mark_sample(conn: sqlite3.Connection, overlap: float, seed: int, stratify: str) -> None:
    """Mark round(overlap × open paragraphs) paragraphs as shared, in proportion to each document."""
    total = conn.execute("select count(*) from temp.handout_units").fetchone()[0]
    wanted = round(overlap * total)
    if stratify == "none":
        conn.execute(
            """update temp.handout_units set shared = 1 where paragraph_id in (
                   select paragraph_id from temp.handout_units order by r, paragraph_id limit ?)""",
            [wanted],
        )
        return
    sizes = conn.execute("select document_id, count(*) from temp.handout_units group by document_id").fetchall()
    # Largest remainder: each document gets floor(share × size); the paragraphs still wanted go to
    # the documents with the largest fractions (ties in a random order of the seed).
    quotas = {document: math.floor(overlap * size) for document, size in sizes}
    short = wanted - sum(quotas.values())
    by_fraction = sorted(sizes, key=lambda ds: (-(overlap * ds[1] - quotas[ds[0]]), rank(seed, ds[0])))
    for document, _ in by_fraction[:short]:
        quotas[document] += 1
    conn.execute("drop table if exists temp.handout_quotas")
    conn.execute("create temp table handout_quotas (document_id text primary key, quota integer)")
    conn.executemany("insert into temp.handout_quotas values (?, ?)", quotas.items())
    conn.execute(
        """with ranked as (
               select paragraph_id, document_id,
                      row_number() over (partition by document_id order by r, paragraph_id) as k
               from temp.handout_units)
           update temp.handout_units set shared = 1 where paragraph_id in (
               select ranked.paragraph_id from ranked join temp.handout_quotas q using (document_id)
               where ranked.k <= q.quota)"""
    )
    conn.execute("drop table temp.handout_quotas")


def _write_copy(conn: sqlite3.Connection, target: Path, coder: str, suggestions: bool = True) -> str:
    """Copy the project to `target` and keep only `coder`'s work and assignments in it; return
    the file's handout token (a random secret the lead's project records beside the coder).

    VACUUM INTO copies the whole file at SQLite's speed; other coders' rows are then deleted
    with secure_delete on, so that their codings cannot be read back from free pages either.
    """
    token = secrets.token_hex(16)
    conn.execute("vacuum main into ?", [str(target)])
    conn.execute("attach database ? as handout", [str(target)])
    try:
        conn.execute("pragma handout.secure_delete = on")
        conn.execute("begin")
        try:
            for table in ("codings", "paragraph_status", "events"):
                conn.execute(f"delete from handout.{table} where coder_id != ?", [coder])
            conn.execute("delete from handout.assignments where coder_id != ?", [coder])
            conn.execute("update handout.coders set last_paragraph_id = null where id != ?", [coder])
            conn.execute("delete from handout.coders where id != ?", [coder])
            conn.execute("insert or ignore into handout.coders (id, name, created_at) values (?, ?, ?)",
                         [coder, coder, now()])
            conn.execute("insert or ignore into handout.assignments (paragraph_id, coder_id) "
                         "select paragraph_id, coder_id from temp.handout_plan where coder_id = ? "
                         "order by paragraph_id", [coder])
            conn.execute("insert into handout.meta (key, value) values ('handout_coder', ?) "
                         "on conflict (key) do update set value = excluded.value", [coder])
            conn.execute(f"delete from handout.meta where key like '{HANDOUT_TOKEN}%'")
            _write_suggestion_settings(conn, coder, suggestions)
            conn.execute(f"insert into handout.meta (key, value) values ('{HANDOUT_TOKEN}', ?)", [token])
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    finally:
        conn.execute("detach database handout")
    return token


@dataclass(frozen=True)
class SampleProgress:
    """The reliability sample: paragraphs assigned to two or more coders."""

    paragraphs: int
    done_by_all: int
    """Of those, paragraphs that every coder assigned to them has marked done."""


def _write_suggestion_settings(conn: sqlite3.Connection, coder: str, suggestions: bool) -> None:
    """The coder's file cannot see who else codes a paragraph, so it is told which of its
    paragraphs are in the reliability sample (no model suggestion is shown there: it would bias
    the agreement measured), and whether the lead turned suggestions off."""
    conn.execute(
        f"""insert into handout.meta (key, value) values ('{SAMPLE_KEY}', (
                select json_group_array(paragraph_id) from (
                    select paragraph_id from (select paragraph_id, coder_id from main.assignments
                                              union select paragraph_id, coder_id from temp.handout_plan)
                    group by paragraph_id having count(*) > 1 and sum(coder_id = ?) > 0 order by paragraph_id)))
            on conflict (key) do update set value = excluded.value""", [coder])
    conn.execute(f"insert into handout.meta (key, value) values ('{SUGGESTIONS_OFF}', ?) "
                 "on conflict (key) do update set value = excluded.value", ["0" if suggestions else "1"])


def sample_progress(project: Project) -> SampleProgress:
    """How much of the reliability sample every one of its coders has done."""
    row = project.db.execute(
        """select count(*), coalesce(sum(done = coders), 0) from (
               select a.paragraph_id, count(*) as coders, sum(s.status is 'done') as done
               from assignments a left join paragraph_status s
                 on s.paragraph_id = a.paragraph_id and s.coder_id = a.coder_id
               group by a.paragraph_id having count(*) >= 2)"""
    ).fetchone()
    return SampleProgress(int(row[0]), int(row[1]))


def handout_coder(path: Path) -> str | None:
    """The coder a handed-out project file was written for, or None (not a handout, or not
    readable: opening the project will say why)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            row = conn.execute("select value from meta where key = 'handout_coder'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None
