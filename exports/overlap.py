"""Writing a chunk while the next one is read: two stages of an export on two cores.

An export reads a range of paragraphs from SQLite and builds its rows (Python, holding the
GIL), then turns them into CSV text or Parquet pages and writes them (Arrow's kernels and the
file system, which release it). Run one after the other, each waits for the other; run in two
threads, the export takes about as long as the slower of the two.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from store import Project

T = TypeVar("T")

AHEAD = 1
"""Chunks made ahead of the one being written: each holds its rows in memory, so this bounds
what the overlap costs (two chunks at most besides the one being built)."""


def overlapped(items: Iterable[T], work: Callable[[T], None], ahead: int = AHEAD) -> int:
    """`work(item)` for every item, in order, in one worker thread, while this thread makes the
    next items. An error on either side stops both and is raised here, once the worker is idle
    (so a file being written is closed before anyone removes it). How many items."""
    done = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-writer") as pool:
        pending: deque[Future[None]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                while len(pending) > ahead:
                    pending.popleft().result()
                    done += 1
            while pending:
                pending.popleft().result()
                done += 1
        finally:
            for future in pending:
                future.cancel()
    return done


def read_ahead(path: Path, ranges: Iterable[tuple[int, int]], read: Callable[[Project, int, int], T],
               ahead: int = AHEAD) -> Iterator[T]:
    """`read(project, first, last)` for each range, in order, in a thread of its own on a
    connection of its own to the project at `path` (a connection serves the thread that opened
    it), at most `ahead` ranges ahead of the one handed out: SQLite lets go of the GIL while it
    steps, so the reads of the next range run beside the Python that builds this one's rows.
    The connection is closed, in its thread, when the ranges end or the caller stops."""
    import threading

    from store import Project

    local = threading.local()

    def in_reader(first: int, last: int) -> T:
        if not hasattr(local, "project"):
            local.project = Project.open(path, verify=False)  # the caller's open checked it
        return read(local.project, first, last)

    def close() -> None:
        if hasattr(local, "project"):
            local.project.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-reader") as pool:
        pending: deque[Future[T]] = deque()
        try:
            for first, last in ranges:
                pending.append(pool.submit(in_reader, first, last))
                if len(pending) > ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            pool.submit(close)
