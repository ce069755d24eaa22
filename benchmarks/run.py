"""Scale benchmarks: each operation at each corpus size, in its own process, with peak memory.

    python -m benchmarks.run --sizes 1000 100000 1000000 --ops import open search
    python -m benchmarks.run --report            # the tables of results.jsonl as Markdown
    python -m benchmarks.run --sizes 1000000 --check   # each ratio to its floor against its target

Beside each operation that has one, its floor (benchmarks/floors.py: the same work done by the
libraries alone) runs in the same run, right after it, and the result carries `floor` (its
seconds and what it measured) and `ratio` (the operation's wall seconds over the floor's): the
figure that holds from one machine to the next. `--check` prints each ratio against TARGETS and
exits 1 when one misses.

Corpora (PDF-like .txt files from benchmarks/synthetic.py) and projects are kept in --workdir
(default /tmp/accord-scale-bench) and reused; results are appended to WORKDIR/results.jsonl, one JSON
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.floors import FLOORS

REPO = Path(__file__).resolve().parent.parent
CODERS = 3
CODED_SHARE = 0.2
"""agree and export run on a project where CODERS coders each did this share of the corpus
(a team codes a sample; the whole corpus is still exported)."""
TEAM = 10
"""merge-*: this many coders' files, from `accord handout` with 20 % overlap, every assigned
paragraph coded."""
MERGES = {"merge-everything": 1.0, "merge-sample": 0.1}
"""Merge workloads: the share of the corpus handed out to the team. `merge-everything` hands
out the whole corpus (2.8 hand-outs per paragraph at 20 % overlap: the worst case);
`merge-sample` a tenth of the documents (a team coding a sample), while each coder's file
still holds the whole corpus, so the costs that grow with the corpus show."""
EXPORTS = {
    "export-csv": ("csv", "--all"),
    "export-csv-one-coder": ("csv", "--coder", "coder1"),
    "export-csv-default": ("csv",),
    "export-parquet": ("parquet", "--all"),
    "export-parquet-one-coder": ("parquet", "--coder", "coder1"),
    "export-jsonl": ("jsonl", "--coder", "coder1"),
    "export-dta": ("dta", "--coder", "coder1"),
    "export-sav": ("sav", "--coder", "coder1"),
    "export-qdpx": ("qdpx",),
}
"""Export operations: format and whose codings (--all: one row per paragraph and coder; none:
what `accord export` gives with several coders, the consensus)."""
OPERATIONS = ["import", "import-records", "open", "search", *MERGES, "agree", "agree-over-time", "agree-by-document",
              "overview", *EXPORTS, "retrieve"]
TARGETS = {"import": 1.5, "search": 1.5, "merge": 3.0, "agree": 3.0, "export": 1.3}
"""The most an operation (by its benchmarks.ops name) may take, as a multiple of its floor
measured in the same run: import against decoding + a bare insert of the same rows, search
against the FTS5 query alone, merge against a bare INSERT ... SELECT of the coders' rows, agree
against the krippendorff package's alpha of the same matrices, export against the library
writing the same table. An operation without a target has its ratio reported, not checked."""


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
        """The project that `import` made for this size, else the one `import-records` made
        (the same paragraphs, segmented already); made now if neither exists."""
        path = self.workdir / f"project-{size}.db"
        records = self.workdir / f"records-{size}.db"
        if not path.exists() and records.exists():
            return records
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
        from store.codebook.parser import default_codebook_path, load_codebook

        path = self.fresh(name)
        Project.create(path, load_codebook(default_codebook_path())).close()
        return path

    def copy_project(self, size: int, name: str) -> Path:
        """A copy of the imported project (checkpointed first, so the copy is whole)."""
        from store import Project

        source = self.project(size)
        with Project.open(source) as project:
            project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = self.fresh(name)
        shutil.copyfile(source, target)
        return target

    def coded(self, size: int) -> Path:
        """The imported project with CODERS coders who each did CODED_SHARE of the paragraphs."""
        from benchmarks.synthetic import add_codings
        from store import Project

        path = self.workdir / f"coded-{size}.db"
        if not path.exists():
            self.copy_project(size, path.name)
            with Project.open(path) as project:
                add_codings(project, [f"coder{i}" for i in range(1, CODERS + 1)], alpha=0.7,
                            done_share=CODED_SHARE)
        return path

    def team(self, size: int, share: float) -> list[str]:
        """A lead project whose `share` of the corpus was handed out to TEAM coders (20 %
        overlap), each file fully coded; kept in the work folder and reused. The lead is
        returned as a fresh copy (merge writes to it), then the coders' files."""
        from benchmarks.teams import code_everything, hand_out_sample
        from store import Project

        name = f"team-{size}" if share == 1 else f"team-{size}-share{share:g}"
        out = self.workdir / name
        lead = out / "lead.db"
        if not (out / "done").exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            shutil.copyfile(self.copy_project(size, f"lead-{size}.db"), lead)
            with Project.open(lead) as project:
                coders = [f"coder{i}" for i in range(1, TEAM + 1)]
                files = hand_out_sample(project, coders, out, share)
                codes = [code.id for code in project.codes() if code.kind == "code"]
            for coder, path in files.items():
                code_everything(path, coder, codes)
            (out / "done").write_text("")
        merged = self.fresh(f"lead-{size}.db")
        shutil.copyfile(lead, merged)
        return [str(merged), *sorted(str(path) for path in out.glob("lead-coder*.db"))]

    def arguments(self, operation: str, size: int) -> list[str]:
        if operation == "import":
            folder = self.corpus(size)
            return [str(self.new_project(f"project-{size}.db")), str(folder)]
        if operation == "import-records":
            return [str(self.new_project(f"records-{size}.db")), str(size)]
        if operation in MERGES:
            return self.team(size, MERGES[operation])
        if operation == "retrieve":
            return [str(self.coded(size)), str(self.workdir / "retrieve.csv")]
        if operation == "overview":  # the consensus (what a team gets) as a code matrix by document
            return [str(self.coded(size)), str(self.workdir / "overview.json"), "--by", "document"]
        if operation in ("agree", "agree-over-time", "agree-by-document"):
            return [str(self.coded(size)), str(self.workdir / f"{operation}.json")]
        if operation.startswith("export-"):
            fmt, *options = EXPORTS[operation]
            return [str(self.coded(size)), str(self.workdir / f"export.{fmt}"), fmt, *options]
        return [str(self.project(size))]

    def run(self, operation: str, size: int, pairs: int = 1) -> dict[str, Any]:
        """`operation` then its floor, `pairs` times alternated: the middle run of each (the upper
        of two), and the ratio of the two. A floor's own time swings as much as the gap it
        measures (16-30 s for the same bare insert, a minute apart, on a quiet machine)."""
        family = "export" if operation.startswith("export-") else "merge" if operation in MERGES else operation
        started = time.strftime("%Y-%m-%d %H:%M")
        runs, floors = [], []
        for _ in range(pairs):
            args = self.arguments(operation, size)
            runs.append(_measured("benchmarks.ops", family, args, f"{family} at {size}"))
            if family in FLOORS:
                # Right after the operation, on its inputs and output: the same machine, the same load.
                # A merge's floor needs the lead's project as it was before (`team` copies it afresh).
                floor_args = self.arguments(operation, size) if family == "merge" else args
                floors.append(_measured("benchmarks.floors", family, floor_args, f"floor of {family} at {size}"))
        result = {"operation": operation, "size": size, "at": started, "machine": platform.node(),
                  **_middle(runs, _figure)}
        if floors:
            result["floor"] = _middle(floors, lambda floor: floor["seconds"])
            result["ratio"] = round(_figure(result) / max(result["floor"]["seconds"], 1e-9), 2)
            result["pairs"] = [[_figure(one), floor["seconds"]] for one, floor in zip(runs, floors, strict=True)]
            if family in TARGETS:
                result["target"] = TARGETS[family]
        with self.results.open("a") as handle:
            handle.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)
        return result


