"""Whose work a coder's file carries, and when it was done: the refusals of forged files.

Merge keeps the most recent value, so a file's timestamps and coder names decide what the lead's
project ends up holding. A file could otherwise forge the consensus (rows of the reserved coder
`consensus`, which only adjudication writes), overwrite adjudicated values with dates in 9999
(and revert the lead's later corrections each time it is merged again), or carry another
coder's work under a handout made for one coder. Each is refused, with counts, before anything
is written. Read-only; runs with the other checks (store/teams/merge_checks.py).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.coding import CONSENSUS
from store.errors import ProjectError
from store.words import plural

CLOCK_SKEW = timedelta(days=1)
"""How far in the future a file's timestamps may be: a coder's clock may be a day ahead (time
zones set by hand, a laptop off the network); anything beyond is forged or broken."""

HANDOUT_TOKEN = "handout_token"
"""Meta key of a handed-out file's random token (store/teams/handout.py); in the lead's project
`handout_token:TOKEN` holds the coder the file was written for."""

_WORK = (("codings", "updated_at", "coding"), ("paragraph_status", "updated_at", "status"),
         ("events", "at", "event"))
"""The tables a merge takes work from: table, its timestamp column, the noun for a count."""


def _counts(rows: list[int]) -> str:
    """'3 codings, 1 status, 4 events' (the non-zero ones)."""
    return ", ".join(plural(n, noun, "statuses" if noun == "status" else None)
                     for n, (_, _, noun) in zip(rows, _WORK, strict=True) if n)


def check_whose(conn: sqlite3.Connection, s: str, path: Path, include_consensus: bool) -> None:
    """Refuse the attached file `s` if it carries consensus values, or work of a coder that is
    not the file's own.

    A file `handout` wrote for one coder carries that coder's work only, and only if this
    project recorded handing it out (the file's token; files handed out before tokens pass on
    their `handout_coder`). Any other file may not carry the work of a coder this project handed
    a file to: that work comes from their own file. `include_consensus` is the lead merging
    another lead's project on purpose: its consensus, and its coders' work, are taken.
    """
    if not include_consensus:
        found = [conn.execute(f"select count(*) from {s}.{table} where coder_id = ?", [CONSENSUS]).fetchone()[0]
                 for table, _, _ in _WORK]
        if any(found):
            raise ProjectError(
                f"{path} carries consensus values ({_counts(found)}): only adjudication in this project "
                f"writes the consensus, a coder's file never holds it. Nothing was merged. To merge "
                f"another lead's adjudicated project on purpose: accord merge --include-consensus FILE"
            )
    meta = dict(conn.execute(f"select key, value from {s}.meta where key in ('handout_coder', '{HANDOUT_TOKEN}')"))
    handed = meta.get("handout_coder")
    recorded = dict(conn.execute(
        f"select substr(key, {len(HANDOUT_TOKEN) + 2}), value from main.meta where key like '{HANDOUT_TOKEN}:%'"))
    if handed is not None:
        token = meta.get(HANDOUT_TOKEN)
        if (recorded.get(token) != handed) if token is not None else handed in recorded.values():
            raise ProjectError(
                f"{path} says it was handed out to {handed}, but this project did not hand that file out "
                f"to {handed}: its handout record was altered or comes from another file. Nothing was merged"
            )
        own = [handed, CONSENSUS] if include_consensus else [handed]
    elif include_consensus:
        return
    else:
        own = sorted(set(recorded.values()))
    strangers = conn.execute(
        f"""select coder_id, sum(t = 0), sum(t = 1), sum(t = 2) from (
                select coder_id, 0 as t from {s}.codings union all select coder_id, 1 from {s}.paragraph_status
                union all select coder_id, 2 from {s}.events)
            where coder_id {'not in' if handed is not None else 'in'} (select value from json_each(?))
            group by coder_id order by coder_id""", [json.dumps(own)]
    ).fetchall()
    if not strangers:
        return
    listing = "; ".join(f"{coder} ({_counts(list(counts))})" for coder, *counts in strangers[:5])
    if handed is not None:
        raise ProjectError(
            f"{path} was handed out to {handed} but carries the work of {listing}: a coder's file "
            f"may carry only its own coder's work. Nothing was merged. Was it coded under another "
            f"name (--coder)? Then code it again as {handed}"
        )
    raise ProjectError(
        f"{path} is not a handed-out file but carries the work of {listing}, who were handed files "
        f"of their own: their work is merged from those files only. Nothing was merged. To merge "
        f"another lead's project on purpose: accord merge --include-consensus FILE"
    )


def check_when(conn: sqlite3.Connection, s: str, path: Path) -> None:
    """Refuse the attached file `s` if any of its work is dated later than now plus CLOCK_SKEW
    or earlier than this project was created: such a date would win every conflict."""
    latest = (datetime.now(UTC) + CLOCK_SKEW).isoformat(timespec="microseconds")
    row = conn.execute("select value from main.meta where key = 'created_at'").fetchone()
    earliest = row[0] if row else ""
    late, early = [], []
    for table, column, _ in _WORK:
        # Timestamps are ISO 8601 UTC text, so text order is time order; a value that is not
        # text (a number) sorts before any text and counts as too early.
        counts = conn.execute(
            f"""select coalesce(sum({column} > ?), 0), coalesce(sum({column} < ? or typeof({column}) != 'text'), 0)
                from {s}.{table}""", [latest, earliest]
        ).fetchone()
        late.append(counts[0])
        early.append(counts[1])
    problems = []
    if any(late):
        problems.append(f"{_counts(late)} dated after {latest[:10]} (more than a day in the future)")
    if any(early):
        problems.append(f"{_counts(early)} dated before this project was created ({earliest[:10]})")
    if problems:
        raise ProjectError(
            f"{path} has {' and '.join(problems)}: merge keeps the most recent value, so such dates "
            f"would overwrite newer work. Nothing was merged; check the clock of the computer that "
            f"coded it"
        )
