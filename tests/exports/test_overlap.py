"""Writing a chunk while the next is read: order kept, errors from either side raised, and a
failed export leaves no file (the atomic write)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from exports.datasets import DatasetSpec, build_dataset
from exports.overlap import AHEAD, overlapped
from exports.writers import write_dataset
from store import Project
from tests.helpers import code_two_coders


def test_work_runs_in_order_in_another_thread() -> None:
    seen: list[tuple[int, str]] = []
    count = overlapped(iter(range(7)), lambda item: seen.append((item, threading.current_thread().name)))
    assert count == 7
    assert [item for item, _ in seen] == list(range(7))
    assert {name for _, name in seen} != {threading.current_thread().name}


def test_a_failing_writer_stops_the_reading() -> None:
    made: list[int] = []

    def items() -> Iterator[int]:
        for item in range(100):
            made.append(item)
            yield item

    def work(item: int) -> None:
        if item == 2:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        overlapped(items(), work)
    assert len(made) <= 2 + AHEAD + 1  # not the whole corpus read for nothing


@pytest.mark.parametrize("fmt", ["csv", "parquet", "tsv"])
def test_a_failing_read_leaves_no_file(project: Project, tmp_path: Path, fmt: str) -> None:
    code_two_coders(project)
    target = tmp_path / f"out.{fmt}"
    failing = build_dataset(project, DatasetSpec(coder="alice"), chunk_size=2)
    chunks = failing.chunks

    def broken() -> Iterator[pd.DataFrame]:
        yield next(chunks)
        yield next(chunks)
        raise RuntimeError("read failed")

    failing.chunks = broken()
    with pytest.raises(RuntimeError, match="read failed"):
        write_dataset(failing, fmt, target)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
