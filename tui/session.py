"""A coder's session on one project: where they are and what each key does to the project file.

Free of Textual so that the screen only draws what this hands back, and so that tests and
benchmarks can drive it directly. Every change goes through `Project`, which commits before
returning: what a `View` shows is always what the file holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from typing import TYPE_CHECKING

from store import CONSENSUS, Code, Codebook, Project
from store import AccordError
from store import Document, Event, Paragraph, Progress, Status

if TYPE_CHECKING:  # the models load only when the project has one (start-up stays quick)
    from exports.suggest.suggester import Suggester, Suggestion


@dataclass(frozen=True)
class View:
    """Everything the coding screen shows about the current paragraph."""

    paragraph: Paragraph
    document: Document
    document_size: int
    """Paragraphs in the paragraph's document ("paragraph i of n")."""
    codings: dict[str, object]
    """This coder's values only (blind coding): code id -> 1/0 or a level's value."""
    status: Status
    progress: Progress
    """Done out of the corpus; in a handed-out file, done out of the coder's assignment."""
    assigned: bool | None
    """Whether a handout assigned this paragraph to the coder; None when the coder has no
    assignments (they code the corpus freely)."""
    previous_text: str | None
    next_text: str | None
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    """Trusted models' suggestions on this paragraph (none on the reliability sample)."""


def project_codebook(project: Project) -> Codebook:
    """The project's current codebook with every field (keywords, rules, examples)."""
    return project.codebook()


