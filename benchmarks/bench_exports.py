"""Export speed and memory on synthetic projects: does the time grow linearly with the corpus?

Run: python -m benchmarks.bench_exports 100000 1000000   (results go into BENCHMARKS.md by hand)

Each measurement runs in a fresh process so that peak memory (max RSS) belongs to that export.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = [
    ("csv", "consensus", ["--no-text"]),
    ("csv", "all", []),
    ("parquet", "all", ["--no-text"]),
    ("dta", "consensus", ["--no-text"]),
    ("csv", "consensus", ["--unit", "document"]),
    ("qdpx", "", []),
]


def measure(project: Path, fmt: str, whose: str, extra: list[str], out: Path) -> dict[str, float]:
    """One export in a child process: wall and CPU seconds (CPU time is what to compare on a
    shared machine: wall time grows with the load), peak memory in MB."""
    code = (
        "import resource, sys, time; from click.testing import CliRunner; from tui.cli import main; "
        "t = time.perf_counter(); r = CliRunner().invoke(main, sys.argv[1:]); "
        "assert r.exit_code == 0, r.output; "
        "u = resource.getrusage(resource.RUSAGE_SELF); "
        "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)"
    )
    args = ["--project", str(project), "export", "--format", fmt, "-o", str(out), "--force", *extra]
    if whose:
        args.append(f"--{whose}")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    seconds, cpu, megabytes = map(float, result.stdout.split()[-3:])
    return {"wall_s": round(seconds, 1), "cpu_s": round(cpu, 1), "peak_mb": round(megabytes),
            "file_mb": round(out.stat().st_size / 1e6, 1)}


def main(sizes: list[int]) -> None:
    from benchmarks.synthetic import add_codings, make_project

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"p{size}.db"
            started = time.perf_counter()
            project = make_project(path, size)
            add_codings(project, ["alice", "bob", "carol"], done_share=0.9)
            project.close()
            print(f"{size:,} paragraphs: project built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            for fmt, whose, extra in CASES:
                key = f"{fmt} {whose} {' '.join(extra)}".strip()
                results.setdefault(key, {})[size] = measure(path, fmt, whose, extra, Path(folder) / f"out.{fmt}")
                print(key, size, results[key][size], file=sys.stderr)
            path.unlink()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
