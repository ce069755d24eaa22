"""Settling disagreements between coders: what to adjudicate, and storing the decisions.

Only paragraphs that coders marked `done` count: there a code without a value-1 row is 0
(absent). A (paragraph, code) is in disagreement when its done coders (two or more) do not all
give it the same value. Decisions are stored as the codings of the reserved coder `consensus`
(or another adjudicator's name), through the same write path as any coding (store/events.py),
so they are logged, undoable and mergeable. Functions taking a Project, not methods: they
weigh several coders' work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import events as writes
from store.clock import now
from store.coding import CONSENSUS
from store.errors import AccordError

if TYPE_CHECKING:
    from store.project import Project


@dataclass(frozen=True)
class Disagreement:
    """One (paragraph, code) on which done coders differ."""

    paragraph_id: str
    seq: int
    code_id: str
    decided: bool
    """Whether the adjudicator has stored a value for it."""


@dataclass(frozen=True)
class Positions:
    """What each done coder gave on one (paragraph, code), and their notes and flags on the paragraph."""

    values: dict[str, object]
    """Coder -> 1/0 for a code, the level (or None) for a variable."""
    notes: dict[str, str | None]
    decision: object
    """The adjudicator's value, None when undecided (or decided as no level)."""
    decided: bool
    flagged: frozenset[str] = frozenset()
    """The coders who flagged the paragraph for discussion."""


_DECIDED_ROW = """(a.value is not null or exists (
                      select 1 from events e where e.coder_id = a.coder_id and e.at = a.updated_at
                      and e.paragraph_id = a.paragraph_id and e.code_id = a.code_id and e.action = 'code'))"""
"""SQL: the adjudicator's codings row `a` is a decision: a value, or an explicit "no level" (a
NULL written by a decision, not one left behind by undo)."""

_DECIDED = f"""exists (select 1 from codings a where a.paragraph_id = v.paragraph_id and a.coder_id = ?
                  and a.code_id = v.code_id and {_DECIDED_ROW})"""
"""SQL: the adjudicator has decided the (paragraph, code) of votes row `v`."""


def _votes(project: Project, adjudicator: str, codes: list[str] | None, minimum: int,
           one_paragraph: bool = False) -> str:
    """SQL (common table expressions) of the done coders' votes per (paragraph, code).

    `done`: the done (paragraph, coder) pairs; `n`: done coders per paragraph (at least
    `minimum`); `votes`: per (paragraph, code) the rows that carry a value (1 for a code, a
    level for a variable), how many distinct values, and the value when there is one. With
    `one_paragraph`, only the paragraph given as the query's first parameter.
    """
    who = adjudicator.replace("'", "''")
    code_filter = ""
    if codes:
        _check_codes(project, codes)
        code_filter = "and c.id in (" + ", ".join(f"'{c}'" for c in codes) + ")"
    return f"""
        with done as (
            select paragraph_id, coder_id from paragraph_status
            where status = 'done' and coder_id != '{who}' and coder_id != '{CONSENSUS}'
            {"and paragraph_id = ?" if one_paragraph else ""}),
        n as (select paragraph_id, count(*) as n from done group by paragraph_id having count(*) >= {minimum}),
        votes as (
            select k.paragraph_id, k.code_id, count(*) as rows, min(k.value) as value,
                   count(distinct typeof(k.value) || ':' || k.value) as kinds
            from n join done d on d.paragraph_id = n.paragraph_id
                 join codings k on k.paragraph_id = d.paragraph_id and k.coder_id = d.coder_id
                 join codes c on c.id = k.code_id
            where c.retired = 0 {code_filter}
              and ((c.kind = 'code' and k.value = 1) or (c.kind != 'code' and k.value is not null))
            group by k.paragraph_id, k.code_id)"""


def _check_codes(project: Project, codes: list[str]) -> None:
    known = {row[0] for row in project.db.execute("select id from codes where retired = 0")}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise AccordError(f"the codebook has no code {unknown[0]!r} (codes: {', '.join(sorted(known))})")


