"""The adjudication screen: one disagreement at a time, each coder's value side by side, a key
picks the consensus value. Finding disagreements and storing decisions is store/teams/adjudication.py;
this screen only shows and calls it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, Static

from store import CONSENSUS, AccordError, CodeRow, Disagreement, Project, decide, disagreements, now, positions, undo_decision
from tui.keys import bindings
from tui.safe_text import printable


def coder_labels(coders: list[str], blind: bool) -> dict[str, str]:
    """How coders are shown: by name, or (blind) as Coder 1, 2… in an order that does not
    follow their names (a hash of the name), the same on every screen."""
    if not blind:
        return {coder: coder for coder in coders}
    ordered = sorted(coders, key=lambda c: hashlib.sha256(c.encode()).hexdigest())
    return {coder: f"Coder {i}" for i, coder in enumerate(ordered, start=1)}


@dataclass(frozen=True)
class Option:
    """A value the adjudicator can pick, with its key and label."""

    key: str
    value: object
    label: str


class ReasonDialog(ModalScreen[str | None]):
    """Ask for the reason stored with the next decision."""

    DEFAULT_CSS = """
    ReasonDialog { align: center middle; }
    ReasonDialog > Vertical { width: 70; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("reason")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Reason for the next decision (enter to keep, escape to cancel):")
            yield Input(id="reason-input", placeholder="e.g. the speaker welcomes the treaty")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AdjudicateScreen(Screen[None]):
    """Walks the (paragraph, code) disagreements of done coders."""

    # Pick keys show only for as many choices as the current disagreement has, labelled with the
    # choice: see check_action and active_bindings.
    BINDINGS: ClassVar[list[BindingType]] = bindings("adjudicate")

    class Loaded(Message):
        """The list of disagreements is ready (posted by the loading worker)."""

        def __init__(self, items: list[Disagreement] | None, error: str | None = None) -> None:
            super().__init__()
            self.items = items
            self.error = error

    def __init__(self, project_path: Path, coder: str = CONSENSUS, codes: list[str] | None = None,
                 blind: bool = False) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.coder = coder
        self.codes = codes
        self.blind = blind
        self.items: list[Disagreement] = []
        self.decided: set[tuple[str, str]] = set()
        self.index = 0
        self.reason: str | None = None
        self.started = ""
        self.project: Project | None = None
        self.labels: dict[str, str] = {}
        self.code_rows: dict[str, CodeRow] = {}
        self.option_cache: dict[str, list[Option]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Finding disagreements…", id="adjudicate-progress")
        with VerticalScroll(id="adjudicate-paragraph"):
            yield Static("", id="adjudicate-text", markup=False)
        yield Static("", id="adjudicate-code")
        yield Static("", id="adjudicate-positions")
        yield Static("", id="adjudicate-options")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.project = Project.open(self.project_path)
        self.started = now()  # undo reaches back to here, not into earlier sessions
        self.code_rows = {row.id: row for row in self.project.codes()}
        self.labels = coder_labels([c for c in self.project.coders() if c not in (CONSENSUS, self.coder)], self.blind)
        self.load()

    def on_unmount(self) -> None:
        if self.project is not None:
            self.project.close()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Find the disagreements on a connection of the worker's own (SQLite is per thread)."""
        try:
            with Project.open(self.project_path) as project:
                items = disagreements(project, self.coder, self.codes)
        except AccordError as error:
            self.post_message(self.Loaded(None, str(error)))
            return
        self.post_message(self.Loaded(items))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        if message.items is None:
            self.notify(message.error or "cannot list disagreements", severity="error")
            return
        self.items = message.items
        self.decided = {(i.paragraph_id, i.code_id) for i in self.items if i.decided}
        self.index = next((n for n, i in enumerate(self.items) if not i.decided), 0)
        self.show()

    # -- display ----------------------------------------------------------------------------

    @property
    def item(self) -> Disagreement | None:
        return self.items[self.index] if self.items else None

    def options(self, code_id: str) -> list[Option]:
        """The values that can be picked for a code or variable, keyed 1, 2, … (cached: the footer
        asks on every refresh and the codebook does not change while adjudicating)."""
        assert self.project is not None
        if code_id not in self.option_cache:
            self.option_cache[code_id] = self._options(code_id)
        return self.option_cache[code_id]

    def _options(self, code_id: str) -> list[Option]:
        assert self.project is not None
        row = self.code_rows[code_id]
        if row.kind == "code":
            values: list[tuple[object, str]] = [(1, "Applied"), (0, "Not applied")]
        else:
            values = [*self.project.levels(code_id), (None, "No level")]
        return [Option(str(n), value, label) for n, (value, label) in enumerate(values[:9], start=1)]

    def current_options(self) -> list[Option]:
        """The choices of the disagreement on screen (none before loading or when there is none)."""
        item = self.item
        return self.options(item.code_id) if item is not None and self.project is not None else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pick keys beyond the current disagreement's choices are hidden and do nothing."""
        if action == "pick":
            return bool(parameters) and 1 <= int(parameters[0]) <= len(self.current_options())  # type: ignore[call-overload]
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer labels each pick key with its choice (`1 Applied`, `2 Not applied`, a level)."""
        bindings = super().active_bindings
        labels = {option.key: option.label for option in self.current_options()}
        for key, active in bindings.items():
            if active.binding.action.startswith("pick(") and key in labels:
                bindings[key] = active._replace(binding=replace(active.binding, description=labels[key]))
        return bindings

    def show(self) -> None:
        """Redraw the screen for the current item."""
        assert self.project is not None
        self.refresh_bindings()  # the pick keys follow the current disagreement's choices
        progress = self.query_one("#adjudicate-progress", Static)
        item = self.item
        if item is None:
            progress.update("No disagreements among done coders: nothing to adjudicate.")
            return
        done = len(self.decided)
        progress.update(Text(f"Disagreement {self.index + 1} of {len(self.items)} · decided {done} of "
                             f"{len(self.items)}" + (" · all decided" if done == len(self.items) else "")
                             + (f" · reason ready: {self.reason}" if self.reason else "")))
        paragraph = self.project.paragraph(item.paragraph_id)
        self.query_one("#adjudicate-text", Static).update(printable(paragraph.text))
        row = self.code_rows[item.code_id]
        header = Text()
        header.append(printable(paragraph.id), style="bold")
        header.append(printable(f"  ·  {row.label}"), style="bold")
        header.append(printable(f" ({row.id})"))
        if row.definition:
            header.append("\n" + printable(row.definition), style="italic")
        self.query_one("#adjudicate-code", Static).update(header)
        stand = positions(self.project, item.paragraph_id, item.code_id, self.coder)
        options = self.options(item.code_id)
        label_of = {repr(o.value): o.label for o in options}
        table = Table(expand=True, show_edge=False)
        table.add_column("Coder", no_wrap=True)
        table.add_column("Value")
        table.add_column("Flag", no_wrap=True)
        table.add_column("Note", ratio=1)
        for coder in sorted(stand.values, key=lambda c: self.labels.get(c, c)):
            value = stand.values[coder]
            flag = Text("⚑ flagged", style="bold yellow") if coder in stand.flagged else Text("")
            table.add_row(Text(printable(self.labels.get(coder, coder))),
                          Text(printable(label_of.get(repr(value), str(value)))), flag,
                          Text(printable(stand.notes.get(coder) or "")))
        self.query_one("#adjudicate-positions", Static).update(table)
        choice = Text()
        for option in options:
            picked = stand.decided and repr(option.value) == repr(stand.decision)
            choice.append(f" {option.key} ", style="reverse bold" if picked else "bold")
            choice.append(printable(f" {option.label}   "))
        choice.append("\n" + (printable(f"Decided: {label_of.get(repr(stand.decision), stand.decision)}") if stand.decided
                              else "Undecided: press a number to pick the consensus value"))
        self.query_one("#adjudicate-options", Static).update(choice)

    # -- actions ----------------------------------------------------------------------------

    def action_pick(self, number: int) -> None:
        item = self.item
        if item is None or self.project is None:
            return
        options = self.options(item.code_id)
        if not 1 <= number <= len(options):
            self.notify(f"{item.code_id} has {len(options)} options", severity="warning")
            return
        try:
            decide(self.project, item.paragraph_id, item.code_id, options[number - 1].value, self.reason, self.coder)
        except AccordError as error:
            self.notify(str(error), severity="error")
            return
        self.reason = None
        self.decided.add((item.paragraph_id, item.code_id))
        self.action_next_open()

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
            self.show()

    def action_next_open(self) -> None:
        """Go to the next undecided disagreement (wrapping round); stay when all are decided."""
        count = len(self.items)
        for offset in range(1, count + 1):
            candidate = (self.index + offset) % count
            if (self.items[candidate].paragraph_id, self.items[candidate].code_id) not in self.decided:
                self.index = candidate
                break
        else:
            self.notify("Every disagreement is decided.")
        self.show()

    def action_undo(self) -> None:
        if self.project is None:
            return
        undone = undo_decision(self.project, self.coder, since=self.started)
        if undone is None:
            self.notify("Nothing to undo in this session.")
            return
        for n, item in enumerate(self.items):
            if (item.paragraph_id, item.code_id) == undone:
                self.index = n
                if not positions(self.project, *undone, self.coder).decided:
                    self.decided.discard(undone)
                break
        self.show()

    def action_reason(self) -> None:
        def keep(reason: str | None) -> None:
            self.reason = reason
            self.show()

        self.app.push_screen(ReasonDialog(), keep)
