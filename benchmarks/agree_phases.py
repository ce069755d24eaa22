"""Where `accord agree --format json` spends its time: CPU and wall seconds per phase.

    python -m benchmarks.agree_phases PROJECT OUTPUT

runs the real command (as benchmarks.ops agree does) with a clock around each of its parts,
wrapped in place, and prints one JSON object: per phase `cpu` and `seconds`, and `other` (the
total less the phases: click, the progress bar, the codebook reads). Phases:

- imports: NumPy, Arrow's compute functions and Accord's agreement modules (the CLI itself is
  loaded before the clock starts, as in benchmarks.ops);
- open: opening the project (its page check runs in a thread while agree reads: not here);
- read: `done_codings`, the codings of done paragraphs (SQLite, Arrow, NumPy; the codings on a
  second connection in a thread);
- alpha, gwet (percent agreement, Fleiss' kappa and AC1, which share their parts), bootstrap
  (alpha's 95 % interval), pairs (per-pair agreement and Cohen's kappa), splits: per code;
- texts: the split paragraphs' texts; json: rendering; write: writing the file.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Clocks = dict[str, list[float]]


def _timed(clocks: Clocks, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            clocks[phase][0] += time.process_time() - cpu
            clocks[phase][1] += time.perf_counter() - wall
    return run


def main(argv: list[str]) -> None:
    """Wraps Accord's functions in place: run it in a process of its own (as `-m`)."""
    project, output = argv
    # Loaded before the clock, as benchmarks.ops does: the command is measured, not Python's start.
    for module in ("store.codebook.parser", "store.intake.readers", "tui.cli"):
        importlib.import_module(module)
    clocks: Clocks = defaultdict(lambda: [0.0, 0.0])
    start_cpu, start_wall = time.process_time(), time.perf_counter()

    def load() -> None:
        import numpy  # noqa: F401
        import pyarrow.compute  # noqa: F401

        import exports.agreement_report
        import exports.reliability  # noqa: F401
        import tui.commands.agreement  # noqa: F401

    _timed(clocks, "imports", load)()
    from exports import agreement_report, files, reliability, report_columns
    from store.agreement_reads import AgreementReads
    from store.project import Project
    from tui.cli import main as cli

    opening = Project.__dict__["open"].__func__  # the classmethod's function, wrapped and put back
    setattr(Project, "open", classmethod(_timed(clocks, "open", opening)))  # noqa: B010
    for method, label in (("done_codings", "read"), ("paragraph_texts", "texts")):
        setattr(AgreementReads, method, _timed(clocks, label, getattr(AgreementReads, method)))
    phase = {"percent_agreement": "gwet", "fleiss_kappa": "gwet", "gwet_ac1": "gwet", "krippendorff_alpha": "alpha"}
    report_columns.COEFFICIENTS = tuple(
        dataclasses.replace(
            column, compute=_timed(clocks, phase.get(column.id, column.id), column.compute),
            interval=column.interval and dataclasses.replace(
                column.interval, compute=_timed(clocks, "bootstrap", column.interval.compute)))
        for column in report_columns.COEFFICIENTS)
    for owner, function, label in ((reliability, "cohen_kappa", "pairs"), (reliability, "_splits", "splits"),
                                   (agreement_report, "to_json", "json"), (files, "write_atomically", "write")):
        setattr(owner, function, _timed(clocks, label, getattr(owner, function)))

    cli(["--project", project, "agree", "--format", "json", "-o", output, "--force"], standalone_mode=False)
    total_cpu, total_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    phases = {name: {"cpu": round(cpu, 3), "seconds": round(wall, 3)} for name, (cpu, wall) in clocks.items()}
    phases["other"] = {"cpu": round(total_cpu - sum(cpu for cpu, _ in clocks.values()), 3),
                       "seconds": round(total_wall - sum(wall for _, wall in clocks.values()), 3)}
    print(json.dumps({"cpu": round(total_cpu, 3), "seconds": round(total_wall, 3), "phases": phases}))


if __name__ == "__main__":
    main(sys.argv[1:])