def disagreements(project: Project, adjudicator: str = CONSENSUS, codes: list[str] | None = None) -> list[Disagreement]:
    """Every (paragraph, code) on which two or more done coders differ, in corpus and codebook order.

    Args:
        project: an open Project.
        adjudicator: whose decisions mark an item decided (and whose own codings are not a vote).
        codes: only these code ids (default: every code and variable not retired).
    """
    rows = project.db.execute(
        _votes(project, adjudicator, codes, 2) + f"""
        select v.paragraph_id, p.seq, v.code_id,
               {_DECIDED} as decided
        from votes v join n using (paragraph_id)
             join paragraphs p on p.id = v.paragraph_id join codes c on c.id = v.code_id
        where v.kinds > 1 or v.rows < n.n
        order by p.seq, c.position""",
        [adjudicator],
    ).fetchall()
    return [Disagreement(r[0], r[1], r[2], bool(r[3])) for r in rows]


LISTED_UP_TO = 5_000
"""Up to this many done statuses, `open_disagreements` counts the listing (a few tens of ms)
rather than in bulk, which loads NumPy (about 0.1 s: most of `accord status` on a small project)."""


def open_disagreements(project: Project, adjudicator: str = CONSENSUS) -> int:
    """How many disagreements wait for a decision: listed on a small project, counted in bulk
    on a large one (store/teams/open_disagreements.py; a test checks both give the same count)."""
    from store.teams.open_disagreements import NotCountable, count_open

    done = project.db.execute(
        "select count(*) from (select 1 from paragraph_status where status = 'done' limit ?)", [LISTED_UP_TO + 1]
    ).fetchone()[0]
    if done > LISTED_UP_TO:
        try:
            return count_open(project, adjudicator, _DECIDED_ROW)
        except NotCountable:
            pass
    return sum(1 for item in disagreements(project, adjudicator) if not item.decided)


def positions(project: Project, paragraph_id: str, code_id: str, adjudicator: str = CONSENSUS) -> Positions:
    """Each done coder's value and note on one (paragraph, code), and the decision so far."""
    db = project.db
    kind = db.execute("select kind from codes where id = ?", [code_id]).fetchone()
    if kind is None:
        raise AccordError(f"the codebook has no code {code_id!r}")
    rows = db.execute(
        """select s.coder_id, k.value, s.note, s.flagged from paragraph_status s
           left join codings k on k.paragraph_id = s.paragraph_id and k.coder_id = s.coder_id and k.code_id = ?
           where s.paragraph_id = ? and s.status = 'done' and s.coder_id not in (?, ?)
           order by s.coder_id""",
        [code_id, paragraph_id, adjudicator, CONSENSUS],
    ).fetchall()
    values = {coder: (int(value or 0) if kind[0] == "code" else value) for coder, value, _, _ in rows}
    notes = {coder: note for coder, _, note, _ in rows}
    flagged = frozenset(coder for coder, _, _, flag in rows if flag)
    decision = db.execute(
        f"""select a.value, {_DECIDED_ROW} from codings a where a.paragraph_id = ? and a.coder_id = ? and a.code_id = ?""",
        [paragraph_id, adjudicator, code_id],
    ).fetchone()
    return Positions(values, notes, decision[0] if decision else None, bool(decision and decision[1]), flagged)


def decide(project: Project, paragraph_id: str, code_id: str, value: object,
           reason: str | None = None, adjudicator: str = CONSENSUS) -> None:
    """Store the adjudicated value of one (paragraph, code), with an optional reason.

    The reason goes into the adjudicator's note on the paragraph as `code: reason`. When the
    paragraph has no undecided disagreement left, its unanimous values are stored too and it
    is marked done for the adjudicator: the consensus dataset then has it complete.
    """
    p = project
    _fill_unanimous(p, paragraph_id, adjudicator)
    p.set_coding(paragraph_id, adjudicator, code_id, value)
    if reason and reason.strip():
        note = p.status(paragraph_id, adjudicator).note
        line = f"{code_id}: {reason.strip()}"
        p.set_note(paragraph_id, adjudicator, f"{note}\n{line}" if note else line)
    if not _undecided(p, paragraph_id, adjudicator) and p.status(paragraph_id, adjudicator).status != "done":
        p.set_status(paragraph_id, adjudicator, "done")


def undo_decision(project: Project, adjudicator: str = CONSENSUS, since: str | None = None) -> tuple[str, str] | None:
    """Take back the adjudicator's last decision (its status, note and value); returns its
    (paragraph id, code id), or None when there is nothing to undo.

    With `since` (a timestamp), only what was written after it: a session's undo never reaches
    back into decisions or bulk accepts of earlier sessions.
    """
    while True:
        latest = project.db.execute(
            """select at from events e where coder_id = ? and action != 'undo'
               and not exists (select 1 from events u where u.undoes = e.id)
               order by at desc, rowid desc limit 1""",
            [adjudicator],
        ).fetchone()
        if latest is None or (since is not None and latest[0] <= since):
            return None
        target = project.undo(adjudicator)
        if target is None:
            return None
        if target.action == "code":
            assert target.paragraph_id is not None and target.code_id is not None  # a code event names both
            return target.paragraph_id, target.code_id


