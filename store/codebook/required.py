"""Done paragraphs that break the codebook's `required:` rules, found in SQL.

A function over a connection and a schema name, not a Project method: merge asks it about a
coder's file while that file is attached (schema `s0`...), import-codings and status about the
project itself (`main`). The rule itself is `Codebook.missing_required`; this is the same rule
set-based, for a whole file at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from store.words import plural

SHOWN_IDS = 5
"""Paragraph ids a report names before it says "and N more"."""


@dataclass(frozen=True)
class Gap:
    """A done paragraph of one coder that leaves required variables unset."""

    paragraph_id: str
    coder_id: str
    variables: tuple[str, ...]


def required_gaps(conn: sqlite3.Connection, required: Mapping[str, str], schema: str = "main",
                  coders: Sequence[str] | None = None) -> list[Gap]:
    """Every done (paragraph, coder) in `schema` that misses one of the `required` variables
    (id -> rule, `Codebook.required`), in corpus order; `coders`: only theirs (None: everyone's,
    the consensus included). A code counts as applied when the project's codebook has it."""
    if not required:
        return []
    only = "" if coders is None else "and d.coder_id in (select value from json_each(:coders))"
    rows = conn.execute(
        f"""select d.paragraph_id, d.coder_id, r.key
            from {schema}.paragraph_status d
            join json_each(:required) r
            left join main.paragraphs p on p.id = d.paragraph_id
            where d.status = 'done' {only}
              and (r.value = 'always' or exists (
                   select 1 from {schema}.codings c
                   where c.paragraph_id = d.paragraph_id and c.coder_id = d.coder_id and c.value = 1
                     and c.code_id in (select id from main.codes where kind = 'code')))
              and not exists (
                   select 1 from {schema}.codings v
                   where v.paragraph_id = d.paragraph_id and v.coder_id = d.coder_id and v.code_id = r.key
                     and v.value is not null and v.value != '')
            order by p.seq, d.paragraph_id, d.coder_id, r.id""",
        {"required": json.dumps(dict(required)), "coders": json.dumps(list(coders or []))},
    )
    gaps: dict[tuple[str, str], list[str]] = {}
    for paragraph_id, coder_id, variable in rows:
        gaps.setdefault((paragraph_id, coder_id), []).append(variable)
    return [Gap(paragraph, coder, tuple(variables)) for (paragraph, coder), variables in gaps.items()]


def describe_gaps(gaps: Sequence[Gap]) -> str:
    """One line for a report: how many done paragraphs miss a required variable, and which.

    Empty when there are none."""
    if not gaps:
        return ""
    ids = list(dict.fromkeys(gap.paragraph_id for gap in gaps))
    variables = sorted({variable for gap in gaps for variable in gap.variables})
    shown = ", ".join(ids[:SHOWN_IDS]) + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")
    verb = "misses" if len(gaps) == 1 else "miss"
    return (f"{plural(len(gaps), 'done paragraph')} {verb} a required variable "
            f"({', '.join(variables)}): {shown}")
