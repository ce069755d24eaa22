"""Every key of every screen, declared once.

One row per action: the Textual bindings, the footer, the `?` help, the command palette and
the keys a codebook may not give its codes are all read from `KEYS`. A keymap can remap a key
by the row's `id` (Textual's `App.set_keymap`). Plain data, so that `accord codebook check`
reads the reserved keys without loading Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import BindingType

HELP_KEY_NAMES = {"left": "←", "right": "→", "slash": "/", "question_mark": "?", "colon": ":", "minus": "-",
                  "asterisk": "*"}
"""How `?` help and the palette write a key whose Textual name is a word."""
CHARACTERS = {"slash": "/", "question_mark": "?", "colon": ":", "minus": "-", "asterisk": "*"}
"""The character a codebook would write for a key Textual names by a word."""


@dataclass(frozen=True)
class Key:
    """One action of one screen, the keys that do it, and how each place shows it."""

    screen: str
    """The screen, dialog or widget whose bindings hold it: "coding", "adjudicate", ..."""
    keys: str
    """Textual key names, comma-separated ("u,ctrl+z"); "" for keys the screen reads itself."""
    action: str | None
    """The Textual action; None when the screen handles the key itself or the app binds it."""
    label: str = ""
    """The footer's short word ("Undo")."""
    help: str | None = None
    """What it does, in words, as the `?` help screen says it; None: no line there."""
    help_keys: str | None = None
    """How the `?` help writes the keys when not simply the keys themselves ("1-9", "← →")."""
    palette: str | None = None
    """Title in the command palette (ctrl+p); None: not offered there."""
    footer: int = 0
    """Place in the footer, from 1; 0 keeps it out of the footer."""
    key_display: str | None = None
    """The footer's text for the key, when not its name."""
    tooltip: str = ""
    id: str | None = None
    """Stable name for keymaps: "screen.action"."""

    @property
    def key_names(self) -> str:
        """The keys as a person reads them ("u ctrl+z", "?")."""
        return " ".join(HELP_KEY_NAMES.get(k, k) for k in self.keys.split(","))