def _undecided(project: Project, paragraph_id: str, adjudicator: str) -> bool:
    return any(not item.decided and item.paragraph_id == paragraph_id
               for item in _paragraph_disagreements(project, paragraph_id, adjudicator))


def _paragraph_disagreements(project: Project, paragraph_id: str, adjudicator: str) -> list[Disagreement]:
    rows = project.db.execute(
        _votes(project, adjudicator, None, 2, one_paragraph=True) + f"""
        select v.paragraph_id, 0, v.code_id, {_DECIDED}
        from votes v join n using (paragraph_id) where v.kinds > 1 or v.rows < n.n""",
        [paragraph_id, adjudicator],
    ).fetchall()
    return [Disagreement(r[0], r[1], r[2], bool(r[3])) for r in rows]


def _fill_unanimous(project: Project, paragraph_id: str, adjudicator: str) -> None:
    """Store the paragraph's unanimous values (1 for codes, levels) the adjudicator lacks."""
    rows = project.db.execute(
        _votes(project, adjudicator, None, 1, one_paragraph=True) + """
        select v.code_id, v.value from votes v join n using (paragraph_id)
        where v.kinds = 1 and v.rows = n.n and not exists (select 1 from codings a
              where a.paragraph_id = v.paragraph_id and a.coder_id = ? and a.code_id = v.code_id)""",
        [paragraph_id, adjudicator],
    ).fetchall()
    for code_id, value in rows:
        project.set_coding(paragraph_id, adjudicator, code_id, value)


@dataclass(frozen=True)
class Accepted:
    """What accepting the unanimous values did."""

    values: int
    """Values stored for the adjudicator."""
    paragraphs: int
    """Paragraphs now complete (marked done) for the adjudicator."""


def accept_unanimous(project: Project, adjudicator: str = CONSENSUS, codes: list[str] | None = None) -> Accepted:
    """Store, in bulk, every value on which all done coders of a paragraph agree.

    A paragraph done by a single coder counts as unanimous: its values carry over, so that the
    consensus dataset covers the whole corpus. Paragraphs left with no undecided disagreement
    are marked done for the adjudicator. Each stored value is logged as an event, as if typed.
    """
    db = project.db
    project.coder(adjudicator)
    stamp = now()
    with project.transaction():
        db.execute("drop table if exists temp.unanimous")
        db.execute(
            "create temp table unanimous as " + _votes(project, adjudicator, codes, 1) + """
            select v.paragraph_id, v.code_id, v.value from votes v join n using (paragraph_id)
            where v.kinds = 1 and v.rows = n.n and not exists (select 1 from codings a
                  where a.paragraph_id = v.paragraph_id and a.coder_id = ? and a.code_id = v.code_id)""",
            [adjudicator],
        )
        values = writes.record_codings_from(db, "temp.unanimous", adjudicator, stamp)
        db.execute("drop table temp.unanimous")
        if codes:
            # Only some codes were accepted: no paragraph is complete yet.
            return Accepted(values, 0)
        # Paragraphs with done coders, no undecided disagreement, not yet done by the adjudicator.
        db.execute("drop table if exists temp.settled")
        db.execute(
            "create temp table settled as " + _votes(project, adjudicator, None, 1) + f""",
            open as (select v.paragraph_id from votes v join n using (paragraph_id)
                     where (v.kinds > 1 or v.rows < n.n) and not {_DECIDED})
            select n.paragraph_id, (select s.status from paragraph_status s where s.paragraph_id = n.paragraph_id
                                    and s.coder_id = ?) as previous
            from n where n.paragraph_id not in (select paragraph_id from open)
              and not exists (select 1 from paragraph_status s where s.paragraph_id = n.paragraph_id
                              and s.coder_id = ? and s.status = 'done')""",
            [adjudicator, adjudicator, adjudicator],
        )
        paragraphs = writes.record_done_from(db, "temp.settled", adjudicator, stamp)
        db.execute("drop table temp.settled")
    return Accepted(values, paragraphs)

