"""Whose work a coder's file carries, and when it was done: the refusals of forged files.

Merge keeps the most recent value, so a file's timestamps and coder names decide what the lead's
project ends up holding. A file could otherwise forge the consensus (rows of the reserved coder
`consensus`, which only adjudication writes), overwrite adjudicated values with dates in 9999
(and revert the lead's later corrections each time it is merged again), or carry another
coder's work under a handout made for one coder; and values the codebook forbids would break
exports and agreement (store/stored_values.py holds that rule). Each is refused, with counts,
before anything is written. Read-only; runs with the other checks (store/teams/merge_checks.py).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.coding import CONSENSUS
from store.errors import ProjectError
from store.stored_values import forbidden_values
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

ANOTHER_LEAD = "to merge another lead's project on purpose: accord merge --include-consensus FILE"


def check_trust(conn: sqlite3.Connection, s: str, path: Path, include_consensus: bool,
                coders: list[str] | None = None) -> None:
    """Refuse the attached file `s`, naming every problem with its counts, if it carries work
    that is not its own (`whose`), dated where no real work can be (`when`), or values this
    project's codebook forbids (`values`). `coders`: the file's coders, if known already."""
    problems = whose(conn, s, include_consensus, coders) + when(conn, s) + values(conn, s)
    if problems:
        raise ProjectError(f"{path} {'; it '.join(problems)}. Nothing was merged")


def _counts(rows: list[int]) -> str:
    """'3 codings, 1 status, 4 events' (the non-zero ones)."""
    return ", ".join(plural(n, noun, "statuses" if noun == "status" else None)
                     for n, (_, _, noun) in zip(rows, _WORK, strict=True) if n)


def whose(conn: sqlite3.Connection, s: str, include_consensus: bool, coders: list[str] | None = None) -> list[str]:
    """What the attached file `s` carries that it may not: consensus values, or work of a coder
    that is not the file's own.

    A file `handout` wrote for one coder carries that coder's work only, and only if this
    project recorded handing it out (the file's token; files handed out before tokens pass on
    their `handout_coder`). Any other file may not carry the work of a coder this project handed
    a file to: that work comes from their own file. `include_consensus` is the lead merging
    another lead's project on purpose: its consensus, and its coders' work, are taken.
    `coders`: the file's coders (file_coders), if known: when none of them can be a stranger,
    the file's rows are not counted per coder (a scan of every row: 0.75 s at 1,000,000
    paragraphs for ten files).
    """
    problems = []
    if not include_consensus:
        found = [conn.execute(f"select count(*) from {s}.{table} where coder_id = ?", [CONSENSUS]).fetchone()[0]
                 for table, _, _ in _WORK]
        if any(found):
            problems.append(f"carries consensus values ({_counts(found)}), which only adjudication in this "
                            f"project writes ({ANOTHER_LEAD})")
    meta = dict(conn.execute(f"select key, value from {s}.meta where key in ('handout_coder', '{HANDOUT_TOKEN}')"))
    handed = meta.get("handout_coder")
    recorded = dict(conn.execute(
        f"select substr(key, {len(HANDOUT_TOKEN) + 2}), value from main.meta where key like '{HANDOUT_TOKEN}:%'"))
    if handed is not None:
        token = meta.get(HANDOUT_TOKEN)
        if (recorded.get(token) != handed) if token is not None else handed in recorded.values():
            problems.append(f"says it was handed out to {handed}, but this project did not hand that file out "
                            f"to {handed} (its handout record was altered or comes from another file)")
        own = [handed, CONSENSUS]
    elif include_consensus:
        return problems
    else:
        own = sorted(set(recorded.values()))
    if coders is not None and not _maybe_strangers(coders, own, handed is not None):
        return problems
    strangers = conn.execute(
        f"""select coder_id, sum(t = 0), sum(t = 1), sum(t = 2) from (
                select coder_id, 0 as t from {s}.codings union all select coder_id, 1 from {s}.paragraph_status
                union all select coder_id, 2 from {s}.events)
            where coder_id {'not in' if handed is not None else 'in'} (select value from json_each(?))
            group by coder_id order by coder_id""", [json.dumps(own)]
    ).fetchall()
    listing = "; ".join(f"{coder} ({_counts(list(counts))})" for coder, *counts in strangers[:5])
    if strangers and handed is not None:
        problems.append(f"was handed out to {handed} but carries the work of {listing}: a coder's file carries "
                        f"only its own coder's work (coded under another name? code it again as {handed})")
    elif strangers:
        problems.append(f"is not a handed-out file but carries the work of {listing}, who were handed files of "
                        f"their own: their work is merged from those files only ({ANOTHER_LEAD})")
    return problems


def file_coders(conn: sqlite3.Connection, s: str) -> list[str]:
    """The coders whose work the attached file `s` holds, read off the indexes on coder_id."""
    return [row[0] for row in conn.execute(
        f"""select coder_id from {s}.codings union select coder_id from {s}.paragraph_status
            union select coder_id from {s}.events order by 1""")]


def _maybe_strangers(coders: list[str], own: list[str], handed: bool) -> bool:
    """Whether any of `coders` may be a stranger: for a handed-out file, one not among `own`;
    for another file, one among them. Anything but a plain name counts (SQL's comparison then
    decides)."""
    if any(not isinstance(coder, str) for coder in coders):
        return True
    known = set(own)
    return any((coder not in known) if handed else (coder in known) for coder in coders)


def when(conn: sqlite3.Connection, s: str) -> list[str]:
    """The attached file `s`'s work dated later than now plus CLOCK_SKEW or earlier than this
    project was created: merge keeps the most recent value, so such a date would win every
    conflict, over newer work and the lead's corrections."""
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
    clock = "; merge keeps the most recent value: check the clock of the computer that coded it"
    if any(late):
        problems.append(f"has {_counts(late)} dated after {latest[:10]} (more than a day in the future){clock}")
    if any(early):
        problems.append(f"has {_counts(early)} dated before this project was created ({earliest[:10]}){clock}")
    return problems


def values(conn: sqlite3.Connection, s: str) -> list[str]:
    """The attached file `s`'s values that this project's codebook forbids (a code valued 5, a
    BLOB, an unknown level or status): Accord never writes them, so the file was changed by
    another program (or they came from an older codebook), and merged they would break exports
    and agreement."""
    found = forbidden_values(conn, s, codebook="main")
    if not found:
        return []
    return [f"has {found.words()}; the file was changed outside Accord, or coded under a codebook this "
            f"project has changed since (the coder codes those paragraphs again in a copy handed out anew)"]
