"""The top line: project, coder, and how far the coder is (through their assignment, if any)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from store import Progress
from tui.safe_text import printable


class CodingHeader(Widget):
    """`Accord · project · coder` on the left, `done / total` (`done / total assigned` in a
    handed-out file) and a bar on the right."""

    def __init__(self, project: str, coder: str, assigned: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project_name = project
        self.coder = coder
        self.assigned = assigned
        self.progress: Progress | None = None

    def show(self, progress: Progress) -> None:
        """Redraw with new progress (only when it changed)."""
        if progress != self.progress:
            self.progress = progress
            self.refresh()

    def render(self) -> RenderableType:
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(width=max(8, min(30, self.size.width // 5)), no_wrap=True)
        left = Text.assemble(("Accord", "bold"), " · ", printable(self.project_name), " · coder ",
                            (printable(self.coder), "bold"))
        done, total = (self.progress.done, self.progress.total) if self.progress else (0, 0)
        share = f" {100 * done / total:.0f}%" if total else ""
        right = Text(f"{done:,} / {total:,}{' assigned' if self.assigned else ''}{share} ")
        grid.add_row(left, right, ProgressBar(total=max(total, 1), completed=done))
        return grid
