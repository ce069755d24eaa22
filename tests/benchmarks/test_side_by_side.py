"""benchmarks.side_by_side: both sides run, alternated, and the ratio is of their medians."""

from __future__ import annotations

from pathlib import Path

from benchmarks.side_by_side import AFTER, side_by_side
from store import build_demo


def test_both_sides_open_the_project_and_the_ratio_is_of_the_medians(tmp_path: Path) -> None:
    project = build_demo(tmp_path)
    result = side_by_side(AFTER, ["open", str(project)], rounds=2)
    for side in ("before", "after"):
        assert len(result[side]["cpu"]) == 2 and result[side]["cpu_min"] <= result[side]["cpu_median"]
    assert result["ratio"] == round(result["after"]["cpu_median"] / result["before"]["cpu_median"], 2)
