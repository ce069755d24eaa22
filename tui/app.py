"""The Accord app: the one factory the CLI (`accord code`, `accord demo`) and the tests share."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App

from store import AccordError, Project
from tui.palette import CodingCommands
from tui.screens.coding import CodingScreen
from tui.session import CodingSession


class AccordApp(App[None]):
    """Open `project_path` for `coder` on the coding screen.

    Raises a ProjectError / AccordError at construction for a missing project or an empty one,
    so that the CLI reports it in one line before any screen appears.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Accord"
    COMMANDS: ClassVar = App.COMMANDS | {CodingCommands}
    # Textual types this one as an instance variable, so mypy refuses ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012

    def __init__(self, project_path: Path, coder: str, order: str = "corpus") -> None:
        super().__init__()
        self.project_path = Path(project_path)
        # The page check of a big file runs after the first paint (`verify`): startup stays fast.
        self.project = Project.open(self.project_path, verify=False)
        try:
            self.session = CodingSession(self.project, coder, order)
        except Exception:
            self.project.close()
            raise
        self.first_paint: float | None = None
        """`time.perf_counter()` when the coding screen was first drawn (benchmarks read it)."""

    def on_mount(self) -> None:
        self.push_screen(CodingScreen(self.session, self.project_path.name))

    @work(thread=True, exclusive=True, group="verify")
    def verify(self) -> None:
        """Check every page of the file on a connection of this thread; stop on damage."""
        try:
            Project.open(self.project_path).close()
        except AccordError as error:
            self.call_from_thread(self.exit, None, 1, f"Error: {error}")

    def painted(self) -> None:
        """The coding screen calls this after its first refresh: startup is over."""
        if self.first_paint is None:
            self.first_paint = time.perf_counter()
            self.verify()  # only now: the check must not slow the first paint

    def on_unmount(self) -> None:
        self.session.save_place()
        self.project.close()
