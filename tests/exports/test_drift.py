"""The drift view's figures against a brute-force computation on random projects: three coders who
each do a random share of the paragraphs in a random order, an adjudicator who decides some."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from exports.alpha import krippendorff_alpha
from exports.drift import drift_report
from store import CONSENSUS, Project
from tests.helpers import documents, small_codebook

CODES = ("border_control", "wmd", "stance")
CODERS = ("ann", "bob", "cat")
WINDOW = 6
Work = dict[str, dict[str, dict[str, object]]]
"""coder -> paragraph -> code -> value, paragraphs in the order the coder did them."""


def random_project(path: Path, seed: int) -> Work:
    rng = random.Random(seed)
    ids = [f"doc{d}:{p}" for d, n in ((1, 14), (2, 16)) for p in range(1, n + 1)]
    work: Work = {}
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(14, 16))
        for coder in (*CODERS, CONSENSUS):
            chosen = rng.sample(ids, rng.randint(8, len(ids)) if coder != CONSENSUS else 6)
            work[coder] = {}
            for pid in chosen:
                values: dict[str, object] = {"border_control": int(rng.random() < 0.5), "wmd": int(rng.random() < 0.3)}
                if rng.random() < 0.7:
                    values["stance"] = rng.choice(["support", "oppose"])
                for code, value in values.items():
                    if value:
                        project.set_coding(pid, coder, code, value)
                project.set_status(pid, coder, "done")
                work[coder][pid] = values
    return work


def brute_force(work: Work, coder: str) -> list[dict[str, object]]:
    """Each window of the coder's compared paragraphs: percent agreement and alpha per code."""
    decided = work[CONSENSUS]
    others = [other for other in CODERS if other != coder]
    compared = [pid for pid in work[coder] if any(pid in work[o] for o in others)]
    windows = []
    for start in range(0, len(compared), WINDOW):
        part = compared[start:start + WINDOW]
        pairs: dict[str, list[tuple[object, object]]] = {code: [] for code in CODES}
        for pid in part:
            references = [decided[pid]] if pid in decided else [work[o][pid] for o in others if pid in work[o]]
            for code in CODES:
                for reference in references:
                    mine, theirs = work[coder][pid].get(code, 0), reference.get(code, 0)
                    if code == "stance":
                        mine, theirs = work[coder][pid].get(code), reference.get(code)
                    if mine is not None and theirs is not None:
                        pairs[code].append((mine, theirs))
        alphas = {code: krippendorff_alpha([[a for a, _ in p], [b for _, b in p]]).value if p else None
                  for code, p in pairs.items()}
        together = [pair for p in pairs.values() for pair in p]
        defined = [a for a in alphas.values() if a is not None]
        windows.append({"first": part[0], "last": part[-1], "paragraphs": len(part),
                        "percent": sum(a == b for a, b in together) / len(together),
                        "alphas": alphas, "mean": sum(defined) / len(defined) if defined else None})
    return windows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_window_matches_a_brute_force_count(tmp_path: Path, seed: int) -> None:
    work = random_project(tmp_path / "accord.db", seed)
    with Project.open(tmp_path / "accord.db") as project:
        report = drift_report(project, "time", WINDOW, codes=list(CODES))
    assert report.coders == list(CODERS) and report.consensus == 6
    for coder in CODERS:
        rows = [row for row in report.rows if row.coder == coder]
        expected = brute_force(work, coder)
        assert len(rows) == len(expected)
        for row, want in zip(rows, expected, strict=True):
            assert (row.first_paragraph, row.last_paragraph, row.paragraphs) == (want["first"], want["last"],
                                                                                 want["paragraphs"])
            if row.paragraphs < WINDOW // 2:
                assert row.alpha is None and row.percent_agreement is None and "too few" in (row.reason or "")
                continue
            assert row.percent_agreement == pytest.approx(want["percent"], abs=1e-12)
            for code in CODES:
                assert row.per_code[code] == pytest.approx(want["alphas"][code], abs=1e-9)  # type: ignore[index]
            assert row.alpha == pytest.approx(want["mean"], abs=1e-9)


def test_json_rows_are_the_json_of_each_row(tmp_path: Path) -> None:
    """The JSON's rows are written column by column (exports/drift_report.py): each line must be
    json.dumps of the row, whatever the values (None, NaN-free floats, quotes, non-ASCII)."""
    import json

    from exports.drift import DriftReport, DriftRow
    from exports.drift_report import row_dict, to_json

    rows = [DriftRow("bób", None, 'doc "1"', "d:1", "d:9", None, "2024-01-01T00:00:00", 12, 400, 0.8125, None, 0,
                     {"wmd": None, "stance": -0.25}, "too few paragraphs (2 < 3)"),
            DriftRow(None, None, "doc\\2", "d:2", "d:3", "2024", "2025", 3, 0, None, 1.0, 2,
                     {"wmd": 1e-05, "stance": 0.1 + 0.2}, None),
            DriftRow("ann", 7, None, "x", "y", None, None, 50, 10**20, 1 / 3, 2 / 3, 1, {"stance": 0.5, "wmd": 0.0},
                     None),
            DriftRow("{cy}", 8, None, "x", "y", None, None, 50, 1, float("inf"), -2.5e-300, 1,
                     {"wmd": float("-inf"), "stance": None}, None)]
    report = DriftReport("p", None, "now", "document", 50, 3, ["wmd", "stance"], ["ann", "bób"], 0, rows)
    lines = to_json(report).splitlines()
    written = [line.strip().rstrip(",") for line in lines if line.startswith("    {")]
    assert written == [json.dumps(row_dict(row), ensure_ascii=False) for row in rows]
    assert json.loads(to_json(report))["rows"][:3] == [row_dict(row) for row in rows[:3]]
    odd = DriftReport("p", None, "now", "time", 50, 3, ["w{x}"], ["ann"], 0, [
        DriftRow("ann", 1, None, "x", "y", None, None, 5, 1, True, 0.5, 1, {"w{x}": 0.25}, None)])
    assert [line.strip() for line in to_json(odd).splitlines() if line.startswith("    {")] == [
        json.dumps(row_dict(odd.rows[0]), ensure_ascii=False)]


@pytest.mark.parametrize("over", ["time", "document"])
def test_json_from_the_columns_is_the_json_of_the_rows(tmp_path: Path, over: str) -> None:
    """drift_report's rows are made from its columns when first read, and its JSON is written
    from the columns: the same text as from the rows themselves."""
    from dataclasses import replace

    from exports.drift import DriftRows, drift_report
    from exports.drift_report import to_json
    from store import Project, build_demo

    with Project.open(build_demo(tmp_path)) as project:
        report = drift_report(project, over, window=4)
    assert isinstance(report.rows, DriftRows) and len(report.rows) > 3
    from_rows = replace(report, rows=list(report.rows))
    assert to_json(report) == to_json(from_rows)
    assert any(row.alpha is not None for row in report.rows)
