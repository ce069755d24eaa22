"""Coders sharing one project file lose nothing: the many-coders benchmark run small."""

from __future__ import annotations

from pathlib import Path

from benchmarks.many_coders import run
from benchmarks.synthetic import make_project


def test_six_coders_on_one_file_with_status_export_and_agree_beside_them(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    make_project(path, 300).close()
    result = run(path, coders=6, seconds=3, work=tmp_path)
    # No timing assertion: latencies on a shared machine are the benchmark's job, not a test's.
    assert result.keys > 6 * 5
    assert result.commands_run >= 1
    assert result.errors == []
    assert result.lost_writes == []
