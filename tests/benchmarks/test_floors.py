"""The floors beside the benchmarks: every operation with a target gets a floor and a ratio,
and `--check` exits 1 when a ratio misses its target (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run

OPS = ["import", "search", "merge-sample", "agree", "export-csv", "export-parquet"]


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    workdir = tmp_path_factory.mktemp("bench")
    patch = pytest.MonkeyPatch()
    patch.setattr(run, "TARGETS", dict.fromkeys(run.TARGETS, 1000000000.0))  # every ratio passes
    try:
        run.main(["--sizes", "300", "--workdir", str(workdir), "--ops", *OPS, "--check"])
    finally:
        patch.undo()
    lines = (workdir / "results.jsonl").read_text().splitlines()
    return workdir, [json.loads(line) for line in lines]


def test_every_operation_has_its_floor_and_ratio(measured: tuple[Path, list[dict[str, object]]]) -> None:
    _, results = measured
    assert [r["operation"] for r in results] == OPS
    for result in results:
        floor = result["floor"]
        assert isinstance(floor, dict) and floor["seconds"] > 0, result["operation"]
        assert isinstance(result["ratio"], float | int) and result["ratio"] > 0, result["operation"]
        assert result["target"] == 1e9
    families = {"import", "search", "merge", "agree", "export"}
    assert families == set(run.TARGETS)


def test_the_arithmetic_floor_of_agree_is_krippendorffs_alpha(
        measured: tuple[Path, list[dict[str, object]]]) -> None:
    agree = next(r for r in measured[1] if r["operation"] == "agree")
    floor = agree["floor"]
    assert isinstance(floor, dict) and floor["codes"] > 0 and floor["units"] > 0
    assert floor["bincount_alphas"] == pytest.approx(floor["alphas"], abs=1e-5)


def test_agree_states_a_second_floor_with_the_bare_read(measured: tuple[Path, list[dict[str, object]]]) -> None:
    """The package's alpha leaves out reading the codings from the project: the second floor is
    a bare sqlite3 script reading the same rows, plus the package's alpha, reported beside it."""
    floor = next(r for r in measured[1] if r["operation"] == "agree")["floor"]
    assert isinstance(floor, dict)
    assert floor["read_s"] > 0 and floor["read_cpu"] >= 0
    assert floor["with_read_s"] == pytest.approx(floor["read_s"] + floor["seconds"], abs=1e-3)


def test_check_exits_1_on_a_missed_ratio(measured: tuple[Path, list[dict[str, object]]],
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    workdir, _ = measured
    monkeypatch.setattr(run, "TARGETS", {**dict.fromkeys(run.TARGETS, 1000000000.0), "search": 0.0})
    with pytest.raises(SystemExit) as exit_:
        run.main(["--sizes", "300", "--workdir", str(workdir), "--ops", "search", "agree", "--check"])
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "| search | 300 |" in out and "MISSED" in out
    assert "missed: search at 300" in out and "agree at 300" not in out.split("missed:")[1]


def test_check_prints_each_ratio_against_its_target() -> None:
    results = [{"operation": "import", "size": 10, "seconds": 3.0, "floor": {"seconds": 2.0}, "ratio": 1.5,
                "target": 1.5},
               {"operation": "export-csv", "size": 10, "seconds": 4.0, "floor": {"seconds": 2.0}, "ratio": 2.0,
                "target": 1.3},
               {"operation": "open", "size": 10, "seconds": 1.0}]
    rows, misses = run.check(results)
    assert rows[2] == "| import | 10 | 2.000 | 3.000 | 1.50× | ≤ 1.5× | ok |"
    assert rows[3].endswith("| 2.00× | ≤ 1.3× | MISSED |")
    assert len(rows) == 4  # open has no floor here: no row
    assert misses == ["export-csv at 10: 2.0× > 1.3×"]


def test_pairs_alternate_the_operation_and_its_floor_and_report_the_medians(tmp_path: Path) -> None:
    """A single run's ratio swung 1.18-1.75x on a quiet machine as the floor's own time did:
    with --pairs the two alternate and the ratio is of the medians, each pair kept beside it."""
    patch = pytest.MonkeyPatch()
    patch.setattr(run, "TARGETS", dict.fromkeys(run.TARGETS, 1000000000.0))
    try:
        run.main(["--sizes", "300", "--workdir", str(tmp_path), "--ops", "import", "search", "--pairs", "3"])
    finally:
        patch.undo()
    results = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [r["operation"] for r in results] == ["import", "search"]
    for result in results:
        pairs = result["pairs"]
        assert len(pairs) == 3
        figures, floors = sorted(p[0] for p in pairs), sorted(p[1] for p in pairs)
        assert result.get("figure", result["seconds"]) == figures[1]
        assert result["floor"]["seconds"] == floors[1]
        assert result["ratio"] == round(figures[1] / floors[1], 2)
