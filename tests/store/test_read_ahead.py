"""The reading workers go on reading while the caller is busy (`accord import` writing the
full-text index), up to READ_AHEAD characters ahead of it: no more, and no fewer."""

from __future__ import annotations

import math
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
