"""A standalone app around the lead's screen: `accord overview --tui` runs it, tests drive it."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from tui.screens.overview import OverviewScreen


class OverviewApp(App[None]):
    """The code matrix and co-occurrence, and the paragraphs behind each count."""

    CSS_PATH = "app.tcss"
    TITLE = "Accord · overview"

    def __init__(self, project_path: Path, whose: str = "coder", coder: str | None = None,
                 by: str | None = None, verified: bool = False) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.whose, self.coder, self.by = whose, coder, by
        self.verified = verified
        """`accord overview --tui` has just opened (and checked) the file: the screen need not again."""

    def on_mount(self) -> None:
        self.push_screen(OverviewScreen(self.project_path, self.whose, self.coder, self.by, self.verified))
