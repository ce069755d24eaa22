"""Pilot fixtures: a project file on disk, an app on it, and a re-opened view of what it stored."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store import Project
from tests.conftest import documents, small_codebook
from tui.app import AccordApp

CODER = "alice"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with the small codebook and two documents of 3 and 2 paragraphs."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    return path


def stored(path: Path) -> Project:
    """The project file opened afresh: what a crash right now would leave."""
    return Project.open(path)


async def settle(pilot: Pilot) -> None:
    """Wait for workers and pending redraws, so assertions see a quiet app."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pilot_test(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test on its own event loop (no pytest asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@asynccontextmanager
async def coding(path: Path, coder: str = CODER, size: tuple[int, int] = (100, 30)) -> AsyncIterator[Pilot]:
    """An AccordApp on `path` for `coder`, settled before and after the test's keys."""
    app = AccordApp(path, coder)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot
        await settle(pilot)


def drawn(pilot: Pilot) -> str:
    """The text on the terminal right now, line by line (what the coder reads)."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())
