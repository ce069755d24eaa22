"""Where `accord import` spends its time, phase by phase, in one process and its reading workers.

    python -m benchmarks.import_phases CORPUS_FOLDER PROJECT.db

creates PROJECT.db afresh with the shipped codebook, imports the folder through the CLI as a
researcher would, and prints one JSON object: wall seconds; the writing process's CPU (all its
threads, and its main thread alone: the rest is unpickling what the workers send); the reading
workers' CPU; how long the writing waited for the next file's documents (`wait_s`); how long it
spent adding the paragraphs to the full-text index (`index_s`, `index_cpu`); and the index's
segments at the end.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import store
import store.corpus.importing as importing
from store import Project
from store.codebook.parser import default_codebook_path, load_codebook


def measure(folder: str, project: Path) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{project}{suffix}").unlink(missing_ok=True)
    Project.create(project, load_codebook(default_codebook_path())).close()
    timers = {"wait_s": 0.0, "index_s": 0.0, "index_cpu": 0.0}
    read_files = store.read_files

    def timed_reading(*args: Any, **kwargs: Any) -> Iterator[Any]:
        reading = read_files(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                found = next(reading)
            except StopIteration:
                return
            finally:
                timers["wait_s"] += time.perf_counter() - start
            yield found

    index = importing._CorpusWriter.index_new_paragraphs

    def timed_index(writer: importing._CorpusWriter) -> None:
        start, start_cpu = time.perf_counter(), time.process_time()
        index(writer)
        timers["index_s"] += time.perf_counter() - start
        timers["index_cpu"] += time.process_time() - start_cpu

    store.read_files = timed_reading  # what the import command imports
    importing._CorpusWriter.index_new_paragraphs = timed_index  # type: ignore[method-assign, assignment]
    from tui.cli import main

    start, start_cpu, start_thread = time.perf_counter(), time.process_time(), time.thread_time()
    main(["--project", str(project), "import", folder], standalone_mode=False)
    wall, cpu, thread = time.perf_counter() - start, time.process_time() - start_cpu, time.thread_time() - start_thread
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    with sqlite3.connect(project) as db:
        segments = db.execute("select count(distinct segid) from paragraphs_fts_idx").fetchone()[0]
    return {"wall_s": wall, "writer_cpu": cpu, "writer_main_thread_cpu": thread,
            "workers_cpu": workers.ru_utime + workers.ru_stime, **timers, "index_segments": segments,
            "load": os.getloadavg()[0]}


if __name__ == "__main__":
    result = measure(sys.argv[1], Path(sys.argv[2]))
    print(json.dumps({key: round(value, 2) if isinstance(value, float) else value for key, value in result.items()}))
