"""`accord agree --format json` on the demo project, pinned to the last digit.

The golden files were written by the report as it stood before its computation was made faster
(tests/data/agree-golden/): every coefficient, interval, pair, split and verdict must come out
the same, float for float. Only the project's path and the creation time differ from run to run.
To rewrite them on purpose, after a change that is meant to alter the figures:
`ACCORD_WRITE_GOLDEN=1 pytest tests/exports/test_agree_golden.py`.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project, build_demo
from tests.helpers import DATA
from tui.cli import main

GOLDEN = DATA / "agree-golden"
VARYING = ("project", "created_at")


def _report(path: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["--project", str(path), "agree", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    for key in VARYING:
        data.pop(key)
    return data


def _check(name: str, data: dict[str, object]) -> None:
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("ACCORD_WRITE_GOLDEN"):
        golden.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # json round-trips a float exactly (repr), so == is equality to the last digit.
    assert data == json.loads(golden.read_text(encoding="utf-8"))


def _third_coder(path: Path) -> None:
    """carla: a seeded third coder on 40 of the 55 paragraphs (some not done), codes and both
    variables, so that three coders, missing values and every pair are pinned too."""
    rng = random.Random(17)
    with Project.open(path) as project:
        codes = [code for code in project.codes() if not code.retired]
        paragraphs = [f"{paragraph.id}" for paragraph in project.paragraphs()][:40]
        for paragraph_id in paragraphs:
            for code in codes:
                if code.kind == "code":
                    if rng.random() < 0.2:
                        project.set_coding(paragraph_id, "carla", code.id, 1)
                elif rng.random() < 0.7:
                    levels = [value for value, _ in project.levels(code.id)]
                    project.set_coding(paragraph_id, "carla", code.id, rng.choice(levels))
            if rng.random() < 0.85:
                project.set_status(paragraph_id, "carla", "done")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo"))


def test_the_demo_report_is_unchanged_to_the_last_digit(demo: Path) -> None:
    _check("demo", _report(demo))


def test_three_coders_with_missing_values_are_unchanged_to_the_last_digit(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "three.db"
    path.write_bytes(demo.read_bytes())
    _third_coder(path)
    _check("demo-three-coders", _report(path, "--seed", "7"))
