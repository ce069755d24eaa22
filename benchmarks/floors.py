"""The floor of each benchmarked operation: the same work done by the libraries alone, no Accord.

    python -m benchmarks.floors OPERATION ARGUMENT...

takes the arguments `benchmarks.ops` took for the operation (the floor reads what the operation
read or wrote: the corpus and its imported project, the exported file, the coders' files) and
prints one JSON object: `seconds` (wall clock of the floor's work only; reading its inputs into
memory is not counted), `cpu` and what the floor measured of itself. `benchmarks.run` runs the
floor in its own process right after the operation, on the same machine under the same load,
and reports the operation's seconds over the floor's: a ratio that holds from machine to
machine where the seconds do not.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _files(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith((".txt", ".md")):
                yield Path(root) / name


class Clock:
    """Wall and CPU seconds of the timed parts only (the inputs are read outside them)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


def _schema(project: str, tables: tuple[str, ...]) -> list[str]:
    """The CREATE statements of `tables` and their indexes as the project file holds them
    (triggers left out: the floor fills the full-text index in one statement)."""
    with sqlite3.connect(project) as db:
        marks = ",".join("?" * len(tables))
        rows = db.execute(f"select sql from sqlite_master where tbl_name in ({marks}) and type in ('table', 'index') "
                          "and sql is not null order by rowid", tables).fetchall()
    return [sql for (sql,) in rows if not sql.startswith("CREATE TABLE 'paragraphs_fts_")]


def _bare_insert(project: str, target: Path) -> tuple[Clock, int]:
    """The project's documents and paragraphs, read into memory, then written by a bare
    `executemany` into a new file with the same tables, indexes and FTS5 index (filled with one
    INSERT ... SELECT), the page cache and FTS5 buffer as large as an import's."""
    with sqlite3.connect(project) as db:
        documents = db.execute("select * from documents order by position").fetchall()
        paragraphs = db.execute("select rowid, id, document_id, position, seq, text, sha256 from paragraphs "
                                "order by rowid").fetchall()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for sql in _schema(project, ("documents", "paragraphs", "paragraphs_fts")):
        db.execute(sql)
    with Clock() as clock:
        db.execute("PRAGMA cache_size = -262144")
        db.execute("begin")
        db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('hashsize', ?)", [256 * 2**20])
        db.executemany(f"insert into documents values ({','.join('?' * len(documents[0]))})", documents)
        db.executemany("insert into paragraphs (rowid, id, document_id, position, seq, text, sha256) "
                       "values (?, ?, ?, ?, ?, ?, ?)", paragraphs)
        db.execute("insert into paragraphs_fts (rowid, text) select rowid, text from paragraphs")
        db.execute("commit")
    db.close()
    return clock, len(paragraphs)


def import_files(project: str, folder: str) -> dict[str, Any]:
    """Decoding the same files alone (UTF-8, one after the other), then a bare insert of the
    paragraphs the import made (what segmenting and Accord's writing add is the difference)."""
    with Clock() as decoding:
        characters = sum(len(path.read_bytes().decode("utf-8")) for path in _files(Path(folder)))
    inserting, rows = _bare_insert(project, Path(project).with_name("floor-import.db"))
    return {"seconds": decoding.seconds + inserting.seconds, "cpu": decoding.cpu + inserting.cpu,
            "decode_s": round(decoding.seconds, 3), "insert_s": round(inserting.seconds, 3),
            "characters": characters, "rows": rows}


def import_records(project: str, paragraphs: str) -> dict[str, Any]:
    """The bare insert of the rows the records made (no decoding: the records are text)."""
    inserting, rows = _bare_insert(project, Path(project).with_name("floor-records.db"))
    return {"seconds": inserting.seconds, "cpu": inserting.cpu, "rows": rows}


def open_project(project: str) -> dict[str, Any]:
    """sqlite3 opening the file, counting the paragraphs and reading the first one."""
    with Clock() as clock:
        db = sqlite3.connect(project)
        db.execute("select count(*) from paragraphs").fetchone()
        db.execute("select * from paragraphs where seq = 1").fetchone()
        db.close()
    return {"seconds": clock.seconds, "cpu": clock.cpu}


