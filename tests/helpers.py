"""Helpers every test may import: where the repository and its test data are, a small codebook,
documents of chosen sizes, ways to code them, and the Pilot helpers of the TUI tests.

Fixtures live in the conftest files; everything here is a plain constant or function.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from exports.agreement import brennan_prediger
from exports.alpha import Interval
from exports.ratings import Ratings
from exports.report_columns import Bootstrap, CoefficientColumn
from store import CONSENSUS, Code, Codebook, Level, Project
from store.intake.source import SourceDocument

if TYPE_CHECKING:
    from textual.pilot import Pilot

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
"""Files the tests read, kept in the repository so that a plain clone passes (see its README)."""
KAZAKHSTAN = DATA / "unsc-kazakhstan"
"""Five statements by Kazakhstan to the Security Council, as text extracted from the PDF records."""
REFI_SCHEMAS = DATA / "refi-qda"
"""The published REFI-QDA 1.0 schemas, Project.xsd and Codebook.xsd."""

SMALL_YAML = """\
codebook: Test codebook
version: "1"
codes:
  - id: border_control
    label: Border control
    key: b
  - id: wmd
    label: WMD
    key: w
    children:
      - id: nuclear
        label: Nuclear
        key: n
variables:
  - id: stance
    label: Stance
    kind: single
    key: s
    levels:
      - {value: support, label: Supports}
      - {value: oppose, label: Opposes}
"""


def small_codebook(source: str = SMALL_YAML) -> Codebook:
    """The codebook of SMALL_YAML as models, built by hand so store tests need no parser."""
    return Codebook(
        title="Test codebook",
        version="1",
        codes=(
            Code(id="border_control", label="Border control", key="b"),
            Code(
                id="wmd",
                label="WMD",
                key="w",
                children=(Code(id="nuclear", label="Nuclear", key="n", parent_id="wmd"),),
            ),
        ),
        variables=(
            Code(
                id="stance",
                label="Stance",
                kind="single",
                key="s",
                levels=(Level("support", "Supports"), Level("oppose", "Opposes")),
            ),
        ),
        source=source,
    )


def documents(*sizes: int, prefix: str = "doc") -> list[SourceDocument]:
    """Documents with the given numbers of paragraphs."""
    return [
        SourceDocument(
            id=f"{prefix}{d}",
            paragraphs=[f"Paragraph {p} of {prefix}{d} on border control." for p in range(1, n + 1)],
            source=f"{prefix}{d}.txt",
            speaker="Mr. Test",
            country="Testland",
        )
        for d, n in enumerate(sizes, start=1)
    ]


def code_paragraphs(project: Project, coder: str, codings: dict[str, dict[str, object]], done: bool = True) -> None:
    """Record `coder`'s codings ({paragraph id: {code: value}}) through the Project API, marking
    each paragraph done unless `done` is False."""
    for paragraph_id, values in codings.items():
        for code_id, value in values.items():
            project.set_coding(paragraph_id, coder, code_id, value)
        if done:
            project.set_status(paragraph_id, coder, "done")


def code_two_coders(project: Project) -> Project:
    """alice and bob on the fixture `project` (doc1: 3 paragraphs, doc2: 2), a small coded
    project that export tests share: two coders, one adjudicator, notes and flags.

    doc1:1 both apply border_control, both say stance=support, alice notes, bob flags;
    doc1:2 they disagree on border_control (alice 1, bob 0); adjudicated to 0 by consensus;
    doc1:3 nobody has done it (alice applied wmd but did not mark it done);
    doc2:1 only alice did it (wmd, nuclear); doc2:2 untouched.
    """
    for coder in ("alice", "bob"):
        project.set_coding("doc1:1", coder, "border_control", 1)
        project.set_coding("doc1:1", coder, "stance", "support")
        project.set_status("doc1:1", coder, "done")
        project.set_coding("doc1:2", coder, "border_control", 1 if coder == "alice" else 0)
        project.set_status("doc1:2", coder, "done")
    project.set_note("doc1:1", "alice", "=HYPERLINK(\"x\")")
    project.set_flag("doc1:1", "bob", True)
    project.set_coding("doc1:3", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "nuclear", 1)
    project.set_status("doc2:1", "alice", "done")
    project.set_coding("doc1:2", CONSENSUS, "border_control", 0)
    project.set_status("doc1:2", CONSENSUS, "done")
    return project


# The TUI tests drive the app through Textual's Pilot.
CODER = "alice"


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
    from tui.app import AccordApp  # here, so that store and exports tests never load Textual

    app = AccordApp(path, coder)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot
        await settle(pilot)


def drawn(pilot: Pilot) -> str:
    """The text on the terminal right now, line by line (what the coder reads)."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


def _bootstrap_stub(ratings: Ratings, level: str, replicates: int, seed: int) -> Interval:
    """A fixed interval: the tests are about where it is shown, not how it is drawn."""
    return Interval(0.1111, 0.9999)


EXTRA_COLUMN = CoefficientColumn(
    "brennan_prediger", "BP", lambda ratings, level: brennan_prediger(ratings), Bootstrap("bp", _bootstrap_stub),
)
"""Brennan and Prediger's coefficient, with a stub interval: not in the report until a test adds it."""


def big_codebook_project(path: Path, codes: int = 300) -> Path:
    """A project at `path` with a deterministic codebook of `codes` codes in parents of ten (no
    `key:` anywhere, two variables) and documents of 3 and 2 paragraphs."""
    from benchmarks.big_codebook import big_codebook

    with Project.create(path, big_codebook(codes)) as project:
        project.import_documents(documents(3, 2))
    return path
