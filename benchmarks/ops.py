"""One benchmarked operation, run in a fresh process so that its peak memory is its own.

    python -m benchmarks.ops OPERATION PROJECT [ARGUMENT...]

prints one JSON object: seconds (wall clock of the operation only, not of starting Python),
cpu (user + system seconds), peak_mb (the process's maximum resident set, interpreter
included) and what the operation reports of itself.
"""

from __future__ import annotations

import importlib
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any



def searches() -> dict[str, str]:
    """What a coder types in `/`: from a word in a handful of paragraphs to one in most of them
    (word ranks in the generator's Zipf vocabulary: 1 is the most frequent)."""
    from benchmarks.synthetic import vocabulary

    words = vocabulary()
    return {
        "rare word (rank 5000)": words[5000],
        "mid word (rank 300)": words[300],
        "common word": "weapons",
        "two words": "border control",
        "phrase": '"small arms"',
        "prefix": "disarm*",
    }


def _cpu() -> float:
    """CPU seconds of this process and its children (the import's reading workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def import_files(project: str, folder: str) -> dict[str, Any]:
    """`accord import FOLDER` into a new project, as a researcher runs it."""
    from tui.cli import main

    main(["--project", project, "import", folder], standalone_mode=False)
    return {}


def import_records(project: str, paragraphs: str) -> dict[str, Any]:
    """Project.import_documents of already segmented records: the store's share of an import."""
    from benchmarks.synthetic import documents
    from store import Project

    with Project.open(Path(project)) as opened:
        opened.import_documents(documents(int(paragraphs)))
    return {}


def open_project(project: str) -> dict[str, Any]:
    """What every command and the coding screen do first: open, count, fetch the first paragraph."""
    from store import Project

    with Project.open(Path(project)) as opened:
        return {"paragraphs": opened.paragraph_count(), "first": opened.paragraph_at(1) is not None}


def search(project: str) -> dict[str, Any]:
    """Median of 5 runs of each query of searches() as the coding screen's search runs it (the
    number of matches and the first 200 with their snippets, `search_counted`);
    `figure`, the seconds its ratio is taken of, is the sum of the medians (opening not counted)."""
    from store import Project

    timings: dict[str, Any] = {}
    figure = 0.0
    with Project.open(Path(project)) as opened:
        for name, query in searches().items():
            runs, cpu = [], []
            for _ in range(5):
                start, start_cpu = time.perf_counter(), time.process_time()
                _, hits = opened.search_counted(query)
                runs.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            figure += statistics.median(runs)
            timings[name] = {"ms": round(1000 * statistics.median(runs), 1),
                             "cpu_ms": round(1000 * statistics.median(cpu), 1), "hits": len(hits)}
    return {"queries": timings, "figure": round(figure, 5)}


def cli(*args: str) -> None:
    """Run an `accord` command as the shell would, output to /dev/null."""
    import contextlib
    import os

    from tui.cli import main

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        main(list(args), standalone_mode=False)


def merge(project: str, *files: str) -> dict[str, Any]:
    """`accord merge FILE...`: the coders' files into the lead's project."""
    cli("--project", project, "merge", *files)
    return {"files": len(files)}


def agree(project: str, output: str) -> dict[str, Any]:
    """`accord agree --format json`: every coefficient for every code, with alpha's bootstrap."""
    cli("--project", project, "agree", "--format", "json", "-o", output, "--force")
    return {}


def overview(project: str, output: str, *options: str) -> dict[str, Any]:
    """`accord overview --format json` (options: whose codings, --by)."""
    cli("--project", project, "overview", "--format", "json", "-o", output, "--force", *options)
    return {}


def agree_over_time(project: str, output: str) -> dict[str, Any]:
    """`accord agree --over time --format json`: every coder's windows of 50 paragraphs, every code."""
    cli("--project", project, "agree", "--over", "time", "--format", "json", "-o", output, "--force")
    return {"windows": lambda: len(json.loads(Path(output).read_text())["rows"])}


def agree_by_document(project: str, output: str) -> dict[str, Any]:
    """`accord agree --by document --format json`: every coder's agreement per document, every code."""
    cli("--project", project, "agree", "--by", "document", "--format", "json", "-o", output, "--force")
    return {"rows": lambda: len(json.loads(Path(output).read_text())["rows"])}


def export(project: str, output: str, fmt: str, *options: str) -> dict[str, Any]:
    """`accord export --format FMT`."""
    cli("--project", project, "export", "--format", fmt, "-o", output, "--force", *options)
    return {"file_mb": round(Path(output).stat().st_size / 2**20, 1)}


def retrieve(project: str, output: str, *options: str) -> dict[str, Any]:
    """`accord retrieve` to a CSV file: the consensus's paragraphs with either of two codes and
    without a third, unless `options` ask otherwise."""
    query = options or ("--code", "border_control", "--any", "--code", "wmd", "--not", "sanctions")
    cli("--project", project, "retrieve", *query, "-o", output, "--force")
    return {"rows": lambda: sum(1 for _ in open(output, encoding="utf-8")) - 1}


OPERATIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "import": import_files,
    "import-records": import_records,
    "open": open_project,
    "search": search,
    "merge": merge,
    "agree": agree,
    "overview": overview,
    "agree-over-time": agree_over_time,
    "agree-by-document": agree_by_document,
    "export": export,
    "retrieve": retrieve,
}


def main(argv: list[str]) -> None:
    operation, *args = argv
    # Load Accord's modules before the clock starts: the operation is measured, not Python's start.
    for module in ("store.codebook.parser", "store.intake.readers", "tui.cli"):
        importlib.import_module(module)

    before_wall, before_cpu = time.perf_counter(), _cpu()
    report = OPERATIONS[operation](*args)
    seconds, cpu = time.perf_counter() - before_wall, _cpu() - before_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # What an operation reports of its output (rows in a file it wrote) is read off the clock.
    report = {key: value() if callable(value) else value for key, value in report.items()}
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if workers_mb:
        report["worker_peak_mb"] = round(workers_mb)
    print(json.dumps({"seconds": round(seconds, 3), "cpu": round(cpu, 3), "peak_mb": round(peak_mb), **report}))


if __name__ == "__main__":
    main(sys.argv[1:])