KEYS: tuple[Key, ...] = (
    # -- the coding screen (DESIGN.md section 5), in the order `?` help lists them ------------
    Key("coding", "1", "toggle_digit('1')", "Toggle", "toggle the first nine top-level codes", "1-9",
        footer=1, key_display="1-9", id="coding.toggle"),
    *(Key("coding", str(i), f"toggle_digit('{i}')", f"Toggle code {i}") for i in range(2, 10)),
    Key("coding", "", None, help="toggle that code (a variable's key opens its levels)", help_keys="a code's key"),
    # Not letters: a codebook's keys are letters, so these take none from any codebook.
    Key("coding", "colon", "pick", "Pick", "pick any code by typing part of its name (recent first)",
        palette="Pick a code by typing part of its name",
        footer=8, key_display=":", id="coding.pick"),
    Key("coding", "minus", "fold", "Fold", "fold or unfold a parent's sub-codes (* every parent)",
        "- * click ▾", palette="Fold or unfold the highlighted code's sub-codes", id="coding.fold"),
    Key("coding", "asterisk", "fold_all", "Fold all", palette="Fold every parent, or unfold them all", id="coding.fold_all"),
    Key("coding", "space", "toggle_highlighted", "Toggle highlighted", "toggle the code highlighted in the list",
        "space / click", id="coding.toggle_highlighted"),
    Key("coding", "enter", "done", "Done", "mark done, go to the next paragraph not done",
        palette="Mark done and go to the next paragraph", footer=2, id="coding.done"),
    Key("coding", "left", "move(-1)", "Prev", "previous / next paragraph, without marking", "← →",
        palette="Previous paragraph", key_display="←", id="coding.previous"),
    Key("coding", "right", "move(1)", "Next", palette="Next paragraph", key_display="→", id="coding.next"),
    Key("coding", "u,ctrl+z", "undo", "Undo", "undo the last action (again to go further back)",
        palette="Undo the last action", footer=3, key_display="u", id="coding.undo"),
    Key("coding", "f", "flag", "Flag", "flag the paragraph for discussion",
        palette="Flag the paragraph for discussion", footer=5, id="coding.flag"),
    Key("coding", "e", "note", "Note", "edit the paragraph's note", palette="Edit the paragraph's note",
        footer=6, id="coding.note"),
    Key("coding", "slash", "search", "Search", "search every paragraph's words (/) or your codes (R)", "/ R",
        palette="Search paragraphs", footer=7, key_display="/", id="coding.search"),
    # Shift+r: a codebook may give lower-case r to a code (the shipped one does).
    # Its help shares the search line: the `?` help fits a 30-line terminal with the codes' keys.
    Key("coding", "R", "retrieve", "Retrieve", palette="Retrieve paragraphs by code", id="coding.retrieve"),
    Key("coding", "g", "documents", "Docs", "go to a document", palette="Go to a document", id="coding.documents"),
    # Shift+c: the shipped codebook gives lower-case c to `chemical`.
    Key("coding", "C", "context", "Context", "show or hide the neighbouring paragraphs",
        palette="Show or hide neighbouring paragraphs", id="coding.context"),
    Key("coding", "pageup", "scroll_text(-1)", "Scroll text up", "scroll a long paragraph", "pageup pagedown"),
    Key("coding", "pagedown", "scroll_text(1)", "Scroll text down"),
    Key("coding", "ctrl+p", None, help="command palette"),  # bound by the app (Textual's palette)
    Key("coding", "question_mark", "help", "Help", "this help", palette="Help: instructions and keys",
        footer=4, key_display="?", id="coding.help"),
    Key("coding", "q", "app.quit", "Quit", "quit (everything is already saved)", footer=9, id="coding.quit"),
    # -- dialogs of the coding screen -------------------------------------------------------
    Key("help", "escape,question_mark,q", "close", "Close", footer=1, id="help.close"),
    Key("note", "ctrl+s", "save", "Save", footer=1, id="note.save"),
    Key("note", "escape", "cancel", "Cancel", footer=2, id="note.cancel"),
    Key("level", "escape", "cancel", "Cancel", footer=1, id="level.cancel"),
    Key("level", "0,backspace", "choose(0)", "Clear", footer=2, id="level.clear"),
    *(Key("level", str(i), f"choose({i})", f"Level {i}") for i in range(1, 10)),
    Key("search", "escape", "cancel", "Cancel", footer=1, id="search.cancel"),
    Key("search", "down", "results", "Results"),
    Key("picker", "escape", "cancel", "Cancel", footer=1, id="picker.cancel"),
    Key("picker", "down", "cursor(1)", "Down"),
    Key("picker", "up", "cursor(-1)", "Up"),
    Key("picker", "pagedown", "cursor(10)", "Page down"),
    Key("picker", "pageup", "cursor(-10)", "Page up"),
    Key("retrieve", "escape", "cancel", "Cancel", footer=1, id="retrieve.cancel"),
    Key("retrieve", "down", "results", "Results"),
    Key("documents", "escape,g", "cancel", "Cancel", footer=1, id="documents.cancel"),
    # -- the adjudication screen: pick keys show only for the current disagreement's choices --
    *(Key("adjudicate", str(n), f"pick({n})", f"Pick {n}", footer=n, id=f"adjudicate.pick{n}") for n in range(1, 10)),
    Key("adjudicate", "r", "reason", "Reason", footer=10, tooltip="Give a reason, stored with the next pick",
        id="adjudicate.reason"),
    Key("adjudicate", "left", "move(-1)", "Previous", footer=11, id="adjudicate.previous"),
    Key("adjudicate", "right", "move(1)", "Next", footer=12, id="adjudicate.next"),
    Key("adjudicate", "n", "next_open", "Next undecided", footer=13, id="adjudicate.next_open"),
    Key("adjudicate", "u,ctrl+z", "undo", "Undo", footer=14, id="adjudicate.undo"),
    Key("adjudicate", "q", "app.quit", "Quit", footer=15, id="adjudicate.quit"),
    Key("reason", "escape", "cancel", "Cancel", footer=1, id="reason.cancel"),
    # -- the agreement screen and its split dialog ------------------------------------------
    Key("agreement", "tab", "app.focus_next", "Switch list", footer=1, id="agreement.switch"),
    Key("agreement", "q,escape", "leave", "Back", footer=2, id="agreement.back"),
    Key("split", "escape,enter,q", "close", "Close", footer=1, id="split.close"),
    # -- the lead's screen (accord overview --tui) and its paragraph dialog -------------------
    Key("overview", "tab", "app.focus_next", "Switch table", footer=1, id="overview.switch"),
    Key("overview", "q,escape", "leave", "Back", footer=2, id="overview.back"),
    Key("overview-paragraph", "escape,enter,q", "close", "Close", footer=1, id="overview-paragraph.close"),
    # -- widgets: only their own keys (enter, left/right and page keys belong to the screen) --
    Key("codebook-list", "up", "cursor_up", "Up"),
    Key("codebook-list", "down", "cursor_down", "Down"),
    Key("codebook-list", "home", "first", "First"),
    Key("codebook-list", "end", "last", "Last"),
    Key("paged-list", "up", "cursor(-1)", "Up"),
    Key("paged-list", "down", "cursor(1)", "Down"),
    Key("paged-list", "pageup", "page(-1)", "Page up"),
    Key("paged-list", "pagedown", "page(1)", "Page down"),
    Key("paged-list", "home", "jump(0)", "First"),
    Key("paged-list", "end", "jump(-1)", "Last"),
    Key("paged-list", "enter", "select", "Open"),
)


def keys_of(screen: str) -> list[Key]:
    """The rows of one screen, in table order."""
    return [key for key in KEYS if key.screen == screen]


def bindings(screen: str) -> list[BindingType]:
    """A screen's `BINDINGS`: the footer's keys in their places, then the hidden ones."""
    from textual.binding import Binding

    made: list[BindingType] = []
    for key in sorted(keys_of(screen), key=lambda key: (key.footer == 0, key.footer)):
        if key.action is not None:
            made.append(Binding(key.keys, key.action, key.label, show=key.footer > 0,
                                key_display=key.key_display, tooltip=key.tooltip, id=key.id))
    return made


def help_lines(screen: str) -> list[tuple[str, str]]:
    """(keys, what they do) for the `?` help screen."""
    return [(key.key_names if key.help_keys is None else key.help_keys, key.help)
            for key in keys_of(screen) if key.help is not None]


def palette_commands(screen: str) -> list[tuple[str, str, str]]:
    """(title, action, which key does it) for the command palette."""
    return [(key.palette, key.action, f"key {key.key_names}") for key in keys_of(screen)
            if key.palette is not None and key.action is not None]


def reserved_keys() -> frozenset[str]:
    """The characters the coding screen keeps for itself: a codebook may not give them to a code
    (and a stored codebook's clash is shown, not bound)."""
    characters = (CHARACTERS.get(name, name) for key in keys_of("coding") for name in key.keys.split(","))
    return frozenset(c for c in characters if len(c) == 1)


RESERVED_KEYS = reserved_keys()
