"""Merging coders' project files into the current project.

The rules make merging safe to repeat and to do in any order (idempotent, commutative,
associative): a (paragraph, coder, code) keeps its most recent value, ties broken by the id of
the event that wrote it and then by the value itself; a status, flag or note keeps the value of
its most recent event; events are unioned by id; nothing is ever deleted.

Every file is checked before anything is written, and each run is one transaction. The work is
set-based SQL over the ATTACHed file, so it scales with SQLite, not with Python loops.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import ProjectError, StorageError

if TYPE_CHECKING:
    from sqlite_utils import Database

    from store.project import Project

MERGE_CACHE_KIB = -262_144
"""Page cache while merging, in KiB (negative: SQLite's convention for a size, not pages)."""

SHOWN = 5
"""How many examples a refusal or a conflict list names."""


@dataclass(frozen=True)
class Conflict:
    """One coder's value that diverged on two machines: neither file knew the other's change."""

    paragraph_id: str
    coder_id: str
    field: str
    """The code id, or `status` / `flagged` / `note`."""
    kept: object
    lost: object


@dataclass
class FileReport:
    """What merging one file did (or would do, in a dry run)."""

    path: Path
    coders: list[str] = field(default_factory=list)
    """Coders whose work the file holds."""
    added: dict[str, int] = field(default_factory=dict)
    """Table -> rows added (codings, paragraph_status, events, assignments, coders)."""
    changed: int = 0
    """Values that changed: codings, statuses, flags and notes."""
    conflicts: list[Conflict] = field(default_factory=list)
    handed_to: str | None = None
    """The coder the file was handed out to (`accord handout`), None for other files."""

    @property
    def rows_added(self) -> int:
        return sum(self.added.values())

    @property
    def strangers(self) -> list[str]:
        """Coders with work in a handed-out file who are not its coder: usually a coder who
        coded under another name (their login name instead of --coder)."""
        return [coder for coder in self.coders if self.handed_to and coder != self.handed_to]


@dataclass
class MergeReport:
    """The report of `accord merge`."""

    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def coders(self) -> list[str]:
        return sorted({coder for report in self.files for coder in report.coders})

    @property
    def rows_added(self) -> int:
        return sum(report.rows_added for report in self.files)

    @property
    def changed(self) -> int:
        return sum(report.changed for report in self.files)

    @property
    def conflicts(self) -> list[Conflict]:
        return [conflict for report in self.files for conflict in report.conflicts]


def merge_files(project: Project, paths: list[Path], dry_run: bool = False,
                on_file: Callable[[Path], None] | None = None) -> MergeReport:
    """Merge coder files into `project` (an open Project).

    Args:
        project: the lead's open Project, the one that receives the work.
        paths: the coders' project files.
        dry_run: compute the report, then roll everything back.
        on_file: called with each path once it is merged (for a progress bar).

    Raises ProjectError, naming the file and what differs, before anything is written, when a
    file is not an Accord project, is damaged, belongs to another project, has a paragraph whose
    text differs from this project's, or uses codes this project's codebook lacks.
    """
    from store.project import Project

    db = project.db
    conn: sqlite3.Connection = db.conn
    own = Path(project.path).resolve()
    unique: list[Path] = []
    for path in paths:
        if Path(path).resolve() == own:
            raise ProjectError(f"{path} is the current project itself; merge other coders' files into it")
        if Path(path).resolve() not in {p.resolve() for p in unique}:
            unique.append(Path(path))
    for path in unique:
        Project.open(path).close()  # not SQLite, not Accord, newer, or unreadable: refused here
    report = MergeReport(dry_run=dry_run)
    # A larger page cache while merging: B-tree inserts of millions of rows stay in memory.
    cache = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {MERGE_CACHE_KIB}")
    try:
        _merge_all(conn, db, unique, project.project_id, report, dry_run, on_file)
    finally:
        conn.execute(f"pragma cache_size = {cache}")
    return report


def _merge_all(conn: sqlite3.Connection, db: Database, unique: list[Path], project_id: str,
               report: MergeReport, dry_run: bool, on_file: Callable[[Path], None] | None) -> None:
    with db.ensure_autocommit_on():
        for path in unique:
            with _attached(conn, [path]) as aliases:
                _check(conn, aliases[0], path, project_id)
        # SQLite attaches at most 10 files at once; more are merged ten at a time.
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
        for start in range(0, len(unique), limit):
            batch = unique[start:start + limit]
            with _attached(conn, batch) as aliases:
                conn.execute("begin immediate")
                try:
                    for alias, path in zip(aliases, batch):
                        report.files.append(_merge_one(conn, alias, path))
                        if on_file:
                            on_file(path)
                except (sqlite3.DatabaseError, StorageError) as error:
                    conn.execute("rollback")
                    raise _unreadable(batch, error) from error
                except BaseException:
                    conn.execute("rollback")
                    raise
                conn.execute("rollback" if dry_run else "commit")


class _attached:
    """ATTACH files as src0, src1, ... for the length of a with-block."""

    def __init__(self, conn: sqlite3.Connection, paths: list[Path]) -> None:
        self.conn = conn
        self.aliases = [f"src{i}" for i in range(len(paths))]
        self.paths = paths

    def __enter__(self) -> list[str]:
        done: list[str] = []
        try:
            for alias, path in zip(self.aliases, self.paths):
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


def _check(conn: sqlite3.Connection, s: str, path: Path, project_id: str) -> None:
    """Refuse a file that cannot be merged, naming what differs; read-only."""
    try:
        row = conn.execute(f"select value from {s}.meta where key = 'project_id'").fetchone()
        if row is None or row[0] != project_id:
            raise ProjectError(
                f"{path} belongs to another project (project id {row[0] if row else 'missing'}; "
                f"this project is {project_id}); only copies handed out from this project can be merged"
            )
        differing = conn.execute(
            f"""select o.id from {s}.paragraphs o join main.paragraphs m on m.id = o.id
                where m.sha256 != o.sha256 order by o.seq limit {SHOWN + 1}"""
        ).fetchall()
        if differing:
            raise ProjectError(
                f"{path}: the text of paragraph {_listing(differing)} differs from this project's; "
                "the file was made from another version of the corpus"
            )
        missing = conn.execute(
            f"""select o.id from {s}.paragraphs o where not exists (
                    select 1 from main.paragraphs m where m.id = o.id) order by o.seq limit {SHOWN + 1}"""
        ).fetchall()
        if missing:
            raise ProjectError(
                f"{path} has paragraph {_listing(missing)} that this project lacks; "
                "import the same documents here first"
            )
        unknown = conn.execute(
            f"""select distinct o.code_id from {s}.codings o where not exists (
                    select 1 from main.codes c where c.id = o.code_id) order by 1 limit {SHOWN + 1}"""
        ).fetchall()
        if unknown:
            raise ProjectError(
                f"{path} uses code {_listing(unknown)} that this project's codebook lacks; "
                "apply that codebook here first (accord codebook update FILE)"
            )
    except (sqlite3.DatabaseError, StorageError) as error:
        raise _unreadable([path], error) from error


def _unreadable(paths: list[Path], error: Exception) -> ProjectError:
    """A read failure while merging, named by the files merged (the connection's own error
    would name the project), with the nothing-changed promise."""
    cause = error.__cause__ if isinstance(error, StorageError) and error.__cause__ else error
    names = ", ".join(str(path) for path in paths)
    return ProjectError(f"cannot read {names} ({cause}); it may be damaged: check it with "
                        f"`accord --project FILE doctor`. Nothing was merged")


def _listing(rows: list[tuple[object, ...]]) -> str:
    names = [str(row[0]) for row in rows[:SHOWN]]
    more = " and more" if len(rows) > SHOWN else ""
    return ", ".join(names) + more


def _merge_one(conn: sqlite3.Connection, s: str, path: Path) -> FileReport:
    """Merge the attached file `s` into main (inside the caller's transaction)."""
    report = FileReport(path)
    handed = conn.execute(f"select value from {s}.meta where key = 'handout_coder'").fetchone()
    report.handed_to = handed[0] if handed else None
    report.coders = [row[0] for row in conn.execute(
        f"""select coder_id from {s}.codings union select coder_id from {s}.paragraph_status
            union select coder_id from {s}.events order by 1""")]
    added = report.added
    added["coders"] = conn.execute(
        f"insert or ignore into main.coders (id, name, created_at) select id, name, created_at from {s}.coders"
    ).rowcount
    conn.execute(f"insert or ignore into main.codebooks (sha256, yaml, loaded_at) "
                 f"select sha256, yaml, loaded_at from {s}.codebooks")
    _merge_codings(conn, s, report)
    _stage_statuses(conn, s, report)
    # Events after codings and staging (ties and conflicts look at each side's own log), before
    # statuses are resolved (which reads the union of both logs).
    added["events"] = conn.execute(
        f"""insert or ignore into main.events (id, at, coder_id, paragraph_id, code_id, action, value, previous, undoes)
            select id, at, coder_id, paragraph_id, code_id, action, value, previous, undoes
            from {s}.events order by at, id"""
    ).rowcount
    _resolve_statuses(conn, report)
    added["assignments"] = conn.execute(
        f"insert or ignore into main.assignments (paragraph_id, coder_id) select paragraph_id, coder_id from {s}.assignments"
    ).rowcount
    return report


def _event_id(schema: str, side: str) -> str:
    """SQL for the id of the event in `schema` that wrote the coding row `side` ('' if none)."""
    return (f"""coalesce((select max(e.id) from {schema}.events e where e.coder_id = {side}.coder_id
                 and e.at = {side}.updated_at and e.paragraph_id = {side}.paragraph_id
                 and e.code_id = {side}.code_id and e.value is {side}.value), '')""")


def _known(schema: str, side: str, at: str, field: str = "code_id = {side}.code_id") -> str:
    """SQL: `schema`'s log has the event written at `side`.`at` (the other machine saw it)."""
    return (f"""exists (select 1 from {schema}.events e where e.coder_id = {side}.coder_id
                and e.at = {side}.{at} and e.paragraph_id = {side}.paragraph_id
                and e.{field.format(side=side)})""")


def _value_key(side: str) -> str:
    """A never-NULL sort key for a value: type first, so 1 and '1' never tie."""
    return f"coalesce(typeof({side}.value) || ':' || {side}.value, '')"


def _merge_codings(conn: sqlite3.Connection, s: str, report: FileReport) -> None:
    conn.execute("drop table if exists temp.merge_codings")
    # Rows of the file that are new here or differ from ours, with who wins.
    conn.execute(
        f"""create temp table merge_codings as
            select o.paragraph_id, o.coder_id, o.code_id, o.value, o.updated_at,
                   m.updated_at is null as is_new, m.value as old_value, m.updated_at as old_at,
                   case when m.updated_at is null then 1
                        when o.updated_at != m.updated_at then o.updated_at > m.updated_at
                        when o.value is m.value then 0
                        else ({_event_id(s, 'o')}, {_value_key('o')}) > ({_event_id('main', 'm')}, {_value_key('m')})
                   end as theirs
            from {s}.codings o left join main.codings m
              on m.paragraph_id = o.paragraph_id and m.coder_id = o.coder_id and m.code_id = o.code_id
            where m.updated_at is null or o.updated_at != m.updated_at or o.value is not m.value"""
    )
    report.added["codings"], report.changed = conn.execute(
        "select coalesce(sum(is_new), 0), coalesce(sum(theirs and not is_new and value is not old_value), 0) "
        "from temp.merge_codings"
    ).fetchone()
    conflicts = conn.execute(
        f"""select paragraph_id, coder_id, code_id,
                   case when theirs then value else old_value end, case when theirs then old_value else value end
            from temp.merge_codings d
            where not is_new and value is not old_value
              and not {_known(s, 'd', 'old_at')} and not {_known('main', 'd', 'updated_at')}
            order by paragraph_id, coder_id, code_id"""
    ).fetchall()
    report.conflicts.extend(Conflict(*row) for row in conflicts)
    conn.execute(
        """insert into main.codings (paragraph_id, coder_id, code_id, value, updated_at)
           select paragraph_id, coder_id, code_id, value, updated_at from temp.merge_codings where theirs
           order by paragraph_id, coder_id, code_id
           on conflict (paragraph_id, coder_id, code_id)
           do update set value = excluded.value, updated_at = excluded.updated_at"""
    )
    conn.execute("drop table temp.merge_codings")


STATUS_FIELDS = {"status": "status", "flagged": "flag", "note": "note"}
"""Column of paragraph_status -> the event action that writes it."""


def _stage_statuses(conn: sqlite3.Connection, s: str, report: FileReport) -> None:
    """Insert the file's new status rows; keep the differing ones in temp.merge_status."""
    conn.execute("drop table if exists temp.merge_status")
    conn.execute(
        f"""create temp table merge_status as
            select o.paragraph_id, o.coder_id, o.status, o.flagged, o.note, o.updated_at,
                   m.updated_at is null as is_new,
                   m.status as old_status, m.flagged as old_flagged, m.note as old_note, m.updated_at as old_at,
                   (o.updated_at, coalesce(o.status, ''), o.flagged, coalesce(o.note, ''))
                     > (coalesce(m.updated_at, ''), coalesce(m.status, ''), coalesce(m.flagged, 0), coalesce(m.note, ''))
                     as theirs
            from {s}.paragraph_status o left join main.paragraph_status m
              on m.paragraph_id = o.paragraph_id and m.coder_id = o.coder_id
            where m.updated_at is null or o.updated_at is not m.updated_at or o.status is not m.status
               or o.flagged is not m.flagged or o.note is not m.note"""
    )
    conn.execute("create unique index temp.merge_status_key on merge_status (paragraph_id, coder_id)")
    report.added["paragraph_status"] = conn.execute(
        """insert into main.paragraph_status (paragraph_id, coder_id, status, flagged, note, updated_at)
           select paragraph_id, coder_id, status, flagged, note, updated_at from temp.merge_status where is_new
           order by paragraph_id, coder_id"""
    ).rowcount
    # Fields that both machines changed without seeing the other's change: conflicts, reported
    # once resolved. Looked up only for rows whose last writes are unknown to the other side.
    conn.execute("drop table if exists temp.merge_diverged")
    conn.execute(
        f"""create temp table merge_diverged as
            select paragraph_id, coder_id, field from temp.merge_status d,
                   (select 'status' as field union all select 'flag' union all select 'note')
            where not is_new and not {_known(s, 'd', 'old_at', "code_id is null")}
              and not {_known('main', 'd', 'updated_at', "code_id is null")}
              and {_unseen_field_event('main', s)} and {_unseen_field_event(s, 'main')}"""
    )


def _unseen_field_event(schema: str, other: str) -> str:
    """SQL: `schema` has an event writing field `field` of row d that `other` lacks."""
    return f"""exists (select 1 from {schema}.events e left join {schema}.events t on t.id = e.undoes
                       where e.coder_id = d.coder_id and e.paragraph_id = d.paragraph_id and e.code_id is null
                         and coalesce(t.action, e.action) = field
                         and not exists (select 1 from {other}.events x where x.id = e.id))"""


def _resolve_statuses(conn: sqlite3.Connection, report: FileReport) -> None:
    """Settle the status rows both sides have, field by field."""
    # Rows both sides have: each field takes the value of its latest event in the union of the
    # two logs (a note written on one machine survives a status set later on the other); a
    # field no event wrote takes the value of the more recent row.
    conn.execute("drop table if exists temp.merge_latest")
    conn.execute(
        """create temp table merge_latest as
           select paragraph_id, coder_id, field, value from (
               select e.paragraph_id, e.coder_id, coalesce(t.action, e.action) as field, e.value,
                      row_number() over (partition by e.paragraph_id, e.coder_id, coalesce(t.action, e.action)
                                         order by e.at desc, e.id desc) as k
               from main.events e cross join temp.merge_status d
                    left join main.events t on e.action = 'undo' and t.id = e.undoes
               where d.paragraph_id = e.paragraph_id and d.coder_id = e.coder_id and not d.is_new
                 and e.code_id is null and e.action in ('status', 'flag', 'note', 'undo'))
           where k = 1 and field in ('status', 'flag', 'note')"""
    )
    conn.execute("create unique index temp.merge_latest_key on merge_latest (paragraph_id, coder_id, field)")
    columns = []
    for column, action in STATUS_FIELDS.items():
        columns.append(
            f"""coalesce((select 1 from temp.merge_latest l where l.paragraph_id = d.paragraph_id
                          and l.coder_id = d.coder_id and l.field = '{action}'), 0) as has_{column},
                (select l.value from temp.merge_latest l where l.paragraph_id = d.paragraph_id
                 and l.coder_id = d.coder_id and l.field = '{action}') as event_{column}"""
        )
    conn.execute("drop table if exists temp.merge_fields")
    conn.execute(
        f"""create temp table merge_fields as
            select d.*, {', '.join(columns)} from temp.merge_status d where not d.is_new"""
    )
    resolved = ", ".join(
        f"""case when has_{c} then event_{c} when theirs then {c} else old_{c} end as new_{c}"""
        for c in STATUS_FIELDS
    )
    conn.execute("drop table if exists temp.merge_resolved")
    conn.execute(
        f"""create temp table merge_resolved as
            select paragraph_id, coder_id, old_status, old_flagged, old_note, status, flagged, note,
                   theirs, updated_at, old_at, {resolved}, max(updated_at, old_at) as new_at
            from temp.merge_fields"""
    )
    conn.execute("update temp.merge_resolved set new_flagged = coalesce(new_flagged, 0)")
    report.changed += conn.execute(
        """select coalesce(sum((new_status is not old_status) + (new_flagged is not old_flagged)
                               + (new_note is not old_note)), 0) from temp.merge_resolved"""
    ).fetchone()[0]
    for column in STATUS_FIELDS:
        lost = f"case when new_{column} is {column} then old_{column} else {column} end"
        rows = conn.execute(
            f"""select paragraph_id, coder_id, '{column}', new_{column}, {lost} from temp.merge_resolved r
                where {column} is not old_{column} and exists (select 1 from temp.merge_diverged v
                      where v.paragraph_id = r.paragraph_id and v.coder_id = r.coder_id
                        and v.field = '{STATUS_FIELDS[column]}')
                order by paragraph_id, coder_id"""
        ).fetchall()
        report.conflicts.extend(Conflict(*row) for row in rows)
    conn.execute(
        """update main.paragraph_status as m
           set status = r.new_status, flagged = r.new_flagged, note = r.new_note, updated_at = r.new_at
           from temp.merge_resolved r where m.paragraph_id = r.paragraph_id and m.coder_id = r.coder_id"""
    )
    for table in ("merge_status", "merge_diverged", "merge_latest", "merge_fields", "merge_resolved"):
        conn.execute(f"drop table temp.{table}")
