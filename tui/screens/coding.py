"""The coding screen: one paragraph, the codebook, and the keys of DESIGN.md section 5.

Every key that changes a coding calls the session (which commits through `Project`) and only
then redraws: what the screen shows as saved is in the project file.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static

from tui.codebook_view import CodebookView
from tui.code_index import CodeIndex
from tui.keys import bindings, help_lines
from tui.screens.dialogs import CLEAR, LevelChooser, NoteDialog
from tui.screens.documents import DocumentsScreen
from tui.screens.retrieve import RetrieveQuery
from tui.screens.search import SearchScreen
from tui.session import CodingSession, View
from tui.widgets.code_panel import CodePanel
from tui.widgets.codebook_list import CodebookList
from tui.widgets.header import CodingHeader
from tui.widgets.paragraph import ParagraphView
from tui.safe_text import printable

PLACE_DELAY = 1.0
"""Seconds without moving before the coder's place is written for resume."""


class CodingScreen(Screen[None]):
    """Code the corpus paragraph by paragraph."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("coding")

    def __init__(self, session: CodingSession, project_name: str) -> None:
        super().__init__()
        self.session = session
        self.project_name = project_name
        self.codebook = CodebookView(session.codebook)
        self.context_shown = True
        self.current: View | None = None
        self._place_timer: Timer | None = None
        self._code_index: CodeIndex | None = None
        self.retrieve_query = RetrieveQuery()

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield CodingHeader(self.project_name, self.session.coder, self.session.has_assignments, id="header")
        yield Static(id="docline", markup=False)
        with Horizontal(id="body"):
            yield ParagraphView(id="text")
            with Vertical(id="side"):
                yield CodebookList(self.codebook.code_rows, id="codebook")
                if self.codebook.variable_rows:
                    yield CodebookList(self.codebook.variable_rows, id="variables")
                yield CodePanel(id="code-panel", markup=False)
                yield Static(id="note", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.code_list.focus()
        self.refresh_view()
        self.call_after_refresh(self.app.painted)  # type: ignore[attr-defined]
        if self.codebook.unkeyed_codes:  # else a large codebook without key: fields says nothing
            self.notify(f"{self.codebook.unkeyed_codes} codes have no key: ':' picks any code by name, "
                        "and `accord codebook keys` proposes keys.", timeout=8)
        for code in self.codebook.clashes:
            self.notify(f"Code {code.label!r} has key {code.key!r}, which Accord uses; pick it from the list",
                        severity="warning")

    def refresh_view(self) -> None:
        """Redraw from the project file: the one place the screen learns what is stored."""
        if not self.session.place_saved:
            self._save_place_soon()
        view = self.session.view(context=self.context_shown)
        self.current = view
        self.query_one(CodingHeader).show(view.progress)
        self.query_one("#docline", Static).update(self._docline(view))
        paragraph = view.paragraph
        if getattr(self, "_shown_paragraph", None) != (paragraph.id, self.context_shown):
            self._shown_paragraph = (paragraph.id, self.context_shown)
            self.query_one(ParagraphView).show(paragraph.text, view.previous_text, view.next_text,
                                               self.codebook.keyword_pattern)
        for listing in self.query(CodebookList):
            listing.show(view.codings, view.suggestions)
        note = self.query_one("#note", Static)
        note.display = bool(view.status.note)
        note.update(Text.assemble(("Note: ", "bold"), printable(view.status.note or "")))

    @property
    def code_list(self) -> CodebookList:
        """The list of codes (the variables have a list of their own below it)."""
        return self.query_one("#codebook", CodebookList)

    def _save_place_soon(self) -> None:
        """Write the coder's place once they stop moving for a moment (and on quit)."""
        if self._place_timer is None:
            self._place_timer = self.set_timer(PLACE_DELAY, self.session.save_place)
        else:
            self._place_timer.reset()

    @staticmethod
    def _docline(view: View) -> Text:
        document = view.document
        who = document.speaker or ""
        if document.country:
            who = f"{who} ({document.country})" if who else document.country
        fields = [document.title or document.id, who, document.date or ""]
        line = Text(printable(" · ".join(f for f in fields if f)))
        line.append(f" · paragraph {view.paragraph.position} of {view.document_size}", style="bold")
        if view.status.status == "done":
            line.append("  ✓ done", style="bold green")
        if view.status.flagged:
            line.append("  ⚑ flagged", style="bold yellow")
        if view.assigned is False:  # None: the coder has no assignment, every paragraph is theirs
            line.append("  not assigned to you", style="bold magenta")
        return line

    # -- codes -------------------------------------------------------------------------------

    def apply(self, code_id: str) -> None:
        """Toggle a code, or open a variable's level chooser."""
        code = self.session.codes[code_id]
        self.query_one(CodePanel).show(code)
        for listing in self.query(CodebookList):
            listing.show_code(code_id)
        if code.kind == "code":
            self.session.toggle(code_id)
            self.refresh_view()
            return
        current = self.current.codings.get(code_id) if self.current else None

        def chosen(value: str | None) -> None:
            # Back to the first codes: a code key may have scrolled the list away from them.
            self.code_list.scroll_home(animate=False)
            if value is not None:
                self.session.set_level(code_id, None if value == CLEAR else value)
                self.refresh_view()

        self.app.push_screen(LevelChooser(code, current), chosen)

    def action_toggle_digit(self, digit: str) -> None:
        code_id = self.codebook.code_for_key(digit)
        if code_id:
            self.apply(code_id)

    def action_pick(self) -> None:
        """The picker: any code by typing part of its name; recently used codes first."""
        from tui.code_index import CodeIndex
        from tui.screens.code_picker import CodePicker

        if self._code_index is None:  # built on first use: a coder of a small codebook never pays
            self._code_index = CodeIndex([row.code for row in self.codebook.rows])
        recent = self.session.project.recent_codes(self.session.coder)
        keys = {code_id: key for key, code_id in self.codebook.keys.items()}
        keys.update({code_id: digit for digit, code_id in self.codebook.by_digit.items()})

        def picked(code_id: str | None) -> None:
            if code_id is not None:
                self.apply(code_id)

        self.app.push_screen(CodePicker(self._code_index, self.current.codings if self.current else {}, recent, keys),
                             picked)

    def action_fold(self) -> None:
        self.code_list.toggle_fold()

    def action_fold_all(self) -> None:
        self.code_list.toggle_fold_all()

    def action_toggle_highlighted(self) -> None:
        listing = self.focused if isinstance(self.focused, CodebookList) else self.code_list
        option = listing.highlighted_option
        if option is not None and option.id:
            self.apply(option.id)

    def on_key(self, event: events.Key) -> None:
        """A code's own key (keys come from the codebook, so they are not fixed bindings)."""
        code_id = self.codebook.keys.get(event.key) or self.codebook.keys.get(event.character or "")
        if code_id:
            event.stop()
            event.prevent_default()
            self.apply(code_id)

    @on(OptionList.OptionSelected, "#codebook, #variables")
    def clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.apply(event.option_id)

    @on(OptionList.OptionHighlighted, "#codebook, #variables")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not event.option_list.has_focus:  # the other list's first highlight, or a code key (apply shows it)
            return
        self.query_one(CodePanel).show(self.session.codes.get(event.option_id or ""))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tab into the other list: the panel follows to its highlighted code."""
        if isinstance(event.widget, CodebookList) and event.widget.highlighted_option is not None:
            self.query_one(CodePanel).show(self.session.codes.get(event.widget.highlighted_option.id or ""))

    # -- moving ------------------------------------------------------------------------------

    def action_done(self) -> None:
        session = self.session
        missing = session.codebook.missing_required(session.project.codings(session.paragraph.id, session.coder))
        if missing:  # the codebook's required: rule; the paragraph stays as it is
            names = ", ".join(f"{v.label} ({v.key})" if v.key else v.label for v in missing)
            self.notify(f"Not done yet: set {names} first (required by the codebook).", severity="warning")
            return
        if not self.session.done_and_next():
            every = "Every assigned paragraph" if self.session.has_assignments else "Every paragraph"
            self.notify(f"{every} is done. Well coded!", title="Finished")
        self.refresh_view()

    def action_move(self, step: int) -> None:
        if not self.session.move(step):
            self.notify("This is the first paragraph." if step < 0 else "This is the last paragraph.")
        self.refresh_view()

    def go(self, seq: int | None) -> None:
        """Jump to a paragraph chosen in a dialog."""
        if seq is not None and self.session.go(seq):
            self.refresh_view()

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one(ParagraphView)
        text.scroll_page_down(animate=False) if direction > 0 else text.scroll_page_up(animate=False)

    # -- undo, flag, note, context -----------------------------------------------------------

    def action_undo(self) -> None:
        event = self.session.undo()
        if event is None:
            self.notify("Nothing left to undo.")
            return
        self.refresh_view()
        self.notify(self.session.describe(event))

    def action_flag(self) -> None:
        flagged = self.session.toggle_flag()
        self.refresh_view()
        self.notify("Flagged for discussion." if flagged else "Flag removed.")

    def action_note(self) -> None:
        def saved(note: str | None) -> None:
            if note is not None:
                self.session.set_note(note)
                self.refresh_view()

        self.app.push_screen(NoteDialog(self.current.status.note if self.current else None), saved)

    def action_context(self) -> None:
        self.context_shown = not self.context_shown
        self.refresh_view()

    # -- other screens -----------------------------------------------------------------------

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(self.session.project.path), self.go)

    def action_retrieve(self) -> None:
        from tui.screens.retrieve import RetrieveScreen

        dialog = RetrieveScreen(self.session.project.path, self.session.coder, self.retrieve_query, self.session.seq)

        def jump(seq: int | None) -> None:
            self.retrieve_query = dialog.asked  # `R` again shows the same list, on the next match
            self.go(seq)

        self.app.push_screen(dialog, jump)

    def action_documents(self) -> None:
        document = self.current.document.id if self.current else None
        self.app.push_screen(DocumentsScreen(self.session.project, self.session.coder, document,
                                             assigned=self.session.has_assignments), self.go)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # Markdown loads on first use, not at startup

        self.app.push_screen(HelpScreen(self.codebook, help_lines("coding")))