def search(project: str) -> dict[str, Any]:
    """Each query of ops.searches() as FTS5 syntax straight through sqlite3: the number of
    matches and the first 200 matches' ids and texts (what the search screen shows, without
    ranking, snippets or turning the typed words into a query), median of 5; seconds is the
    sum of the medians, as in ops.search."""
    from benchmarks.ops import searches

    db = sqlite3.connect(project)
    queries: dict[str, Any] = {}
    total = total_cpu = 0.0
    for name, query in searches().items():
        runs, cpu = [], []
        for _ in range(5):
            with Clock() as clock:
                db.execute("select count(*) from paragraphs_fts where paragraphs_fts match ?", [query]).fetchone()
                hits = db.execute("select p.id, p.text from paragraphs_fts join paragraphs p on p.rowid = "
                                  "paragraphs_fts.rowid where paragraphs_fts match ? limit 200", [query]).fetchall()
            runs.append(clock.seconds)
            cpu.append(clock.cpu)
        total += statistics.median(runs)
        total_cpu += statistics.median(cpu)
        queries[name] = {"ms": round(1000 * statistics.median(runs), 1), "hits": len(hits)}
    db.close()
    return {"seconds": total, "cpu": total_cpu, "queries": queries}


MERGED = ("coders", "assignments", "paragraph_status", "codings", "events")
"""The tables a merge brings rows into from each coder's file."""


def merge(project: str, *files: str) -> dict[str, Any]:
    """A bare `INSERT OR IGNORE ... SELECT *` of each merged table's rows from each attached file
    into the lead's project (a fresh copy), one transaction per file."""
    db = sqlite3.connect(project, isolation_level=None)
    rows = 0
    with Clock() as clock:
        db.execute("PRAGMA cache_size = -262144")
        for path in files:
            db.execute("attach ? as f", [path])
            db.execute("begin")
            for table in MERGED:
                columns = ", ".join(row[1] for row in db.execute(f"PRAGMA main.table_info({table})"))
                rows += db.execute(f"insert or ignore into main.{table} ({columns}) "
                                   f"select {columns} from f.{table}").rowcount
            db.execute("commit")
            db.execute("detach f")
    db.close()
    return {"seconds": clock.seconds, "cpu": clock.cpu, "rows": rows}


def read_codings(project: str) -> tuple[list[str], list[str], list[Any], list[Any]]:
    """What agree must read, by a bare sqlite3 script: the coders, the codes, every done
    (paragraph, coder) and every applied (code, paragraph, coder), each fetched in one query as tuples."""
    db = sqlite3.connect(project)
    coders = [row[0] for row in db.execute("select id from coders where id != 'consensus' order by id")]
    codes = [row[0] for row in db.execute("select id from codes where kind = 'code' and retired = 0 order by position")]
    done = db.execute("select paragraph_id, coder_id from paragraph_status where status = 'done'").fetchall()
    applied = db.execute("select code_id, paragraph_id, coder_id from codings where value").fetchall()
    db.close()
    return coders, codes, done, applied


def matrices(project: str, read: tuple[list[str], list[str], list[Any], list[Any]] | None = None) -> list[Any]:
    """Per code, the coders x paragraphs matrix agree measures: 1 where a coder applied the code,
    0 where the coder marked the paragraph done without it, NaN where not done; paragraphs done
    by at least two coders (from `read`, else read now)."""
    import numpy as np

    coders, codes, done, applied = read_codings(project) if read is None else read
    by_code: dict[str, list[tuple[str, str]]] = {code: [] for code in codes}
    for code, p, c in applied:
        if code in by_code:
            by_code[code].append((p, c))
    units = sorted({p for p, _ in done})
    unit = {p: i for i, p in enumerate(units)}
    coder = {c: i for i, c in enumerate(coders)}
    base = np.full((len(coders), len(units)), np.nan)
    for p, c in done:
        if c in coder:
            base[coder[c], unit[p]] = 0.0
    keep = (~np.isnan(base)).sum(axis=0) >= 2
    out = []
    for rows in by_code.values():
        matrix = base.copy()
        for p, c in rows:
            if c in coder and p in unit and not np.isnan(matrix[coder[c], unit[p]]):
                matrix[coder[c], unit[p]] = 1.0
        out.append(matrix[:, keep])
    return out


