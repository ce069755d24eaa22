"""benchmarks.agree_phases: the real `accord agree` with a clock around each part (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store import build_demo
from tests.helpers import REPO


def test_each_phase_of_agree_is_timed_and_the_report_is_written(tmp_path: Path) -> None:
    demo = build_demo(tmp_path)
    output = tmp_path / "agree.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.agree_phases", str(demo), str(output)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    phases = result["phases"]
    assert {"imports", "open", "read", "alpha", "gwet", "bootstrap", "pairs", "splits", "texts", "json", "write",
            "other"} <= set(phases)
    assert all(phase["cpu"] >= 0 or name == "other" for name, phase in phases.items())
    assert json.loads(output.read_text())["units"] == 36  # the command ran whole
