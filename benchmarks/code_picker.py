"""The coding screen with 1,000 codes beside the shipped codebook (20 codes), side by side.

    python -m benchmarks.code_picker [--codes 1000] [--paragraphs 1000] [--dir DIR] [--repeat N]

Two projects alike but for the codebook: the same synthetic corpus, two coders who did half of
it with about four codes a paragraph. Startup is timed as in `benchmarks.coding_screen` (a
fresh process, imports included, to the first paint at 120x40); keys from the key event to the
first frame drawn after the change, with its `Probe`. The picker's keystroke is timed from the
letter to the frame with the new matches, and its matching alone (`CodeIndex.search`, every
code scored) over queries of one to six letters. Medians; the two codebooks alternate so that
machine load hits both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.big_codebook import big_codebook
from benchmarks.coding_screen import CODER, SIZE, Probe, startup, working_copy
from benchmarks.synthetic import add_codings, make_project
from store import Codebook, Project, default_codebook_path, load_codebook
from tui.app import AccordApp
from tui.code_index import CodeIndex
from tui.codebook_view import CodebookView
from tui.screens.code_picker import CodePicker

QUERIES = ("s", "st", "sto", "stoc", "stock", "stockp", "tr", "brk fund", "gender", "zzz")
CODES_PER_PARAGRAPH = 4


def project_for(directory: Path, name: str, codebook: Codebook, paragraphs: int) -> Path:
    """A project of `paragraphs` synthetic paragraphs with `codebook`, half done by two coders."""
    path = directory / f"picker-{name}-{paragraphs}.db"
    if not path.exists():
        codes = sum(1 for code in codebook.walk() if code.kind == "code")
        with make_project(path, paragraphs, max(20, paragraphs // 50), codebook=codebook) as project:
            add_codings(project, [CODER, "bob"], done_share=0.5, prevalence=CODES_PER_PARAGRAPH / codes)
    with Project.open(path) as project:
        start = project.next_not_done(CODER, after_seq=paragraphs // 2) or 1
        project.set_last_paragraph(CODER, project.paragraph_at(start).id)  # type: ignore[union-attr]
    return path


async def key_timings(path: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds per key: a digit's toggle, enter, right, the picker opened, a letter typed in it,
    enter in it (the code toggled and the screen back)."""
    timings: dict[str, list[float]] = {}
    app = AccordApp(path, CODER)
    probe = Probe(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        probe.count(screen, "refresh_view")

        async def timed(name: str, key: str, character: str | None, changed_at: Callable[[], float | None]) -> None:
            wall, _ = await probe.key(key, character, changed_at)
            timings.setdefault(name, []).append(wall)
            await pilot.pause()

        def redrawn() -> Callable[[], float | None]:
            before = probe.redraws
            return lambda: probe.redrawn_at if probe.redraws > before else None

        def picker_shown() -> float | None:
            return time.perf_counter() if isinstance(app.screen, CodePicker) and app.screen.query("#picker-codes") else None

        for _ in range(repeat):
            await timed("1 (toggle the first code)", "1", "1", redrawn())
            await timed("right (next paragraph)", "right", None, redrawn())
            await timed("enter (done, next not done)", "enter", "\r", redrawn())
            await timed(": (picker shown)", "colon", ":", picker_shown)
            picker = app.screen
            probe.count(picker, "show")
            for letter in "stock":
                await timed("a letter typed in the picker (matches shown)", letter, letter, redrawn())
            await timed("enter in the picker (code toggled, screen redrawn)", "enter", "\r", redrawn())
    return timings


def search_timings(codebook: Codebook, repeat: int) -> list[float]:
    """Seconds for `CodeIndex.search` of each query over every code and variable."""
    index = CodeIndex([row.code for row in CodebookView(codebook).rows])
    recent = [entry.code.id for entry in index.entries[:20:3]]
    seconds = []
    for _ in range(repeat):
        for query in QUERIES:
            start = time.perf_counter()
            index.search(query, recent)
            seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--codes", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    codebooks = {"shipped": load_codebook(default_codebook_path()), f"{args.codes:,} codes": big_codebook(args.codes)}
    paths = {name: project_for(args.dir, name.split()[0].replace(",", ""), codebook, args.paragraphs)
             for name, codebook in codebooks.items()}
    results: dict[str, dict[str, list[float]]] = {name: {} for name in codebooks}
    for _ in range(max(3, args.repeat // 2)):
        for name, path in paths.items():
            wall, cpu = startup(path)
            results[name].setdefault("startup to first paint", []).append(wall)
            results[name].setdefault("startup, CPU time to first paint", []).append(cpu)
    for _ in range(3):
        for name, path in paths.items():
            results[name].setdefault("picker matching alone (one query, every code)", []).extend(
                search_timings(codebooks[name], args.repeat))
            copy = working_copy(path)
            for measure, values in asyncio.run(key_timings(copy, max(1, args.repeat // 3))).items():
                results[name].setdefault(measure, []).extend(values)
            copy.unlink()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.paragraphs:,} paragraphs")
    print(table(results))


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """Medians per codebook and the ratio of the large one to the shipped one (Markdown)."""
    small, large = list(results)
    lines = [f"| measure (median) | {small} codebook | {large} | ratio |", "|---|---:|---:|---:|"]
    for name in results[small]:
        a, b = (statistics.median(results[book][name]) for book in (small, large))
        unit, scale, digits = ("s", 1, 2) if name.startswith("startup") else ("ms", 1000, 1)
        lines.append(f"| {name} | {a * scale:.{digits}f} {unit} | {b * scale:.{digits}f} {unit} | {b / a:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
