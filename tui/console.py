"""Terminal output shared by the commands: data to stdout, messages and progress to stderr."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

out = Console(soft_wrap=True)
err = Console(stderr=True)


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


def advance(bar: Progress, step: int = 1) -> None:
    """Move the bar's only task forward."""
    bar.advance(bar.task_ids[0], step)