def alpha_bincount(matrix: Any) -> float:
    """Krippendorff's nominal alpha from the coincidences, counted with NumPy's bincount."""
    import numpy as np

    values = ~np.isnan(matrix)
    categories = int(np.nanmax(matrix)) + 1 if values.any() else 1
    unit = np.broadcast_to(np.arange(matrix.shape[1]), matrix.shape)[values]
    counts = np.bincount(unit * categories + matrix[values].astype(np.int64),
                         minlength=matrix.shape[1] * categories).reshape(-1, categories).astype(float)
    pairable = counts.sum(axis=1)
    weights = np.where(pairable > 1, 1 / np.maximum(pairable - 1, 1), 0)
    coincidences = (counts * weights[:, None]).T @ counts
    coincidences -= np.diag((counts * weights[:, None]).sum(axis=0))
    totals = coincidences.sum(axis=0)
    n = totals.sum()
    observed = coincidences.sum() - np.trace(coincidences)
    expected = (n * n - (totals * totals).sum()) / (n - 1)
    return float(1 - observed / expected) if expected else float("nan")


def agree(project: str, output: str) -> dict[str, Any]:
    """The `krippendorff` package's nominal alpha of each code's matrix (the floor a ratio is
    taken against), and the arithmetic floor: NumPy's bincount of the coincidences.

    Beside them, a second floor, stated as such: `read_s`, a bare sqlite3 script fetching the
    rows agree must read (`read_codings`), which the first floor leaves out; `with_read_s` is it
    plus the package's alpha."""
    import krippendorff

    with Clock() as reading:
        read = read_codings(project)
    per_code = matrices(project, read)
    with Clock() as package:
        alphas = [krippendorff.alpha(reliability_data=m, level_of_measurement="nominal") for m in per_code]
    with Clock() as counting:
        counted = [alpha_bincount(m) for m in per_code]
    return {"seconds": package.seconds, "cpu": package.cpu, "bincount_s": round(counting.seconds, 4),
            "read_s": round(reading.seconds, 4), "read_cpu": round(reading.cpu, 4),
            "with_read_s": round(reading.seconds + package.seconds, 4),
            "with_read_cpu": round(reading.cpu + package.cpu, 4),
            "codes": len(per_code), "units": int(per_code[0].shape[1]) if per_code else 0,
            "alphas": [round(a, 6) for a in alphas], "bincount_alphas": [round(a, 6) for a in counted]}


def _read_back(output: str, fmt: str) -> Any:
    """The exported file as the library that writes `fmt` holds it in memory."""
    import pandas as pd
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    if fmt in ("csv", "tsv"):
        options = pa_csv.ReadOptions(block_size=64 * 2**20)
        parse = pa_csv.ParseOptions(delimiter="\t" if fmt == "tsv" else ",", newlines_in_values=True)
        return pa_csv.read_csv(output, read_options=options, parse_options=parse)
    if fmt == "parquet":
        return pq.read_table(output)
    if fmt == "jsonl":
        return pd.read_json(output, lines=True)
    if fmt == "dta":
        return pd.read_stata(output)
    if fmt == "sav":
        return pd.read_spss(output)
    with zipfile.ZipFile(output) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def export(project: str, output: str, fmt: str, *options: str) -> dict[str, Any]:
    """The file the export wrote, read back into memory, written again to the same format by
    the library: pyarrow for CSV, TSV and Parquet, pandas for JSON Lines and Stata, pyreadstat
    for SPSS, zipfile for REFI-QDA's archive (same members, same compression)."""
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    table = _read_back(output, fmt)
    target = Path(f"{output}.floor")
    with Clock() as clock:
        if fmt in ("csv", "tsv"):
            pa_csv.write_csv(table, target, pa_csv.WriteOptions(delimiter="\t" if fmt == "tsv" else ","))
        elif fmt == "parquet":
            pq.write_table(table, target)
        elif fmt == "jsonl":
            table.to_json(target, orient="records", lines=True, force_ascii=False)
        elif fmt == "dta":
            table.to_stata(target, write_index=False, version=118)
        elif fmt == "sav":
            import pyreadstat

            pyreadstat.write_sav(table, str(target))
        else:
            with zipfile.ZipFile(target, "w") as archive:
                for info, data in table:
                    archive.writestr(info, data)
    size = target.stat().st_size
    target.unlink()
    return {"seconds": clock.seconds, "cpu": clock.cpu, "file_mb": round(size / 2**20, 1)}


FLOORS: dict[str, Callable[..., dict[str, Any]]] = {
    "import": import_files,
    "import-records": import_records,
    "open": open_project,
    "search": search,
    "merge": merge,
    "agree": agree,
    "export": export,
}
"""benchmarks.ops operation -> its floor, called with the same arguments."""


def main(argv: list[str]) -> None:
    operation, *args = argv
    result = FLOORS[operation](*args)
    result["seconds"] = round(result["seconds"], 4)
    result["cpu"] = round(result["cpu"], 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
