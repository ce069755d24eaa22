"""Scale benchmarks: each operation at each corpus size, in its own process, with peak memory.

    python -m benchmarks.run --sizes 1000 100000 1000000 --ops import open search
    python -m benchmarks.run --report            # the tables of results.jsonl as Markdown

Corpora (PDF-like .txt files from benchmarks/synthetic.py) and projects are kept in --workdir
(default /tmp/accord-bench) and reused; results are appended to WORKDIR/results.jsonl, one JSON
object per operation and size. The 1,000,000-paragraph corpus takes ~600 MB of files and the
project ~1.2 GB.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGETS_1M = {"import": 60.0, "open": 2.0, "search": 0.2}
"""Targets at 1,000,000 paragraphs (issue 7), in seconds."""


class Bench:
    """Prepares inputs in the work folder and runs operations in child processes."""

    def __init__(self, workdir: Path, results: Path) -> None:
        self.workdir = workdir
        self.results = results
        workdir.mkdir(parents=True, exist_ok=True)

    def corpus(self, size: int) -> Path:
        folder = self.workdir / f"corpus-{size}"
        if not (folder / "done").exists():
            from benchmarks.synthetic import write_corpus

            shutil.rmtree(folder, ignore_errors=True)
            write_corpus(folder, size)
            (folder / "done").write_text("")
        return folder

    def project(self, size: int) -> Path:
        """The project that `import` made for this size (made now if missing)."""
        path = self.workdir / f"project-{size}.db"
        if not path.exists():
            self.run("import", size)
        return path

    def fresh(self, name: str) -> Path:
        path = self.workdir / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return path

    def new_project(self, name: str) -> Path:
        from store import Project
        from store.codebook import default_codebook_path, load_codebook

        path = self.fresh(name)
        Project.create(path, load_codebook(default_codebook_path())).close()
        return path

    def arguments(self, operation: str, size: int) -> list[str]:
        if operation == "import":
            folder = self.corpus(size)
            return [str(self.new_project(f"project-{size}.db")), str(folder)]
        if operation == "import-records":
            return [str(self.new_project(f"records-{size}.db")), str(size)]
        return [str(self.project(size))]

    def run(self, operation: str, size: int) -> dict[str, Any]:
        args = self.arguments(operation, size)
        started = time.strftime("%Y-%m-%d %H:%M")
        done = subprocess.run([sys.executable, "-m", "benchmarks.ops", operation, *args], cwd=REPO,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{operation} at {size}: {done.stderr[-2000:]}")
        result = {"operation": operation, "size": size, "at": started, "machine": platform.node(),
                  **json.loads(done.stdout.strip().splitlines()[-1])}
        with self.results.open("a") as handle:
            handle.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)
        return result


def report(results: Path) -> str:
    """Markdown: per operation, the latest result at each size, with growth from size to size."""
    latest: dict[tuple[str, int], dict[str, Any]] = {}
    for line in results.read_text().splitlines():
        row = json.loads(line)
        latest[(row["operation"], row["size"])] = row
    by_operation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (operation, _), row in sorted(latest.items(), key=lambda item: (item[0][0], item[0][1])):
        by_operation[operation].append(row)
    out = []
    for operation, rows in by_operation.items():
        out.append(f"#### {operation}\n")
        out.append("| paragraphs | wall s | CPU s | growth (wall) | peak MB | notes |")
        out.append("|---:|---:|---:|---:|---:|---|")
        previous = None
        for row in rows:
            growth = ""
            if previous and previous["seconds"] > 0:
                growth = f"×{row['seconds'] / previous['seconds']:.1f} for ×{row['size'] // previous['size']}"
            notes = ""
            if "queries" in row:
                notes = "; ".join(f"{name} {q['ms']} ms ({q['hits']} hits)" for name, q in row["queries"].items())
            out.append(f"| {row['size']:,} | {row['seconds']:.2f} | {row['cpu']:.2f} | {growth} | "
                       f"{row['peak_mb']:,} | {notes} |")
            previous = row
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--ops", nargs="+", default=["import", "import-records", "open", "search"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-bench"))
    parser.add_argument("--report", action="store_true", help="Print the results as Markdown tables and stop.")
    args = parser.parse_args()
    results = args.workdir / "results.jsonl"
    if args.report:
        print(report(results))
        return
    bench = Bench(args.workdir, results)
    for size in args.sizes:
        for operation in args.ops:
            bench.run(operation, size)


if __name__ == "__main__":
    main()
