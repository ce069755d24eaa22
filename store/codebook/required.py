"""Done paragraphs that break the codebook's `required:` rules, found in SQL.

A function over a connection and a schema name, not a Project method: merge asks it about a
coder's file while that file is attached (schema `s0`...), import-codings and status about the
project itself (`main`). The rule itself is `Codebook.missing_required`; this is the same rule
set-based, for a whole file at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
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
    only = "" if coders is None else " and coder_id in (select value from json_each(:coders))"
    done = f"select paragraph_id, coder_id from {schema}.paragraph_status where status = 'done'{only}"
    coded = (f"select paragraph_id, coder_id from {schema}.codings where value = 1 "
             f"and code_id in (select id from main.codes where kind = 'code'){only}")
    given = (f"select paragraph_id, coder_id from {schema}.codings where code_id = :variable "
             f"and value is not null and value != ''{only}")
    found: dict[tuple[str, str], list[str]] = {}
    seqs: dict[str, int] = {}
    # Set operations per variable (done, intersect coded, except set): twice as fast as asking
    # each done paragraph in turn, which a 1,000,000-paragraph status or merge would feel.
    for variable, rule in required.items():
        which = f"{done} intersect {coded}" if rule == "when_coded" else done
        for paragraph_id, coder_id, seq in conn.execute(
            f"select g.paragraph_id, g.coder_id, p.seq from ({which} except {given}) g "
            "left join main.paragraphs p on p.id = g.paragraph_id",
            {"variable": variable, "coders": json.dumps(list(coders or []))},
        ):
            found.setdefault((paragraph_id, coder_id), []).append(variable)
            seqs[paragraph_id] = seq if seq is not None else -1
    order = sorted(found, key=lambda key: (seqs[key[0]], key))
    return [Gap(paragraph, coder, tuple(found[paragraph, coder])) for paragraph, coder in order]


def describe_gaps(gaps: Sequence[Gap]) -> str:
    """One line for a report: how many done paragraphs miss a required variable (per coder when
    there are several), which variables, and the first paragraph ids. Empty when there are none."""
    if not gaps:
        return ""
    ids = list(dict.fromkeys(gap.paragraph_id for gap in gaps))
    variables = sorted({variable for gap in gaps for variable in gap.variables})
    per_coder = Counter(gap.coder_id for gap in gaps)
    who = f" ({', '.join(f'{coder} {count:,}' for coder, count in sorted(per_coder.items()))})" \
        if len(per_coder) > 1 else ""
    shown = ", ".join(ids[:SHOWN_IDS]) + (f" and {len(ids) - SHOWN_IDS:,} more" if len(ids) > SHOWN_IDS else "")
    verb = "misses" if len(gaps) == 1 else "miss"
    return f"{plural(len(gaps), 'done paragraph')}{who} {verb} a required variable ({', '.join(variables)}): {shown}"
