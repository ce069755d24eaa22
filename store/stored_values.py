"""The one rule for stored values, by the codebook: what a coding or status may hold.

A code is 1 (applied) or 0 (not applied), or NULL (cleared by an undo); a variable is one of its
levels' values as text, or NULL; a status is done, flagged or skipped, or NULL; nothing is a
BLOB. The same rule `set_coding`/`set_status` (store/coding.py) and import-codings
(store/import_codings.py) apply to what comes in one value at a time, written as set-based SQL
over a whole file: merge refuses a coder's file holding anything else (store/teams/merge_trust.py)
and the doctor finds it in a project (store/doctor.py). Read-only, except `clear_forbidden`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from store.coding import STATUSES
from store.errors import ProjectError
from store.words import plural

SHOWN = 5
"""How many forbidden values a message names."""

VALUE_READ = "iif(typeof({0}) = 'real', cast({0} as blob), {0})"
"""SQL: the stored value {0} as a dataset reads it, a real as bytes like a BLOB: Python and
pandas take 1.0 for the 1 it equals, so a value no Accord writes would be counted as that 1, or
decide how every 1 beside it is read, instead of being refused (exports/coded.py)."""

def is_written(is_code: bool, value: object, levels: Collection[object]) -> bool:
    """A value as Accord writes it, by the rule above for one value read in Python: a code's
    integer 0 or 1 (not 1.0, not '1'), a variable's level as text."""
    return type(value) is int and value in (0, 1) if is_code else type(value) is str and value in levels


def unwritten_value(paragraph: str, coder: str, what: str, use: str) -> ProjectError:
    """The refusal of a dataset or statistic (`use`) to read a value no Accord writes: read as
    what it resembles (a 1.0, a '1', a level the codebook lacks), it would publish a number
    nobody coded."""
    return ProjectError(f"the project holds values no Accord writes (another program's?), the first at {paragraph} "
                        f"by {coder} ({what}); {use} cannot count them, so nothing was written. "
                        "`accord doctor` shows them and can clear them.")


RULE = f"codes are 1 or 0, variables one of their levels, statuses {', '.join(STATUSES[:-1])} or {STATUSES[-1]}"


def _bad_value(v: str, kind: str, code_id: str, codebook: str, levels: bool = True) -> str:
    """SQL: the value `v` of the code `code_id` (of kind `kind`) is one the codebook forbids;
    not `levels`: a variable's value need only be text (a level may have left the codebook
    since an event wrote it: `codebook update` keeps only the levels codings use)."""
    level = (f"exists (select 1 from {codebook}.code_levels l where l.code_id = {code_id} and l.value = {v})"
             if levels else "1")
    return f"""({v} is not null and (typeof({v}) = 'blob'
        or ({kind} = 'code' and not (typeof({v}) = 'integer' and {v} in (0, 1)))
        or ({kind} != 'code' and not (typeof({v}) = 'text' and {level}))))"""


def _bad_status(v: str) -> str:
    """SQL: the status `v` is one no Accord writes."""
    return f"({v} is not null and not (typeof({v}) = 'text' and {v} in (select value from json_each(:statuses))))"


def _shown(v: str) -> str:
    """SQL: the value `v` in words: 5, 'maybe', a BLOB."""
    return (f"case when {v} is null then 'none' when typeof({v}) = 'blob' then 'a BLOB' "
            f"when typeof({v}) = 'text' then quote({v}) else cast({v} as text) end")


def _forbidden_sql(s: str, codebook: str) -> str:
    """SQL of (rowid, table, paragraph, coder, what is wrong) for every forbidden value in schema
    `s`, judged by the codebook in schema `codebook`: the codings and statuses, and the events
    that wrote them (an undo writes an event's previous value back). Codings of codes the
    codebook lacks are another check's (unknown codes): they are left out here."""
    bad_event_value = (f"(e.action = 'code' and ({_bad_value('e.value', 'c.kind', 'e.code_id', codebook, False)} "
                       f"or {_bad_value('e.previous', 'c.kind', 'e.code_id', codebook, False)}))")
    return f"""
        select o.rowid, 'codings', o.paragraph_id, o.coder_id, o.code_id || ' = ' || {_shown('o.value')}
        from {s}.codings o join {codebook}.codes c on c.id = o.code_id
        where {_bad_value('o.value', 'c.kind', 'o.code_id', codebook)}
        union all
        select o.rowid, 'paragraph_status', o.paragraph_id, o.coder_id, 'status ' || {_shown('o.status')}
        from {s}.paragraph_status o where {_bad_status('o.status')}
        union all
        select e.rowid, 'events', e.paragraph_id, e.coder_id, 'an event of ' || case when e.action = 'code'
               then e.code_id || ' = ' || {_shown('e.value')} || ' (before: ' || {_shown('e.previous')} || ')'
               else 'status ' || {_shown('e.value')} || ' (before: ' || {_shown('e.previous')} || ')' end
        from {s}.events e left join {codebook}.codes c on c.id = e.code_id
        where (c.id is not null and {bad_event_value})
           or (e.action = 'status' and ({_bad_status('e.value')} or {_bad_status('e.previous')}))"""


@dataclass(frozen=True)
class Forbidden:
    """The forbidden values of a file: how many, and the first few in words."""

    count: int
    shown: list[str]

    def __bool__(self) -> bool:
        return self.count > 0

    def words(self) -> str:
        """'3 values the codebook forbids (doc1:1 by ann: border_control = 5; ...)'."""
        more = "; ..." if self.count > len(self.shown) else ""
        return (f"{plural(self.count, 'value')} the codebook forbids ({'; '.join(self.shown)}{more}): "
                f"{RULE}")


def forbidden_values(conn: sqlite3.Connection, s: str = "main", codebook: str = "main") -> Forbidden:
    """The values in schema `s` that the codebook in schema `codebook` forbids."""
    sql = _forbidden_sql(s, codebook)
    params = {"statuses": json.dumps(STATUSES)}
    count = conn.execute(f"select count(*) from ({sql})", params).fetchone()[0]
    shown = [f"{paragraph} by {coder}: {what}" for _, _, paragraph, coder, what in
             conn.execute(f"{sql} order by 3, 4, 5 limit {SHOWN}", params)] if count else []
    return Forbidden(int(count), shown)


def clear_forbidden(conn: sqlite3.Connection) -> int:
    """Delete the forbidden codings (and the events that wrote them) and reopen the paragraphs
    of forbidden statuses (status NULL): such a value cannot be shown, exported or counted, so
    the coder codes it again. How many."""
    found = conn.execute(_forbidden_sql("main", "main"), {"statuses": json.dumps(STATUSES)}).fetchall()
    for rowid, table, *_ in found:
        if table in ("codings", "events"):
            conn.execute(f"delete from {table} where rowid = ?", [rowid])
        else:
            conn.execute("update paragraph_status set status = null where rowid = ?", [rowid])
    return len(found)
