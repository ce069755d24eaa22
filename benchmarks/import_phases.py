"""Where `accord import` spends its time, phase by phase, in one process and its reading workers.

    python -m benchmarks.import_phases CORPUS_FOLDER PROJECT.db

creates PROJECT.db afresh with the shipped codebook, imports the folder through the CLI as a
researcher would, and prints one JSON object: wall seconds; the writing process's CPU (all its
threads, and its main thread alone: the rest is unpickling what the workers send); the reading
workers' CPU; how long the writing waited for the next file's documents (`wait_s`, part of it
spent reading files itself: `own_reading_s`, `own_reading_cpu`); how long it spent adding the
paragraphs to the full-text index (`index_s`, `index_cpu`); what ran after the last file was
read (`tail_s`, `tail_cpu`: the commit, mostly, which no reading overlaps); and the index's
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
import store.intake.readers as readers
from store import Project
from store.codebook.parser import default_codebook_path, load_codebook


_OWN_READING: list[Any] = []
"""`_read_chunk` timed when the writing process runs it (the pool pickles what it calls: a
module-level function, which forked workers find in the same module)."""


def _read_chunk(*args: Any, **kwargs: Any) -> Any:
    return _OWN_READING[0](*args, **kwargs)


def measure(folder: str, project: Path) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{project}{suffix}").unlink(missing_ok=True)
    Project.create(project, load_codebook(default_codebook_path())).close()
    timers = {"wait_s": 0.0, "own_reading_s": 0.0, "own_reading_cpu": 0.0, "index_s": 0.0, "index_cpu": 0.0,
              "tail_s": 0.0, "tail_cpu": 0.0}
    read_files = store.read_files

    def timed_reading(*args: Any, **kwargs: Any) -> Iterator[Any]:
        reading = read_files(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                found = next(reading)
            except StopIteration:
                read_at.extend((time.perf_counter(), time.process_time()))
                return
            finally:
                timers["wait_s"] += time.perf_counter() - start
            yield found

    def timer(name: str, work: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != writer:  # a forked reading worker
                return work(*args, **kwargs)
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                return work(*args, **kwargs)
            finally:
                timers[f"{name}_s"] += time.perf_counter() - start
                timers[f"{name}_cpu"] += time.process_time() - start_cpu
        return timed

    writer = os.getpid()
    store.read_files = timed_reading  # what the import command imports
    index = "index"  # the statements that fill the full-text index
    setattr(importing._CorpusWriter, index, timer("index", getattr(importing._CorpusWriter, index)))
    _OWN_READING.append(timer("own_reading", readers._read_chunk))
    readers._read_chunk = _read_chunk
    read_at: list[float] = []
    import_documents = importing.CorpusImport.import_documents

    def timed_import(*args: Any, **kwargs: Any) -> Any:
        report = import_documents(*args, **kwargs)
        timers["tail_s"] += time.perf_counter() - read_at[0]
        timers["tail_cpu"] += time.process_time() - read_at[1]
        return report

    importing.CorpusImport.import_documents = timed_import  # type: ignore[method-assign]
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
