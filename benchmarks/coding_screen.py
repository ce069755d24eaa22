"""How fast the coding screen is at 1,000, 100,000 and 1,000,000 paragraphs, side by side.

    python -m benchmarks.coding_screen [--sizes 1000 100000 1000000] [--dir DIR] [--repeat N]

Projects are built once and kept in DIR; each run of the keys works on a fresh copy. The one of 1,000,000 paragraphs is a copy
of the scale benchmark's (`benchmarks.run`: /tmp/accord-scale-bench/coded-1000000.db, three coders
who did 20 % each) with the two coders of the smaller ones added: building it afresh takes
about half an hour.

Startup is timed in a fresh Python process (imports included) from the first line of the
script to the coding screen's first refresh, headless at 120x40. Each key is timed in-process
from the key event reaching the app to the first frame drawn after the change was committed to
the project file and the screen redrawn from it (Pilot is only used to set up: its own waits
would dominate). Medians; sizes alternate so that machine load hits both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import add_codings, make_project
from store import Project
from textual import events
from textual.widgets import OptionList

from tui.app import AccordApp
from tui.screens.dialogs import LevelChooser
from tui.screens.documents import DocumentsScreen
from tui.widgets.paged_list import PagedList
from tui.codebook_view import CodebookView, Row

CODER = "alice"
SIZE = (120, 40)

STARTUP = """
import time; start = time.perf_counter()
import asyncio, sys
from pathlib import Path
from tui.app import AccordApp

cpu_at_paint = []
painted = AccordApp.painted

def timed_painted(self):
    cpu_at_paint.append(time.process_time())
    painted(self)

AccordApp.painted = timed_painted

