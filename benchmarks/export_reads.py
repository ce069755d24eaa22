"""The second floor of an export: reading its rows from SQLite into Python, and nothing else.

    python -m benchmarks.export_reads PROJECT [CODER ...]

The export's floor (benchmarks/floors.py) is the library writing a table already in memory;
an export must first read that table's rows from the project file. This reads the same columns
through `sqlite3` as bare SELECTs, 20,000 paragraphs at a time (the export's chunk): every
paragraph's id, document, position, seq and text, then the statuses and the set values of
`CODER`s (every coder if none are named), as the range reads of store/range_reads.py read
them (the unary + keeps SQLite off the coder index). Prints one JSON object: wall and CPU seconds of
each read and in all. No Accord code runs.

Beside them, `as_columns`: the same paragraphs as the export now reads them, each column made by
SQLite in one row per chunk (text columns as their bytes end to end, numbers as JSON arrays,
store/range_reads.py `paragraph_columns`), fetched and nothing else: no Python object per cell.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from typing import Any

CHUNK = 20_000


def reads(project: str, coders: list[str]) -> dict[str, Any]:
    db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    total = db.execute("select max(seq) from paragraphs").fetchone()[0] or 0
    among = f" and +s.coder_id in ({','.join('?' * len(coders))})" if coders else ""
    queries = {
        "paragraphs": "select id, document_id, position, seq, text from paragraphs where seq between ? and ? "
                      "order by seq",
        "statuses": "select p.seq, s.coder_id, s.status, s.flagged, s.note from paragraphs p "
                    f"join paragraph_status s on s.paragraph_id = p.id where p.seq between ? and ?{among}",
        "codings": "select p.seq, s.coder_id, s.code_id, s.value from paragraphs p join codings s "
                   f"on s.paragraph_id = p.id where p.seq between ? and ? and s.value is not null{among}",
    }
    out: dict[str, Any] = {"seconds": 0.0, "cpu": 0.0}
    for name, sql in queries.items():
        rows = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for first in range(1, total + 1, CHUNK):
            rows += len(db.execute(sql, [first, first + CHUNK - 1, *(coders if name != "paragraphs" else [])]).fetchall())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out[name] = {"seconds": round(wall, 3), "cpu": round(cpu, 3), "rows": rows}
        out["seconds"] += wall
        out["cpu"] += cpu
    out["seconds"], out["cpu"] = round(out["seconds"], 3), round(out["cpu"], 3)
    columns = ("select cast(group_concat(cast(id as blob), '') as blob), json_group_array(length(cast(id as blob))), "
               "cast(group_concat(cast(document_id as blob), '') as blob), "
               "json_group_array(length(cast(document_id as blob))), json_group_array(position), json_group_array(seq), "
               "cast(group_concat(cast(text as blob), '') as blob), json_group_array(length(cast(text as blob))) "
               "from paragraphs where seq between ? and ?")
    wall, cpu = time.perf_counter(), time.process_time()
    for first in range(1, total + 1, CHUNK):
        db.execute(columns, [first, first + CHUNK - 1]).fetchone()
    out["as_columns"] = {"paragraphs": {"seconds": round(time.perf_counter() - wall, 3),
                                        "cpu": round(time.process_time() - cpu, 3)}}
    return out


if __name__ == "__main__":
    print(json.dumps(reads(sys.argv[1], sys.argv[2:])))
