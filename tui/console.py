"""Terminal output shared by the commands: data to stdout, messages and progress to stderr."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from rich.console import Console, ConsoleDimensions, ConsoleOptions, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.segment import Segment

from tui.safe_text import printable

PIPED_WIDTH = 10_000
"""Width when writing to a pipe or file: Rich would assume 80 columns and cut table cells."""


class SafeConsole(Console):
    """A Console that shows what it prints through `printable`: a project's ids, names and notes
    are data, and an ESC in one must show, not act (clear the screen, set the title)."""

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        # Every print, table and progress bar is rendered here, after markup and before the
        # terminal: the text segments are data; control segments (cursor moves) are Rich's own.
        for segment in super().render(renderable, options):
            yield segment if segment.control else Segment(printable(segment.text), segment.style)


class _Console(SafeConsole):
    """A Console that never hard-wraps text, and that lays tables out at their natural width
    when its stream is not a terminal (a pipe, a file, a log): nothing gets cut or folded there."""

    def __init__(self, **options: object) -> None:
        super().__init__(soft_wrap=True, **options)  # type: ignore[arg-type]
        # Rich fixes the width from $COLUMNS here; `size` reads $COLUMNS on a terminal anyway, and
        # a pipe should not get a terminal's width.
        self._width = None

    @property
    def size(self) -> ConsoleDimensions:
        if self._width is None and not self.is_terminal:
            return ConsoleDimensions(PIPED_WIDTH, super().size.height)
        return super().size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


out = _Console()
err = _Console(stderr=True)


@contextmanager
def progress_bar(description: str, total: int | None, minimum: int = 0) -> Iterator[Progress]:
    """A Rich progress bar on a terminal; silent when stderr is piped or a file, or when
    `total` is below `minimum` (work that short needs no bar)."""
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or (total is not None and total < minimum),
    )
    with bar:
        bar.add_task(description, total=total)
        yield bar


def advance(bar: Progress, step: float = 1) -> None:
    """Move the bar's only task forward."""
    bar.advance(bar.task_ids[0], step)
