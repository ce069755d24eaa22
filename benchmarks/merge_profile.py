"""Where a merge spends its time: CPU and wall seconds per SQL statement of `merge_files`.

    python -m benchmarks.merge_profile LEAD FILE...

LEAD is copied first (merge writes to it) beside itself as LEAD.profile.db and removed after.
Statements are grouped by their text (the attached files' aliases src0, src1... as srcN), with
the CPU time of the thread that ran them: the checks run in a thread of their own beside the
writes (store/teams/merge_checks.py), so the per-statement CPU adds up to more than either thread's.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from store import Project, connection
from store.teams.merge import merge_files


def profile(lead: Path, files: list[Path], shown: int = 25) -> str:
    """Merge `files` into a copy of `lead`; the slowest statements as text."""
    stats: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    execute = connection.ProjectConnection.execute

    def timed(self: connection.ProjectConnection, sql: str, parameters: Any = (), /) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return execute(self, sql, parameters)
        finally:
            row = stats[re.sub(r"src\d+", "srcN", re.sub(r"\s+", " ", sql))[:110]]
            row[0] += 1
            row[1] += time.thread_time() - cpu
            row[2] += time.perf_counter() - wall

    copy = lead.with_name(lead.name + ".profile.db")
    shutil.copyfile(lead, copy)
    connection.ProjectConnection.execute = timed  # type: ignore[method-assign]
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        with Project.open(copy) as project:
            report = merge_files(project, files)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        connection.ProjectConnection.execute = execute  # type: ignore[method-assign]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    lines = [f"{len(files)} files, {report.rows_added:,} rows added: {cpu:.2f} s CPU, {wall:.2f} s wall",
             "  CPU s   wall s  runs  statement"]
    for sql, (runs, cpu_s, wall_s) in sorted(stats.items(), key=lambda item: -item[1][1])[:shown]:
        lines.append(f"{cpu_s:7.2f} {wall_s:8.2f} {int(runs):5}  {sql}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    lead, *files = argv
    print(profile(Path(lead), [Path(f) for f in files]))


if __name__ == "__main__":
    main(sys.argv[1:])
