"""A coder's work on one project: codings, statuses, flags, notes, undo, progress.

Project methods (what one coder does to one project); every write goes through the one write
path, store/events.py, which logs the change's event beside it.
"""

from __future__ import annotations

from store import events as writes
from store.base import ProjectBase
from store.corpus.reads import highest_seq
from store.errors import AccordError
from store.intake.source import one_line_end
from store.rows import DocumentProgress, Event, NoteRow, Progress, Status

CONSENSUS = "consensus"
"""The reserved coder under whom adjudicated values are stored."""

STATUSES = ("done", "flagged", "skipped")
"""`flagged` is accepted for files written by other tools; Accord keeps flags in `flagged`."""


class Coding(ProjectBase):
    """Everything a coder writes, each write committed with its event before returning."""

    # -- coders ------------------------------------------------------------------------------

    def coder(self, name: str) -> str:
        """The coder's id (their name), added to the project on first use."""
        return writes.ensure_coder(self.db, name)

    def coders(self) -> list[str]:
        """Every coder's id, `consensus` included when adjudication has started."""
        return [row[0] for row in self.db.execute("select id from coders order by id")]

    def last_paragraph(self, coder: str) -> str | None:
        """Where the coder was when they left."""
        row = self.db.execute("select last_paragraph_id from coders where id = ?", [coder]).fetchone()
        return row[0] if row else None

    def set_last_paragraph(self, coder: str, paragraph_id: str) -> None:
        """Remember where the coder is, so that reopening resumes there."""
        with self.transaction():
            self.db.execute("update coders set last_paragraph_id = ? where id = ?", [paragraph_id, coder])

    # -- codings -----------------------------------------------------------------------------

    def codings(self, paragraph_id: str, coder: str) -> dict[str, object]:
        """This coder's values on one paragraph: code id -> 1/0 or level (cleared values left out)."""
        # `+coder_id` keeps SQLite on the primary key (paragraph first): without statistics it
        # would pick the covering (coder, code, ...) index and read all of the coder's codings,
        # 40 ms per paragraph at 100,000 paragraphs instead of 0.1 ms.
        rows = self.db.execute(
            "select code_id, value from codings where paragraph_id = ? and +coder_id = ? and value is not null",
            [paragraph_id, coder],
        )
        return dict(rows.fetchall())

    def set_coding(self, paragraph_id: str, coder: str, code_id: str, value: object,
                   suggested: bool | None = None) -> Event:
        """Set a code (1 applied, 0 removed) or a variable (a level's value, None to clear).
        `suggested`: whether the screen showed a suggestion on the paragraph (None: no model)."""
        value = self._checked_value(code_id, value)
        return writes.set_coding(self.db, paragraph_id, coder, code_id, value, suggested)

    def toggle(self, paragraph_id: str, coder: str, code_id: str, suggested: bool | None = None) -> int:
        """Apply a code that is not applied, remove one that is; returns the new value."""
        value = 0 if writes.coding_value(self.db, paragraph_id, coder, code_id) == 1 else 1
        self.set_coding(paragraph_id, coder, code_id, value, suggested)
        return value

    def _checked_value(self, code_id: str, value: object) -> object:
        row = self.db.execute("select kind, retired from codes where id = ?", [code_id]).fetchone()
        if row is None:
            raise AccordError(f"the codebook has no code {code_id!r}")
        kind, retired = row
        if retired:
            raise AccordError(f"code {code_id!r} is retired and can no longer be applied")
        if kind == "code":
            if value not in (0, 1, True, False):
                raise AccordError(f"code {code_id!r} takes 1 (applied) or 0 (not applied), not {value!r}")
            return int(bool(value))
        if value is None:
            return None
        levels = [r[0] for r in self.db.execute("select value from code_levels where code_id = ? order by position", [code_id])]
        if str(value) not in levels:
            raise AccordError(f"variable {code_id!r} has no level {value!r} (levels: {', '.join(levels)})")
        return str(value)

    # -- status, flag, note ------------------------------------------------------------------

    def status(self, paragraph_id: str, coder: str) -> Status:
        """This coder's status, flag and note on one paragraph."""
        row = self.db.execute(
            "select status, flagged, note from paragraph_status where paragraph_id = ? and coder_id = ?",
            [paragraph_id, coder],
        ).fetchone()
        return Status(row[0], bool(row[1]), row[2]) if row else Status(None, False, None)

    def set_status(self, paragraph_id: str, coder: str, status: str | None) -> Event:
        """Mark a paragraph `done` or `skipped` for this coder, or None to reopen it."""
        if status is not None and status not in STATUSES:
            raise AccordError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return self._set_status_field(paragraph_id, coder, "status", status)

    def set_flag(self, paragraph_id: str, coder: str, flagged: bool) -> Event:
        """Flag a paragraph for discussion (or unflag it)."""
        return self._set_status_field(paragraph_id, coder, "flagged", int(flagged))

    def set_note(self, paragraph_id: str, coder: str, note: str | None) -> Event:
        """Attach a note to a paragraph (None or empty removes it); its line ends become `\\n`
        (typed or imported alike: see one_line_end)."""
        return self._set_status_field(paragraph_id, coder, "note", one_line_end(note) if note else None)

    def _set_status_field(self, paragraph_id: str, coder: str, column: str, value: object) -> Event:
        return writes.set_status_field(self.db, paragraph_id, coder, column, value)

    def notes(self, coder: str | None = None, flagged_only: bool = False) -> list[NoteRow]:
        """Every note and flag in corpus order (then by coder): of one coder, or only flagged
        paragraphs, when asked. An adjudicator's reasons are notes too."""
        where = ["(s.flagged or coalesce(s.note, '') != '')"]
        args: list[object] = []
        if coder is not None:
            where.append("s.coder_id = ?")
            args.append(coder)
        if flagged_only:
            where.append("s.flagged")
        rows = self.db.execute(
            f"""select s.paragraph_id, p.document_id, s.coder_id, s.flagged, nullif(s.note, '')
                from paragraph_status s join paragraphs p on p.id = s.paragraph_id
                where {' and '.join(where)} order by p.seq, s.coder_id""",
            args,
        )
        return [NoteRow(pid, document, who, bool(flagged), note) for pid, document, who, flagged, note in rows]

    def flag_counts(self) -> dict[str, int]:
        """Coder -> paragraphs they have flagged (coders without flags left out)."""
        rows = self.db.execute(
            "select coder_id, count(*) from paragraph_status where flagged group by coder_id"
        )
        return {coder: int(count) for coder, count in rows}

    # -- events and undo ---------------------------------------------------------------------

    def events(self, coder: str | None = None, limit: int = -1) -> list[Event]:
        """The audit log, newest first."""
        where, args = ("where coder_id = ?", [coder]) if coder else ("", [])
        rows = self.db.execute(f"select * from events {where} order by at desc, rowid desc limit ?", [*args, limit])
        return [Event(*row) for row in rows.fetchall()]

    def recent_codes(self, coder: str, limit: int = 20, window: int = 500) -> list[str]:
        """The codes and variables this coder set most recently, newest first, at most `limit`.

        Reads only the coder's last `window` coding events (the index on coder and time), so
        that a long history costs the picker nothing."""
        rows = self.db.execute(
            "select code_id from events where coder_id = ? and action = 'code' and code_id is not null "
            "order by at desc, rowid desc limit ?", [coder, window])
        return list(dict.fromkeys(code for (code,) in rows))[:limit]

    def coding_counts(self) -> dict[str, int]:
        """Code or variable id -> how many paragraphs have it applied or set, every coder counted."""
        rows = self.db.execute("select code_id, count(*) from codings where value is not null and value != 0 "
                               "and value != '' group by code_id")
        return dict(rows.fetchall())

    def undo(self, coder: str) -> Event | None:
        """Take back this coder's most recent action not yet undone; None when there is none.

        Called again, it takes back the action before that: undo walks back through the log.
        """
        return writes.undo_last(self.db, coder)

    # -- progress and navigation -------------------------------------------------------------

    def progress(self, coder: str, assigned: bool = False) -> Progress:
        """Paragraphs this coder has done, out of the corpus; with `assigned`, done out of the
        paragraphs a handout assigned to them (0 of 0 when none were)."""
        if assigned:
            # The done statuses through their (coder, status) index, each probed in the
            # assignments' key: half the time of joining every assignment to its status.
            done = self.db.execute(
                """select count(*) from paragraph_status s where s.coder_id = ? and s.status = 'done'
                   and exists (select 1 from assignments a where a.paragraph_id = s.paragraph_id and a.coder_id = ?)""",
                [coder, coder],
            ).fetchone()[0]
            return Progress(coder, int(done), self.assigned(coder))
        done = self.db.execute(
            "select count(*) from paragraph_status where coder_id = ? and status = 'done'", [coder]
        ).fetchone()[0]
        return Progress(coder, int(done), highest_seq(self.db))

    def assignment_progress(self) -> dict[str, Progress]:
        """Every coder with assignments: done out of assigned, in one pass over `assignments`."""
        rows = self.db.execute(
            """select a.coder_id, coalesce(sum(s.status = 'done'), 0), count(*) from assignments a
               left join paragraph_status s on s.paragraph_id = a.paragraph_id and s.coder_id = a.coder_id
               group by a.coder_id"""
        ).fetchall()
        return {coder: Progress(coder, int(done), int(total)) for coder, done, total in rows}

    def assigned(self, coder: str) -> int:
        """How many paragraphs a handout assigned to this coder (0: the coder codes freely)."""
        return int(self.db.execute("select count(*) from assignments where coder_id = ?", [coder]).fetchone()[0])

    def has_assignments(self, coder: str) -> bool:
        """Whether a handout assigned any paragraph to this coder."""
        return self.db.execute("select 1 from assignments where coder_id = ? limit 1", [coder]).fetchone() is not None

    def is_assigned(self, paragraph_id: str, coder: str) -> bool:
        """Whether a handout gave this paragraph to this coder."""
        row = self.db.execute(
            "select 1 from assignments where paragraph_id = ? and coder_id = ?", [paragraph_id, coder]
        ).fetchone()
        return row is not None

    def next_not_done(self, coder: str, after_seq: int = 0, assigned_first: bool = True) -> int | None:
        """The `seq` of the first paragraph after `after_seq` this coder has not done, wrapping
        round to the start; None when every paragraph is done.

        With `assigned_first` (the default) a coder who has assignments is offered their assigned
        paragraphs not yet done first, and the rest of the corpus only once those are all done.
        """
        if assigned_first and self.has_assignments(coder):
            following = self.next_assigned_not_done(coder, after_seq)
            if following is not None:
                return following
        query = f"select seq from paragraphs p where seq > ? and {_NOT_DONE} order by seq limit 1"
        for start in (after_seq, 0):
            row = self.db.execute(query, [start, coder]).fetchone()
            if row:
                return int(row[0])
        return None

    def next_assigned_not_done(self, coder: str, after_seq: int = 0) -> int | None:
        """The `seq` of the first paragraph after `after_seq` assigned to this coder and not done
        by them, wrapping round to the start; None when every assigned paragraph is done.

        Walks paragraphs in seq order and looks each up in the assignments' primary key: no
        index on coder needed, and fast because a coder's share is dense in the corpus.
        """
        query = f"""select seq from paragraphs p where seq > ? and exists (
                        select 1 from assignments a where a.paragraph_id = p.id and a.coder_id = ?)
                    and {_NOT_DONE} order by seq limit 1"""
        for start in (after_seq, 0):
            row = self.db.execute(query, [start, coder, coder]).fetchone()
            if row:
                return int(row[0])
        return None

    def first_not_done_in(self, coder: str, document_id: str, assigned: bool = False) -> int | None:
        """The `seq` of the first paragraph of a document this coder has not done (with
        `assigned`, the first assigned to them and not done), or None."""
        mine = ("and exists (select 1 from assignments a where a.paragraph_id = p.id and a.coder_id = ?)"
                if assigned else "")
        row = self.db.execute(
            f"select seq from paragraphs p where document_id = ? {mine} and {_NOT_DONE} order by position limit 1",
            [document_id, *([coder] if assigned else []), coder],
        ).fetchone()
        return int(row[0]) if row else None

    def document_progress(self, coder: str, offset: int = 0, limit: int = 200) -> list[DocumentProgress]:
        """A page of documents in corpus order with how many paragraphs this coder has done in
        each, and how many of them a handout assigned to the coder (and of those, done).

        `exists` per paragraph keeps SQLite on the (paragraph, coder) keys: a join lets it walk
        every status of the coder for every document instead (seconds at 100,000 paragraphs).
        """
        rows = self.db.execute(
            f"""select d.id, d.title, d.speaker, d.country, d.date, d.position,
                      (select min(seq) from paragraphs p where p.document_id = d.id),
                      (select count(*) from paragraphs p where p.document_id = d.id),
                      (select count(*) from paragraphs p where p.document_id = d.id and not {_NOT_DONE}),
                      (select count(*) from paragraphs p where p.document_id = d.id and {_ASSIGNED}),
                      (select count(*) from paragraphs p where p.document_id = d.id and {_ASSIGNED}
                         and not {_NOT_DONE})
               from documents d order by d.position limit ? offset ?""",
            [coder, coder, coder, coder, limit, offset],
        )
        return [DocumentProgress(*row) for row in rows.fetchall()]


_NOT_DONE = """not exists (select 1 from paragraph_status s
                  where s.paragraph_id = p.id and s.coder_id = ? and s.status = 'done')"""
"""SQL: paragraph `p` is not done by the coder given as its one parameter (a primary-key probe)."""
_ASSIGNED = "exists (select 1 from assignments a where a.paragraph_id = p.id and a.coder_id = ?)"
"""SQL: paragraph `p` is assigned to the coder given as its one parameter (a primary-key probe)."""
