"""Agreement at scale: the full report, and alpha alone against `krippendorff` and NLTK.

Run: python -m benchmarks.bench_agreement [--paragraphs 100000] [--coders 5] [--nltk-units 100000]
  or, on a project built once: python -m benchmarks.synthetic project --paragraphs 100000 --coders 5
  --out /tmp/b.db, then python -m benchmarks.bench_agreement --project /tmp/b.db

Builds a synthetic project (the shipped codebook's 20 codes, every paragraph done by every
coder, alpha about 0.7), then times in this one process, best of `--repeat` runs:
- the full report (every code: units, prevalence, percent agreement, Cohen's kappa per pair,
  Fleiss' kappa, alpha, AC1, splits; no bootstrap), from opening the project file;
- the same with the 1,000-replicate bootstrap;
- alpha alone on one code's coders x paragraphs matrix: Accord, the `krippendorff` package
  and NLTK's AnnotationTask, on the same matrix, with their values to show they agree.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def best(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Fastest wall time of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), result


def best_cpu(call: Callable[[], object], repeat: int) -> float:
    """Least CPU time of `repeat` calls: steadier than wall time on a shared machine."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--nltk-units", type=int, default=100_000, help="units given to NLTK (pure Python, slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--project", type=Path, help="an existing project to measure (not built, not deleted)")
    args = parser.parse_args()

    import krippendorff
    from nltk.metrics.agreement import AnnotationTask

    from benchmarks.synthetic import add_codings, make_project
    from exports.agreement import krippendorff_alpha
    from exports.reliability import reliability_report
    from store import Project

    results: dict[str, object] = {"paragraphs": args.paragraphs, "coders": args.coders}
    with tempfile.TemporaryDirectory() as folder:
        path = args.project or Path(folder) / "bench.db"
        if args.project is None:
            started = time.perf_counter()
            with make_project(path, args.paragraphs) as project:
                add_codings(project, [f"coder{i + 1}" for i in range(args.coders)], alpha=0.7)
            print(f"project built in {time.perf_counter() - started:.0f} s", file=sys.stderr)

        def report(replicates: int):  # type: ignore[no-untyped-def]
            with Project.open(path) as project:
                return reliability_report(project, replicates=replicates)

        seconds, full = best(lambda: report(0), args.repeat)
        results["paragraphs"], results["coders"] = full.units, len(full.coders)
        results["codes"] = len(full.codes)
        results["report_seconds"] = round(seconds, 2)
        results["report_cpu_seconds"] = round(best_cpu(lambda: report(0), args.repeat), 2)
        seconds, _ = best(lambda: report(1000), 1)
        results["report_with_bootstrap_1000_seconds"] = round(seconds, 2)
        print(f"report: {results['report_seconds']} s", file=sys.stderr)

        with Project.open(path) as project:
            data = project.done_codings()
        code = full.codes[0].code
        matrix = np.where(data.done, 0.0, np.nan)  # absent where done, missing elsewhere
        for given in data.values.get(code, []):
            matrix[given.coder, given.paragraphs] = 1.0
        ours_s, ours = best(lambda: krippendorff_alpha(matrix).value, args.repeat)
        theirs_s, theirs = best(lambda: krippendorff.alpha(matrix, level_of_measurement="nominal"), args.repeat)
        ours_cpu = best_cpu(lambda: krippendorff_alpha(matrix), args.repeat)
        theirs_cpu = best_cpu(lambda: krippendorff.alpha(matrix, level_of_measurement="nominal"), args.repeat)
        sub = matrix[:, : args.nltk_units]
        triples = [(c, u, int(sub[c, u])) for c in range(sub.shape[0]) for u in range(sub.shape[1])
                   if not np.isnan(sub[c, u])]
        nltk_s, nltk_value = best(lambda: AnnotationTask(triples).alpha(), 1)
        results["alpha"] = {
            "code": code,
            "matrix": list(matrix.shape),
            "accord_seconds": round(ours_s, 4),
            "krippendorff_seconds": round(theirs_s, 4),
            "accord_cpu_seconds": round(ours_cpu, 4),
            "krippendorff_cpu_seconds": round(theirs_cpu, 4),
            "nltk_seconds": round(nltk_s, 2),
            "nltk_units": sub.shape[1],
            "accord": ours,
            "krippendorff": float(theirs),
            "nltk": nltk_value,
            "accord_on_nltk_units": krippendorff_alpha(sub).value,
        }
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
