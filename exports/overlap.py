"""Writing a chunk while the next one is read: two stages of an export on two cores.

An export reads a range of paragraphs from SQLite and builds its rows (Python, holding the
GIL), then turns them into CSV text or Parquet pages and writes them (Arrow's kernels and the
file system, which release it). Run one after the other, each waits for the other; run in two
threads, the export takes about as long as the slower of the two.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

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
