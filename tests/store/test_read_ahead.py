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
    submit = ProcessPoolExecutor.submit

    def counted(pool: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Any:
        submitted.append(1)
        return submit(pool, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    reading = read_files(files, workers=2)
    got = [next(reading) for _ in range(chunk)]  # the first task's files: 2 tasks were given out
    assert len(submitted) == 2
    got.append(next(reading))  # the second task's first file: the workers were given 8 tasks ahead
    assert len(submitted) == 1 + 8 < tasks
    got += list(reading)
    assert got == sequential  # the same documents and problems, in order