async def main():
    app = AccordApp(Path(sys.argv[1]), "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.first_paint is None:
            await pilot.pause(0.001)
        print(app.first_paint - start, cpu_at_paint[0])

asyncio.run(main())
"""


SCALE_PROJECTS = Path(tempfile.gettempdir()) / "accord-scale-bench"
COPIED_FROM = 1_000_000
"""From this size on, the project is copied from the scale benchmark's, not built."""


def project_for(directory: Path, paragraphs: int, scale: Path = SCALE_PROJECTS) -> Path:
    """A synthetic project where two coders did half the corpus: documents of 50 paragraphs, and
    at least 100 documents, so that the document list overfills its dialog at every size (with
    20 documents at 1,000 paragraphs it drew fewer rows than at 100,000: not like with like)."""
    path = directory / f"coding-{paragraphs}.db"
    if not path.exists():
        source = scale / f"coded-{paragraphs}.db"
        if paragraphs >= COPIED_FROM and source.exists():
            partial = path.with_suffix(".partial")
            shutil.copyfile(source, partial)  # the shared file stays read-only: the app writes
            with Project.open(partial, verify=False) as project:
                add_codings(project, [CODER, "bob"], done_share=0.5)
            partial.rename(path)
        else:
            with make_project(path, paragraphs, max(100, paragraphs // 50)) as project:
                add_codings(project, [CODER, "bob"], done_share=0.5)
    with Project.open(path) as project:  # start on a paragraph to mark done, mid-corpus
        start = project.next_not_done(CODER, after_seq=paragraphs // 2) or 1
        project.set_last_paragraph(CODER, project.paragraph_at(start).id)  # type: ignore[union-attr]
    return path


def working_copy(path: Path) -> Path:
    """A copy of the project for one run of the keys, which write to it: every run, before
    and after a change alike, starts from the same state (the keys mark paragraphs done,
    and `enter` on a paragraph already done does less)."""
    copy = path.with_name(f"run-{path.name}")
    shutil.copyfile(path, copy)
    return copy


def startup(path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) from its first line to the first paint.

    CPU time shows what startup costs on a machine of one's own: the wall time of a shared
    machine grows with everyone else's load.
    """
    result = subprocess.run([sys.executable, "-c", STARTUP, str(path)], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parent.parent)
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


class Probe:
    """Knows when the app put frames on the (headless) terminal, and how often and when the
    coding screen or the search results were last redrawn from the project file."""

    def __init__(self, app: AccordApp) -> None:
        self.app = app
        self.frames: list[float] = []
        self.redraws = 0
        self.redrawn_at = 0.0
        display = app._display

        def timed_display(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.frames.append(time.perf_counter())

        app._display = timed_display  # type: ignore[method-assign]

    def count(self, obj: object, method: str) -> None:
        original = getattr(obj, method)

        def counted(*args: object) -> object:
            result = original(*args)
            self.redraws += 1
            self.redrawn_at = time.perf_counter()
            return result

        setattr(obj, method, counted)

    async def key(self, key: str, character: str | None,
                  changed_at: Callable[[], float | None]) -> tuple[float, float]:
        """Seconds from the key reaching the app to the first frame drawn after the change
        (`changed_at()`: its moment, None until it happened), wall and CPU (the process's,
        all threads)."""
        start, cpu = time.perf_counter(), time.process_time()
        self.app._driver.send_message(events.Key(key, character))  # type: ignore[union-attr]
        while (changed := changed_at()) is None:
            await asyncio.sleep(0.0005)
        waited = time.perf_counter()
        # The frame may already be out (the change is timed where it happened, not when seen);
        # a change seen late, with no frame after it for a second, had its frame while unseen.
        while not (after := [f for f in self.frames if f >= changed]) and time.perf_counter() - waited < 1:
            await asyncio.sleep(0.0005)
        frame = after[0] if after else max(f for f in self.frames if f >= start)
        return frame - start, time.process_time() - cpu


async def key_timings(path: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds per key: toggle, enter (done + next not done), right, left, context, flag, undo,
    search, document list, a variable's levels."""
    timings: dict[str, list[float]] = {}
    app = AccordApp(path, CODER)
    code_key = next(row.key for row in _rows(app) if row.key)
    variable_key = next(row.key for row in CodebookView(app.session.codebook).rows
                        if row.code.kind != "code" and row.key)
    probe = Probe(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the page check after the first paint (1 s at 1M)
        screen = app.screen
        probe.count(screen, "refresh_view")

        async def timed(name: str, key: str, character: str | None, changed_at: Callable[[], float | None]) -> None:
            wall, cpu = await probe.key(key, character, changed_at)
            timings.setdefault(name, []).append(wall)
            timings.setdefault(f"{name}, CPU", []).append(cpu)
            await pilot.pause()

        def redrawn() -> Callable[[], float | None]:
            before = probe.redraws
            return lambda: probe.redrawn_at if probe.redraws > before else None

        def shown(kind: type, part: type) -> Callable[[], float | None]:
            """When a dialog of `kind` with its `part` (the list) is on screen."""
            return lambda: time.perf_counter() if isinstance(app.screen, kind) and app.screen.query(part) else None

        for _ in range(repeat):
            await timed("toggle a code", code_key, code_key, redrawn())
            await timed("enter (done, next not done)", "enter", "\r", redrawn())
            await timed("right (next paragraph)", "right", None, redrawn())
            await timed("left (previous paragraph)", "left", None, redrawn())
            await timed("C (context hidden or shown)", "C", "C", redrawn())
            await timed("f (flag)", "f", "f", redrawn())
            await timed("u (undo the flag)", "u", "u", redrawn())
            await pilot.press("slash", *"stockpil")
            await app.workers.wait_for_complete()
            search = app.screen
            probe.count(search, "show_hits")
            await timed("search (last letter to results)", "e", "e", redrawn())
            await pilot.press("escape")
            await timed("g (document list shown)", "g", "g", shown(DocumentsScreen, PagedList))
            await pilot.press("escape")
            await timed("a variable's key (its levels shown)", variable_key, variable_key,
                        shown(LevelChooser, OptionList))
            await pilot.press("escape")
            await pilot.pause()
    return timings


def _rows(app: AccordApp) -> list[Row]:
    """Codebook rows of plain codes (the benchmark toggles the first one with a key)."""
    return [row for row in CodebookView(app.session.codebook).rows if row.code.kind == "code"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    paths = {size: project_for(args.dir, size) for size in args.sizes}

    results: dict[int, dict[str, list[float]]] = {size: {} for size in args.sizes}
    for _ in range(max(3, args.repeat // 3)):
        for size, path in paths.items():
            wall, cpu = startup(path)
            results[size].setdefault("startup to first paint", []).append(wall)
            results[size].setdefault("startup, CPU time to first paint", []).append(cpu)
    for _ in range(3):
        for size, path in paths.items():
            copy = working_copy(path)
            for name, values in asyncio.run(key_timings(copy, max(1, args.repeat // 3))).items():
                results[size].setdefault(name, []).extend(values)
            copy.unlink()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(table(results, args.sizes))


def table(results: dict[int, dict[str, list[float]]], sizes: list[int]) -> str:
    """Medians per size, and how the largest size compares with the smallest (Markdown)."""
    small, large = sizes[0], sizes[-1]
    lines = ["| measure (median) | " + " | ".join(f"{size:,} ¶" for size in sizes) + f" | ratio {large:,} / {small:,} |",
             "|---|" + "---:|" * (len(sizes) + 1)]
    for name in results[small]:
        medians = [statistics.median(results[size][name]) for size in sizes]
        unit, scale, digits = ("s", 1, 2) if name.startswith("startup") else ("ms", 1000, 1)
        cells = " | ".join(f"{m * scale:.{digits}f} {unit}" for m in medians)
        lines.append(f"| {name} | {cells} | {medians[-1] / medians[0]:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
