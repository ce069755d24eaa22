"""The same benchmarked operation in two checkouts, alternated, so that both meet the same load.

    python -m benchmarks.side_by_side --before /tmp/main-checkout --rounds 5 \
        -- overview WORKDIR/coded-100000.db /tmp/o.json --by document

runs `python -m benchmarks.ops OPERATION ARGUMENT...` (see benchmarks/ops.py) with the `before`
checkout as the working directory, then with this one, `rounds` times, and prints one JSON
object: each side's CPU and wall seconds, every run, their minimum and median, the ratio of the
medians (after / before) and each side's peak memory. On a shared machine the ratio is the
figure to trust; the seconds move with the load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

AFTER = Path(__file__).resolve().parent.parent


def run(checkout: Path, operation: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.ops", *operation], cwd=checkout,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def side_by_side(before: Path, operation: list[str], rounds: int) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for _ in range(rounds):
        for side, checkout in (("before", before), ("after", AFTER)):
            runs[side].append(run(checkout, operation))
    out: dict[str, Any] = {"operation": operation}
    for side, results in runs.items():
        cpu = [r["cpu"] for r in results]
        out[side] = {"cpu": cpu, "cpu_min": min(cpu), "cpu_median": statistics.median(cpu),
                     "wall": [r["seconds"] for r in results], "peak_mb": max(r["peak_mb"] for r in results)}
    out["ratio"] = round(out["after"]["cpu_median"] / max(out["before"]["cpu_median"], 1e-9), 2)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="The other checkout (e.g. a worktree of main).")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("operation", nargs="+", help="What benchmarks.ops runs: OPERATION ARGUMENT...")
    args = parser.parse_args(argv)
    print(json.dumps(side_by_side(args.before, args.operation, args.rounds)))


if __name__ == "__main__":
    main()