class CodingSession:
    """One coder on one open project, positioned on one paragraph."""

    def __init__(self, project: Project, coder: str, order: str = "corpus") -> None:
        if coder.strip() == CONSENSUS:
            raise AccordError(f"{CONSENSUS!r} is reserved for adjudicated values: code under your own name, "
                              "and settle disagreements with `accord adjudicate`")
        if project.paragraph_count() == 0:
            raise AccordError(f"{project.path} has no documents yet; add some with `accord import PATH...`")
        self.project = project
        self.coder = project.coder(coder)
        self.codebook = project_codebook(project)
        self.codes: dict[str, Code] = self.codebook.by_id()
        self.has_assignments = project.has_assignments(self.coder)
        """A handout assigned paragraphs to this coder: progress and `enter` follow the assignment."""
        self.order: list[int] | None = None
        """With `--order uncertain`: the seqs to serve, least sure first (exports/suggest/uncertain.py)."""
        if order == "uncertain":
            from exports.suggest.uncertain import uncertain_order

            self.order = uncertain_order(project, self.coder)
        self.seq = self.order[0] if self.order else self._resume_seq()
        self.place_saved = True
        self._progress: Progress | None = None
        self._document = lru_cache(maxsize=64)(self._load_document)
        self.suggester = self._suggester()
        self._suggested: tuple[str, dict[str, Suggestion]] | None = None

    def _suggester(self) -> Suggester | None:
        from exports.suggest.suggester import Suggester

        try:
            return Suggester.for_file(self.project)
        except AccordError:
            return None  # a damaged model must not stop the coding: no suggestions then

    def suggestions(self) -> dict[str, Suggestion]:
        """The current paragraph's suggestions, computed once per paragraph."""
        if self.suggester is None:
            return {}
        paragraph = self.paragraph
        if self._suggested is None or self._suggested[0] != paragraph.id:
            self._suggested = (paragraph.id, self.suggester.suggestions(paragraph.id, paragraph.text))
        return self._suggested[1]

    def _visible(self) -> bool | None:
        """For the event: whether a suggestion is on screen (None: no model in use)."""
        return None if self.suggester is None else bool(self.suggestions())

    # -- where the coder is ------------------------------------------------------------------

    def _resume_seq(self) -> int:
        """The paragraph the coder left, else their first not done, else the first."""
        last = self.project.last_paragraph(self.coder)
        if last is not None:
            try:
                return self.project.paragraph(last).seq
            except AccordError:
                pass  # the document was replaced since; fall back to the first not done
        return self.project.next_not_done(self.coder) or 1

    def go(self, seq: int) -> bool:
        """Move to paragraph `seq`; False past either end.

        The place is written by `save_place` (a flushed commit per arrow key would cost more
        than the rest of the key); marking done writes it at once, in the same commit.
        """
        if seq == self.seq:
            return self.project.paragraph_at(seq) is not None
        paragraph = self.project.paragraph_at(seq)
        if paragraph is None:
            return False
        self.seq = seq
        self.place_saved = False
        return True

    def save_place(self) -> None:
        """Remember where the coder is, so that reopening resumes there."""
        if not self.place_saved:
            self.project.set_last_paragraph(self.coder, self.paragraph.id)
            self.place_saved = True

    def move(self, step: int) -> bool:
        """Previous (-1) or next (+1) paragraph without marking anything."""
        return self.go(self.seq + step)

    @property
    def paragraph(self) -> Paragraph:
        paragraph = self.project.paragraph_at(self.seq)
        assert paragraph is not None
        return paragraph

    # -- what a key changes ------------------------------------------------------------------

    def toggle(self, code_id: str) -> int:
        """Apply or remove a code on the current paragraph; the new value."""
        return self.project.toggle(self.paragraph.id, self.coder, code_id, self._visible())

    def set_level(self, variable_id: str, value: str | None) -> None:
        """Give a variable a level on the current paragraph (None clears it)."""
        self.project.set_coding(self.paragraph.id, self.coder, variable_id, value, self._visible())

    def done_and_next(self) -> bool:
        """Mark the paragraph done and go to the next one this coder has not done: the next
        assigned one when a handout assigned paragraphs to the coder.

        False when every paragraph (every assigned one) is done: the coder stays where they are.
        """
        paragraph = self.paragraph
        with self.project.transaction():
            if self.project.status(paragraph.id, self.coder).status != "done":
                self.project.set_status(paragraph.id, self.coder, "done")
                self._count_done(1, paragraph.id)
            following = self._next_to_code(paragraph.seq)
            if following is not None:
                self.go(following)
            self.save_place()
        return following is not None

    def _next_to_code(self, after_seq: int) -> int | None:
        """The next paragraph not done (the current one is done by now), or None."""
        if self.order is not None:
            return next((seq for seq in self.order if seq != after_seq and self._open(seq)), None)
        if not self.has_assignments:
            return self.project.next_not_done(self.coder, after_seq=after_seq, assigned_first=False)
        progress = self.progress()
        if progress.done >= progress.total:  # known without a query that would walk the corpus
            return None
        return self.project.next_assigned_not_done(self.coder, after_seq=after_seq)

    def _open(self, seq: int) -> bool:
        paragraph = self.project.paragraph_at(seq)
        return paragraph is not None and self.project.status(paragraph.id, self.coder).status != "done"

    def toggle_flag(self) -> bool:
        """Flag the paragraph for discussion, or take the flag off; the new state."""
        paragraph = self.paragraph
        flagged = not self.project.status(paragraph.id, self.coder).flagged
        self.project.set_flag(paragraph.id, self.coder, flagged)
        return flagged

    def set_note(self, note: str | None) -> None:
        """Replace the paragraph's note (empty removes it)."""
        self.project.set_note(self.paragraph.id, self.coder, (note or "").strip() or None)

    def undo(self) -> Event | None:
        """Take back the coder's last action and go to the paragraph it touched."""
        event = self.project.undo(self.coder)
        if event is None:
            return None
        if event.action == "status":  # the undone event set `value`; `previous` is back
            self._count_done((event.previous == "done") - (event.value == "done"), event.paragraph_id)
        if event.paragraph_id is not None and event.paragraph_id != self.paragraph.id:
            self.go(self.project.paragraph(event.paragraph_id).seq)
        return event

    # -- what the screen shows ---------------------------------------------------------------

    def _load_document(self, document_id: str) -> tuple[Document, int]:
        return self.project.document(document_id), self.project.document_size(document_id)

    def progress(self) -> Progress:
        """Done / total for this coder (of their assignment, when they have one): counted once,
        then kept up to date by this session."""
        if self._progress is None:
            self._progress = self.project.progress(self.coder, assigned=self.has_assignments)
        return self._progress

    def _count_done(self, change: int, paragraph_id: str | None) -> None:
        """Follow a status change in the progress instead of counting again: a recount reads
        every done status of the coder (9 ms of CPU per `enter` at 200,000 done, growing)."""
        if self._progress is None or not change:
            return
        if self.has_assignments and (paragraph_id is None or not self.project.is_assigned(paragraph_id, self.coder)):
            return  # outside the assignment: not part of what the header counts
        self._progress = replace(self._progress, done=self._progress.done + change)

    def view(self, context: bool = True) -> View:
        """The current paragraph as the screen shows it; neighbours only when `context`."""
        paragraph = self.paragraph
        document, size = self._document(paragraph.document_id)
        previous = following = None
        if context:
            before = self.project.paragraph_at(paragraph.seq - 1)
            after = self.project.paragraph_at(paragraph.seq + 1)
            # Neighbours from another document would mislead: context stays within the statement.
            previous = before.text if before and before.document_id == paragraph.document_id else None
            following = after.text if after and after.document_id == paragraph.document_id else None
        return View(
            paragraph=paragraph,
            document=document,
            document_size=size,
            codings=self.project.codings(paragraph.id, self.coder),
            status=self.project.status(paragraph.id, self.coder),
            progress=self.progress(),
            assigned=self.project.is_assigned(paragraph.id, self.coder) if self.has_assignments else None,
            previous_text=previous,
            next_text=following,
            suggestions=self.suggestions(),
        )

    def describe(self, event: Event) -> str:
        """An undone action in words, for the notification."""
        code = self.codes.get(event.code_id or "")
        what = {
            "code": f"{code.label if code else event.code_id}",
            "status": "marking done" if event.value == "done" else "status change",
            "flag": "flag",
            "note": "note",
        }.get(event.action, event.action)
        return f"Undid {what}"
