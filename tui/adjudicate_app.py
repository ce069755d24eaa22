"""A standalone app around the adjudication screen: `accord adjudicate` runs it, tests drive it."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from store import CONSENSUS
from tui.screens.adjudicate import AdjudicateScreen


class AdjudicateApp(App[None]):
    """Settle coders' disagreements from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "Accord · adjudication"

    def __init__(self, project_path: Path, coder: str = CONSENSUS, codes: list[str] | None = None,
                 blind: bool = False) -> None:
        super().__init__()
        self.screen_args = (Path(project_path), coder, codes, blind)

    def on_mount(self) -> None:
        self.push_screen(AdjudicateScreen(*self.screen_args))
