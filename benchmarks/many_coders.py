"""Many coders on one project file: a team coding over SSH on a shared server.

N coder processes each do what the coding screen does through the store API (toggle a code,
mark a paragraph done) on random paragraphs every 100-300 ms, while `accord status`,
`accord export --consensus` and `accord agree --format json` run beside them in a loop. At the
end: errors (must be 0), lost writes (each coder's own log of the last value it wrote per
(paragraph, code) and per paragraph status, compared with the file: must be 0) and the
p50/p99/max latency of a key. From the shell:

    python -m benchmarks.many_coders --coders 30 --seconds 20
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.synthetic import make_project
from store import Project

ACCORD = str(Path(sys.executable).parent / "accord")
"""The CLI of the environment running the benchmark."""
COMMANDS = (
    ["status"],
    ["export", "--consensus", "-o", "{out}/consensus.csv", "--force"],
    ["agree", "--format", "json"],
)


@dataclass
class Result:
    """What a run found: the figures the benchmark prints and the test asserts on."""

    coders: int
    keys: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost_writes: list[str] = field(default_factory=list)
    commands_run: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def coder_process(path: str, name: str, seconds: float, seed: int, log_path: str) -> None:
    """One coder's session: keys at random every 100-300 ms; writes its own log as JSON."""
    rng = random.Random(seed)
    latencies: list[float] = []
    errors: list[str] = []
    codings: dict[str, int] = {}
    statuses: dict[str, str] = {}
    try:
        with Project.open(Path(path), verify=False) as project:
            project.coder(name)
            codes = [c.id for c in project.codes() if c.kind == "code" and not c.retired]
            ids = [row[0] for row in project.db.execute("select id from paragraphs")]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(rng.uniform(0.1, 0.3))
                paragraph = rng.choice(ids)
                try:
                    started = time.perf_counter()
                    if rng.random() < 0.25:
                        project.set_status(paragraph, name, "done")
                        statuses[paragraph] = "done"
                    else:
                        code = rng.choice(codes)
                        value = 0 if project.codings(paragraph, name).get(code) else 1
                        project.set_coding(paragraph, name, code, value)
                        codings[f"{paragraph}\t{code}"] = value
                    latencies.append((time.perf_counter() - started) * 1000)
                except Exception as error:  # every failure is a finding, not a crash
                    errors.append(f"{name}: {type(error).__name__}: {error}")
    except Exception:
        errors.append(f"{name}: {traceback.format_exc(limit=3)}")
    Path(log_path).write_text(json.dumps(
        {"latencies": latencies, "errors": errors, "codings": codings, "statuses": statuses}))


def command_loop(path: Path, out: Path, end: float, result: Result) -> None:
    """`accord status`, `export --consensus` and `agree` one after another until `end`."""
    while time.monotonic() < end:
        for command in COMMANDS:
            argv = [a.format(out=out) for a in command]
            done = subprocess.run([ACCORD, "--project", str(path), *argv],
                                  capture_output=True, text=True)
            result.commands_run += 1
            if done.returncode != 0:
                result.errors.append(f"accord {' '.join(argv)}: exit {done.returncode}: {done.stderr.strip()[-300:]}")


def check_writes(path: Path, name: str, log: dict[str, dict[str, object]]) -> list[str]:
    """Every last value this coder wrote, as the file holds it now."""
    lost = []
    with Project.open(path, verify=False) as project:
        for key, value in log["codings"].items():
            paragraph, code = key.split("\t")
            row = project.db.execute(
                "select value from codings where paragraph_id = ? and coder_id = ? and code_id = ?",
                [paragraph, name, code]).fetchone()
            stored = row[0] if row else None
            if int(stored or 0) != value:
                lost.append(f"{name} {paragraph} {code}: wrote {value}, file has {stored}")
        for paragraph, status in log["statuses"].items():
            row = project.db.execute(
                "select status from paragraph_status where paragraph_id = ? and coder_id = ?",
                [paragraph, name]).fetchone()
            if (row[0] if row else None) != status:
                lost.append(f"{name} {paragraph} status: wrote {status}, file has {row}")
    return lost


def run(path: Path, coders: int, seconds: float, work: Path) -> Result:
    """Start the coders and the command loop on the project at `path`; collect the figures."""
    result = Result(coders)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per coder, as over SSH
    names = [f"coder{i:02d}" for i in range(coders)]
    logs = {name: work / f"{name}.json" for name in names}
    processes = [context.Process(target=coder_process, args=(str(path), name, seconds, i, str(logs[name])))
                 for i, name in enumerate(names)]
    for process in processes:
        process.start()
    command_loop(path, work, time.monotonic() + seconds, result)
    for process in processes:
        process.join()
        if process.exitcode != 0:
            result.errors.append(f"a coder process exited with {process.exitcode}")
    for name in names:
        if not logs[name].exists():
            result.errors.append(f"{name} left no log")
            continue
        log = json.loads(logs[name].read_text())
        result.latencies_ms += log["latencies"]
        result.errors += log["errors"]
        result.lost_writes += check_writes(path, name, log)
    result.keys = len(result.latencies_ms)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coders", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--project", type=Path, help="an existing project to code (default: a new synthetic one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        path = args.project
        if path is None:
            path = work / "shared.db"
            make_project(path, args.paragraphs).close()
        load = os.getloadavg()
        result = run(path, args.coders, args.seconds, work)
        after = os.getloadavg()
    print(f"{args.coders} coders, {args.seconds:g} s, load before {load[0]:.2f}, after {after[0]:.2f}")
    print(f"keys {result.keys}, accord commands {result.commands_run}")
    print(f"errors {len(result.errors)}, lost writes {len(result.lost_writes)}")
    for line in (result.errors + result.lost_writes)[:10]:
        print("  " + line)
    print(f"key latency p50 {result.percentile(0.5):.1f} ms, p99 {result.percentile(0.99):.1f} ms, "
          f"max {max(result.latencies_ms, default=0):.1f} ms")


if __name__ == "__main__":
    main()
