"""tui/keys.py is the one table of keys: bindings, help, palette and reserved keys agree with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui.keys import KEYS, RESERVED_KEYS, bindings, help_lines, palette_commands
from tui.screens.coding import CodingScreen

REPO = Path(__file__).resolve().parents[2]


def test_every_keymap_id_is_unique_and_names_its_screen() -> None:
    ids = [key.id for key in KEYS if key.id]
    assert len(ids) == len(set(ids))
    assert all(key.id.startswith(f"{key.screen}.") for key in KEYS if key.id)


def test_the_palette_speaks_in_words_and_names_each_key() -> None:
    commands = palette_commands("coding")
    assert ("Previous paragraph", "move(-1)", "key ←") in commands
    assert ("Undo the last action", "undo", "key u ctrl+z") in commands
    assert not any(keys.startswith("action") or "(" in title for title, _, keys in commands)


def test_every_palette_action_is_an_action_of_the_coding_screen() -> None:
    for _, action, _ in palette_commands("coding"):
        assert hasattr(CodingScreen, f"action_{re.sub(r'[(].*', '', action)}"), action


def test_help_lists_every_bound_key_of_the_coding_screen() -> None:
    shown = " ".join(keys for keys, _ in help_lines("coding"))
    for binding in bindings("coding"):
        for key in binding.key.split(","):  # type: ignore[union-attr]
            named = {"left": "←", "right": "→", "slash": "/", "question_mark": "?", "space": "space",
                     "colon": ":", "minus": "-", "asterisk": "*"}.get(key, key)
            assert named in shown or key.isdigit(), key


def test_a_codebook_may_not_take_the_coding_screens_characters() -> None:
    assert frozenset("123456789") | {"u", "f", "e", "g", "q", "/", "?", "C", ":", "-", "*", "R"} == RESERVED_KEYS


def test_reading_the_reserved_keys_loads_no_textual() -> None:
    code = "import sys, tui.keys; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def screen_classes() -> dict[str, type]:
    """Which class takes each screen's bindings."""
    from tui.screens.adjudicate import AdjudicateScreen, ReasonDialog
    from tui.screens.code_picker import CodePicker
    from tui.screens.agreement import AgreementScreen, SplitParagraph
    from tui.screens.dialogs import LevelChooser, NoteDialog
    from tui.screens.documents import DocumentsScreen
    from tui.screens.help import HelpScreen
    from tui.screens.retrieve import RetrieveScreen
    from tui.screens.overview import OverviewParagraph, OverviewScreen
    from tui.screens.search import SearchScreen
    from tui.widgets.codebook_list import CodebookList
    from tui.widgets.paged_list import PagedList

    return {"codebook-list": CodebookList, "paged-list": PagedList, "coding": CodingScreen,
            "help": HelpScreen, "note": NoteDialog, "level": LevelChooser,
            "search": SearchScreen, "retrieve": RetrieveScreen, "documents": DocumentsScreen, "adjudicate": AdjudicateScreen,
            "reason": ReasonDialog, "picker": CodePicker, "agreement": AgreementScreen, "split": SplitParagraph,
            "overview": OverviewScreen, "overview-paragraph": OverviewParagraph}


@pytest.mark.parametrize("screen", sorted({key.screen for key in KEYS}))
def test_every_screen_takes_its_bindings_from_the_table(screen: str) -> None:
    assert bindings(screen) == screen_classes()[screen].BINDINGS  # type: ignore[attr-defined]
