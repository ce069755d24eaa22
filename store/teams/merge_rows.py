"""The row-level rules of merging, as set-based SQL over an ATTACHed coder file (`s`).

A coding keeps its most recent value (ties: the id of the event that wrote it, then the value);
a status, flag or note keeps the value of its most recent event in the union of both logs, so a
note written on one machine survives a status set later on another. A value that both machines
changed without seeing the other's change is reported as a conflict.
"""

from __future__ import annotations

import sqlite3

from store import events as writes
from store.events import STATUS_FIELDS
from store.teams.merge_report import Conflict, FileReport


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


def merge_codings(conn: sqlite3.Connection, s: str, report: FileReport) -> None:
    if not conn.execute(f"""select exists (select 1 from main.codings where coder_id in (
                               select coder_id from {s}.codings))""").fetchone()[0]:
        # None of the file's coders has a coding here yet (their first merge): every row is
        # new, nothing to settle, no need to look each one up (0.8 s for 2 million codings).
        report.added["codings"] = writes.merge_new_codings(conn, s)
        return
    conn.execute("drop table if exists temp.merge_codings")
    # Rows both sides have whose value or time differ, with who wins. (The CROSS JOIN keeps the
    # file's rows as the outer loop: one lookup in this project's key per row of the file.)
    conn.execute(
        f"""create temp table merge_codings as
            select o.paragraph_id, o.coder_id, o.code_id, o.value, o.updated_at,
                   m.value as old_value, m.updated_at as old_at,
                   case when o.updated_at != m.updated_at then o.updated_at > m.updated_at
                        when o.value is m.value then 0
                        else ({_event_id(s, 'o')}, {_value_key('o')}) > ({_event_id('main', 'm')}, {_value_key('m')})
                   end as theirs
            from {s}.codings o cross join main.codings m
              on m.paragraph_id = o.paragraph_id and m.coder_id = o.coder_id and m.code_id = o.code_id
            where o.updated_at != m.updated_at or o.value is not m.value"""
    )
    report.changed = conn.execute(
        "select coalesce(sum(theirs and value is not old_value), 0) from temp.merge_codings"
    ).fetchone()[0]
    conflicts = conn.execute(
        f"""select paragraph_id, coder_id, code_id,
                   case when theirs then value else old_value end, case when theirs then old_value else value end
            from temp.merge_codings d
            where value is not old_value
              and not {_known(s, 'd', 'old_at')} and not {_known('main', 'd', 'updated_at')}
            order by paragraph_id, coder_id, code_id"""
    ).fetchall()
    report.conflicts.extend(Conflict(*row) for row in conflicts)
    # Rows new here go in straight from the file, not through a temporary table (staging them
    # cost 2 s at 2 million codings); rows we have are ignored here and settled below. (The
    # file's NOT NULL columns were checked with its pages, so IGNORE skips only those.)
    report.added["codings"] = writes.merge_new_codings(conn, s)
    writes.merge_newer_codings(conn, "temp.merge_codings")
    conn.execute("drop table temp.merge_codings")




def stage_statuses(conn: sqlite3.Connection, s: str, report: FileReport) -> None:
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
    report.added["paragraph_status"] = writes.merge_new_statuses(conn, "temp.merge_status")
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


def resolve_statuses(conn: sqlite3.Connection, report: FileReport) -> None:
    """Settle the status rows both sides have, field by field."""
    if not conn.execute("select exists (select 1 from temp.merge_status where not is_new)").fetchone()[0]:
        # Nothing to settle: skip reading this project's whole log (1 s at 2 million events).
        for table in ("merge_status", "merge_diverged"):
            conn.execute(f"drop table temp.{table}")
        return
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
    writes.merge_settled_statuses(conn, "temp.merge_resolved")
    for table in ("merge_status", "merge_diverged", "merge_latest", "merge_fields", "merge_resolved"):
        conn.execute(f"drop table temp.{table}")
