"""The reading workers go on reading while the caller is busy (`accord import` writing the
full-text index), up to READ_AHEAD characters ahead of it: no more, and no fewer."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import store.intake.readers
from benchmarks.synthetic import write_corpus
from store.intake.readers import find_files, read_files


def test_workers_read_ahead_of_a_busy_caller_up_to_read_ahead_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "corpus", 900, seed=2)
    files, _ = find_files([tmp_path / "corpus"])
    sequential = list(read_files(files, workers=1))
    chunk, tasks = 3, math.ceil(len(files) / 3)
    first_task = sum(len(text) for documents, _ in sequential[:chunk] for d in documents for text in d.paragraphs)
    monkeypatch.setattr(store.intake.readers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(store.intake.readers, "CHUNK", chunk)
    monkeypatch.setattr(store.intake.readers, "AHEAD", 1)
    monkeypatch.setattr(store.intake.readers, "READ_AHEAD", 8 * first_task)  # 8 tasks like the first
    submitted: list[int] = []
    read_here: list[int] = []  # files the caller read itself while it waited for the workers
    submit, read_file = ProcessPoolExecutor.submit, store.intake.readers.read_file

    def counted(pool: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Any:
        submitted.append(1)
        return submit(pool, *args, **kwargs)

    def counted_here(*args: Any) -> Any:  # counts in this process only (the workers count in theirs)
        read_here.append(1)
        return read_file(*args)

    def given() -> int:
        """Tasks given to the workers or read by the caller."""
        return len(submitted) + math.ceil(len(read_here) / chunk)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    monkeypatch.setattr(store.intake.readers, "read_file", counted_here)
    reading = read_files(files, workers=2)
    got = [next(reading) for _ in range(chunk)]  # the first task's files: 2 tasks given to workers
    assert len(submitted) == 2 and given() <= 4  # and at most 2 more read while waiting for the first
    got.append(next(reading))  # the second task's first file: 8 tasks ahead, and at most 8 more read here
    assert 1 + 8 <= given() <= 1 + 16 < tasks
    got += list(reading)
    assert got == sequential  # the same documents and problems, in order
    assert given() == tasks


_HOLDS_READING = """
import os, sys, time
from pathlib import Path
from store.intake.readers import find_files, read_files
files, _ = find_files([sys.argv[1]])
reading = read_files(files, workers=2)
next(reading)
children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
print(" ".join(children), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_reading_workers_end_with_an_import_killed_midway(tmp_path: Path) -> None:
    """An import killed with SIGKILL left its two reading workers asleep for good, waiting for
    tasks from a writer that was gone: they now end with it."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(store.intake.readers.PARALLEL_FROM + 50):
        (folder / f"{n:03d}.txt").write_text(f"Text {n}.\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", _HOLDS_READING, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
