"""Where `accord export` spends its time: CPU and wall seconds per phase, per thread.

    python -m benchmarks.export_phases PROJECT OUTPUT FORMAT [OPTION ...]
    PYTHONPATH=OTHER_CHECKOUT python benchmarks/export_phases.py ...   # that checkout's export

runs the real command (as benchmarks.ops export does) with a clock around each of its parts,
wrapped in place, and prints one JSON object. An export reads each range of paragraphs in a
reader thread, builds its rows in the main thread, and writes the chunk before in a writer
thread (exports/overlap.py), while a fourth checks the pages; each phase is timed in the thread
that runs it, exclusive of the phases inside it (`cpu` is that thread's CPU time):

- main thread: `open` (the project, and its page check for stdout), `documents` (the documents'
  frame), `gaps` (counting required variables
  left unset), `grid` (Grid.build: the arrays of votes and the values check), `values` (whose
  codings, less the grid), `rows` (beside paragraphs and documents), `waiting` (for the writer
  to take the next chunk, or for the reader's next range), `other` (the rest: click, the codebook,
  the progress bar);
- reader thread (exports/overlap.py `read_ahead`): `sql.*` (the range reads of paragraphs,
  statuses and codings: SQLite's steps and the columns it makes), `frames` (those as frames),
  `chunk` (the rest of reading a chunk);
- check thread: `pages` (the page check of an export to a file, store.check_in_background);
- writer thread: `text` (CSV lines in Arrow) or `arrow` (the frame as an Arrow table), `write`
  (the file), `idle` (waiting for the next chunk);
- `busy`: the CPU and wall seconds of the main thread making chunks (`main`) and of the
  writer at work.
"""

from __future__ import annotations

import importlib
import json
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Clocks = dict[tuple[str, str], list[float]]
_stack = threading.local()


def _thread_name() -> str:
    """main, reader (the next range's reads), check (the page check) or writer."""
    if threading.current_thread() is threading.main_thread():
        return "main"
    name = threading.current_thread().name
    return next((short for prefix, short in (("accord-reader", "reader"), ("accord-check", "check"))
                 if name.startswith(prefix)), "writer")


def _timed(clocks: Clocks, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, its time added to `phase` of the calling thread, less the phases inside it."""
    def run(*args: Any, **kwargs: Any) -> Any:
        frames: list[list[float]] = getattr(_stack, "frames", None) or []
        _stack.frames = frames
        thread = _thread_name()
        inner = [0.0, 0.0]
        frames.append(inner)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            frames.pop()
            clocks[(thread, phase)][0] += cpu - inner[0]
            clocks[(thread, phase)][1] += wall - inner[1]
            if frames:
                frames[-1][0] += cpu
                frames[-1][1] += wall
    return run


def _wrap(clocks: Clocks, owner: Any, name: str, phase: str) -> None:
    setattr(owner, name, _timed(clocks, phase, getattr(owner, name)))


def main(argv: list[str]) -> None:
    """Wraps Accord's functions in place: run it in a process of its own (as `-m`)."""
    project, output, fmt, *options = argv
    for module in ("store.codebook.parser", "store.intake.readers", "tui.cli"):
        importlib.import_module(module)
    import pyarrow.parquet as pq

    from exports import coded, datasets, delimited, overlap
    from store.project import Project
    from store.range_reads import RangeReads
    from tui.cli import main as cli

    clocks: Clocks = defaultdict(lambda: [0.0, 0.0])
    busy: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    opening = Project.__dict__["open"].__func__
    setattr(Project, "open", classmethod(_timed(clocks, "open", opening)))  # noqa: B010
    # The reads of this checkout and of the one before them (run it with another checkout's
    # store and exports first on PYTHONPATH to see where that one spent its time).
    for name, phase in (("paragraph_columns", "paragraphs"), ("paragraph_rows", "paragraphs"),
                        ("status_columns_at", "statuses"), ("status_rows_at", "statuses"),
                        ("coding_columns_at", "codings"), ("coding_rows_at", "codings"),
                        ("document_paragraph_counts", "paragraphs")):
        if hasattr(RangeReads, name):
            _wrap(clocks, RangeReads, name, f"sql.{phase}")
    import store.integrity

    _wrap(clocks, store.integrity, "quick_check", "pages")
    _wrap(clocks, datasets, "document_frame", "documents")
    _wrap(clocks, datasets, "read_chunk", "chunk")
    _wrap(clocks, datasets.GapTally, "count", "gaps")
    for name in ("_paragraph_frame", "_columns_frame"):
        if hasattr(datasets, name):
            _wrap(clocks, datasets, name, "frames")
    _wrap(clocks, coded.Grid, "build", "grid")
    _wrap(clocks, datasets, "values", "values")
    _wrap(clocks, datasets, "_wide_rows", "rows")
    _wrap(clocks, datasets, "_long_rows", "rows")
    _wrap(clocks, delimited, "_lines", "text")
    _wrap(clocks, pq.ParquetWriter, "write_table", "write")
    original = overlap.overlapped

    def overlapped(items: Any, work: Callable[[Any], None], ahead: int = overlap.AHEAD) -> int:
        def worked(item: Any) -> None:
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                work(item)
            finally:
                busy["writer"][0] += time.thread_time() - cpu
                busy["writer"][1] += time.perf_counter() - wall

        def made() -> Any:
            iterator = iter(items)
            while True:
                cpu, wall = time.thread_time(), time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    busy["main"][0] += time.thread_time() - cpu
                    busy["main"][1] += time.perf_counter() - wall
                yield item

        wall = time.perf_counter()
        try:
            return original(made(), worked, ahead)
        finally:
            busy["overlapped"][1] += time.perf_counter() - wall

    overlap.overlapped = overlapped  # type: ignore[assignment]
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    main_cpu = time.thread_time()
    cli(["--project", project, "export", "--format", fmt, "-o", output, "--force", *options], standalone_mode=False)
    total_cpu, total_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    main_cpu = time.thread_time() - main_cpu
    phases: dict[str, dict[str, float | None]] = {}
    for (thread, phase), (cpu, wall) in sorted(clocks.items()):
        phases[f"{thread}.{phase}"] = {"cpu": round(cpu, 3), "seconds": round(wall, 3)}
    # The writer's time not in a phase is the writing of what its phase made (CSV) or the rest.
    writer_cpu, writer_wall = busy["writer"]
    rest_cpu = writer_cpu - sum(c for (t, _), (c, _w) in clocks.items() if t == "writer")
    rest_wall = writer_wall - sum(w for (t, _), (_c, w) in clocks.items() if t == "writer")
    phases["writer.write" if fmt in ("csv", "tsv") else "writer.arrow"] = {"cpu": round(rest_cpu, 3),
                                                                          "seconds": round(rest_wall, 3)}
    # The main thread in overlapped() but not making the next chunk: waiting for the writer.
    phases["main.waiting"] = {"cpu": 0.0, "seconds": round(busy.pop("overlapped")[1] - busy["main"][1], 3)}
    main_phases = sum(c for (t, _), (c, _w) in clocks.items() if t == "main")
    phases["main.other"] = {"cpu": round(main_cpu - main_phases, 3), "seconds": None}
    print(json.dumps({
        "cpu": round(total_cpu, 3), "seconds": round(total_wall, 3), "main_cpu": round(main_cpu, 3),
        "busy": {side: {"cpu": round(c, 3), "seconds": round(w, 3)} for side, (c, w) in busy.items()},
        "phases": phases}))


if __name__ == "__main__":
    main(sys.argv[1:])