def _measured(module: str, family: str, args: list[str], what: str) -> dict[str, Any]:
    """One run of `module` (benchmarks.ops or benchmarks.floors) in a process of its own: its JSON."""
    done = subprocess.run([sys.executable, "-m", module, family, *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{what}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _figure(result: dict[str, Any]) -> float:
    """What a ratio compares: an operation's own figure where it states one (search), else its wall time."""
    return float(result.get("figure", result["seconds"]))


def _middle(runs: list[dict[str, Any]], key: Callable[[dict[str, Any]], float]) -> dict[str, Any]:
    return sorted(runs, key=key)[len(runs) // 2]


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
        out.append("| paragraphs | wall s | CPU s | growth (CPU) | peak MB | notes |")
        out.append("|---:|---:|---:|---:|---:|---|")
        previous = None
        for row in rows:
            growth = ""
            if previous and previous["cpu"] > 0:
                growth = f"×{row['cpu'] / previous['cpu']:.0f} for ×{row['size'] // previous['size']}"
            notes = ""
            if "file_mb" in row:
                notes = f"file {row['file_mb']} MB"
            if "queries" in row:
                notes = "; ".join(f"{name}: {q['ms']} ms, CPU {q.get('cpu_ms', '?')} ms ({q['hits']} hits)"
                                  for name, q in row["queries"].items())
            if "worker_peak_mb" in row:
                notes = f"reading workers peak {row['worker_peak_mb']} MB each"
            out.append(f"| {row['size']:,} | {row['seconds']:.2f} | {row['cpu']:.2f} | {growth} | "
                       f"{row['peak_mb']:,} | {notes} |")
            previous = row
        out.append("")
    return "\n".join(out)


def check(results: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Each result's ratio against its target: Markdown rows, and the misses."""
    rows = ["| operation | paragraphs | floor s | figure s | ratio | target | |",
            "|---|---:|---:|---:|---:|---:|---|"]
    misses = []
    for result in results:
        if "ratio" not in result:
            continue
        target = result.get("target")
        verdict = "" if target is None else ("ok" if result["ratio"] <= target else "MISSED")
        if verdict == "MISSED":
            misses.append(f"{result['operation']} at {result['size']:,}: {result['ratio']}× > {target}×")
        figure = result.get("figure", result["seconds"])
        rows.append(f"| {result['operation']} | {result['size']:,} | {result['floor']['seconds']:.3f} | "
                    f"{figure:.3f} | {result['ratio']:.2f}× | {'' if target is None else f'≤ {target}×'} | "
                    f"{verdict} |")
    return rows, misses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--ops", nargs="+", default=OPERATIONS, choices=OPERATIONS)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-scale-bench"))
    parser.add_argument("--report", action="store_true", help="Print the results as Markdown tables and stop.")
    parser.add_argument("--pairs", type=int, default=1, metavar="N",
                        help="Run each operation and its floor N times, alternated, and compare the middle runs.")
    parser.add_argument("--check", action="store_true",
                        help="After the run, print each ratio to its floor against its target; exit 1 if one misses.")
    args = parser.parse_args(argv)
    results = args.workdir / "results.jsonl"
    if args.report:
        print(report(results))
        return
    bench = Bench(args.workdir, results)
    measured = [bench.run(operation, size, args.pairs) for size in args.sizes for operation in args.ops]
    if args.check:
        rows, misses = check(measured)
        print("\n".join(rows))
        if misses:
            print("missed: " + "; ".join(misses))
            raise SystemExit(1)


if __name__ == "__main__":
    main()
