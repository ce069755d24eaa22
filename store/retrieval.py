"""Retrieval by code: the paragraphs that may carry a combination of codes, found in SQL.

Which codings count (one coder's, the consensus, the majority) is decided by the exports'
rule (exports/coded.py), which needs every relevant coder's status and values on a paragraph.
Here SQL narrows the corpus to the candidates: paragraphs where at least one of those coders
marked the paragraph done and gave the code (or the level). A chosen value can only be 1 where
some coder gave it, so no paragraph is lost; the rows of the candidates are then read in a few
queries, never one per paragraph.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from store.joined_ids import ID_SEPARATOR
from store.project import Project
from store.stored_values import VALUE_READ


@dataclass(frozen=True)
class Term:
    """A code (value 1) or a variable's level, as a query names it."""

    code_id: str
    value: int | str


@dataclass(frozen=True)
class Scope:
    """Which paragraphs a retrieval looks at: all, or those of some documents, speakers, countries."""

    documents: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass
class CandidateRows:
    """The raw rows of some paragraphs, in the shapes of the range reads (store/range_reads.py)."""

    paragraphs: list[tuple[Any, ...]]
    """(id, document_id, position, seq, text), in corpus order."""
    statuses: list[tuple[Any, ...]]
    """(seq, coder_id, status, flagged, note)."""
    codings: list[tuple[Any, ...]]
    """(seq, coder_id, code_id, value), set values only."""


def candidate_seqs(project: Project, terms: Sequence[Term], any_: bool, coders: Sequence[str],
                   scope: Scope = Scope()) -> list[int]:
    """The seqs, in corpus order, of the paragraphs in `scope` where some of `coders` marked the
    paragraph done and gave each term (with `any_`, one of them)."""
    if not terms or not coders:
        return []
    among = ", ".join("?" * len(coders))
    # One select per term on the codings index (coder, code, value, paragraph).
    one = (f"select c.paragraph_id from codings c join paragraph_status s "
           f"on s.paragraph_id = c.paragraph_id and s.coder_id = c.coder_id "
           f"where c.coder_id in ({among}) and c.code_id = ? and c.value = ? and s.status = 'done'")
    combined = (" union " if any_ else " intersect ").join([one] * len(terms))
    parameters: list[Any] = []
    for term in terms:
        parameters += [*coders, term.code_id, term.value]
    where, scoped = _scope(scope)
    rows = project.db.execute(
        f"""with hit(paragraph_id) as ({combined})
            select p.seq from hit join paragraphs p on p.id = hit.paragraph_id
            join documents d on d.id = p.document_id{where} order by p.seq""",
        [*parameters, *scoped],
    ).fetchall()
    return [row[0] for row in rows]


def _scope(scope: Scope) -> tuple[str, list[str]]:
    conditions, parameters = [], []
    for column, values in (("d.id", scope.documents), ("d.speaker", scope.speakers), ("d.country", scope.countries)):
        if values:
            conditions.append(f"{column} in ({', '.join('?' * len(values))})")
            parameters += list(values)
    return (" where " + " and ".join(conditions) if conditions else ""), parameters


def candidate_rows(project: Project, seqs: Sequence[int], coders: Sequence[str], codes: Sequence[str],
                   with_text: bool = True) -> CandidateRows:
    """The paragraphs with these seqs, with `coders`' statuses and their values of `codes` (a
    chosen value of one code depends on that code's votes alone)."""
    wanted = json.dumps(list(seqs))
    among = ", ".join("?" * len(coders))
    which = ", ".join("?" * len(codes))
    text = ", p.text" if with_text else ""
    db = project.db
    paragraphs = db.execute(f"select p.id, p.document_id, p.position, p.seq{text} from paragraphs p "
                            "where p.seq in (select value from json_each(?)) order by p.seq", [wanted]).fetchall()
    # The statuses and values by paragraph id, {id: seq} as a JSON object: no second and third
    # look-up of every paragraph by its seq.
    seq_of = json.dumps({row[0]: row[3] for row in paragraphs})
    return CandidateRows(
        paragraphs,
        db.execute(f"""select j.value, s.coder_id, s.status, s.flagged, s.note
                       from json_each(?) j join paragraph_status s on s.paragraph_id = j.key
                       where +s.coder_id in ({among})""",
                   [seq_of, *coders]).fetchall(),
        db.execute(f"""select j.value, c.coder_id, c.code_id, {VALUE_READ.format("c.value")}
                       from json_each(?) j join codings c on c.paragraph_id = j.key
                       where c.value is not null and +c.coder_id in ({among}) and c.code_id in ({which})""",
                   [seq_of, *coders, *codes]).fetchall(),
    )

def status_rows_with_paragraphs(project: Project, first_seq: int, last_seq: int,
                                coders: Sequence[str]) -> list[tuple[Any, ...]]:
    """(seq, coder_id, status, flagged, note, paragraph id, document_id, position): `coders`'
    statuses on the paragraphs in range, each with its paragraph. The paragraphs any rule can
    count as done are those with such a row, so one query gives both (the overview's reads)."""
    among = ", ".join("?" * len(coders))
    return project.db.execute(
        f"""select p.seq, s.coder_id, s.status, s.flagged, s.note, p.id, p.document_id, p.position
            from paragraphs p join paragraph_status s on s.paragraph_id = p.id
            where p.seq between ? and ? and +s.coder_id in ({among})""",
        [first_seq, last_seq, *coders],
    ).fetchall()


def document_groups(project: Project) -> list[tuple[str, str | None, str | None, str | None, int]]:
    """(id, speaker, country, date, paragraphs) of every document in corpus order, in one query
    (each count read off the (document, position) index)."""
    return project.db.execute(
        """select d.id, d.speaker, d.country, d.date,
                  (select count(*) from paragraphs p where p.document_id = d.id)
           from documents d order by d.position"""
    ).fetchall()


def coded_paragraphs(project: Project, coders: Sequence[str]) -> list[tuple[str, str, Any, int, list[str]]]:
    """Every value `coders` set: (coder_id, code_id, value, paragraphs, their ids) once per coder,
    code and value. Read off the covering index in its order, each group's ids joined in SQL and
    split in Python (one C call per group): a tuple per coding cost several times as much at
    1,000,000, and Arrow, which splits as fast, takes longer to load than this to run at 100,000."""
    among = ", ".join("?" * len(coders))
    one = f"""select c.coder_id, c.code_id, {VALUE_READ.format("c.value")}, count(*), group_concat(c.paragraph_id, char(31))
              from codings c where c.coder_id in ({among}) and c.value is not null and typeof(c.value) {{}} 'real'
              group by c.coder_id, c.code_id, c.value"""
    # Reals apart: grouped with integers, a 1.0 would be counted as the 1 it equals, not refused.
    rows = project.db.execute(f"{one.format('!=')} union all {one.format('=')}", [*coders, *coders]).fetchall()
    return [(*row[:4], row[4].split(ID_SEPARATOR)) for row in rows]



def document_fields(project: Project) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    """(id, title, speaker, country, date) of every document in corpus order: what a retrieved
    row shows of its document, without the metadata (JSON per document) the export also reads."""
    return project.db.execute(
        "select id, title, speaker, country, date from documents order by position"
    ).fetchall()
