"""A table with a header of thousands of columns: every one would become a metadata column of
every export, so a table with more than MAX_META_COLUMNS of them is refused, file and count
named, whether it is a corpus (.csv, .tsv, .jsonl) or an `import --metadata` table."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from store.intake.table_files import MAX_META_COLUMNS
from tui.cli import main

WIDE = 5_000


def accord(db: Path, *args: str | Path) -> Result:
    return CliRunner().invoke(main, ["--project", str(db), *map(str, args)])


def wide_table(path: Path, columns: int) -> Path:
    names = [f"m{n}" for n in range(columns)]
    if path.suffix == ".jsonl":
        path.write_text(json.dumps({"id": "a", "text": "Some text.", **dict.fromkeys(names, "x")}) + "\n")
    else:
        sep = "\t" if path.suffix == ".tsv" else ","
        path.write_text(sep.join(["id", "text", *names]) + "\n" + sep.join(["a", "Some text.", *"x" * columns]) + "\n")
    return path


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select (select count(*) from documents), (select count(*) from events)").fetchone()


@pytest.mark.parametrize("name", ["wide.csv", "wide.tsv", "wide.jsonl"])
def test_a_table_of_thousands_of_columns_is_refused_and_named(db: Path, tmp_path: Path, name: str) -> None:
    table = wide_table(tmp_path / name, WIDE)
    good = tmp_path / "good.txt"
    good.write_text("A statement in a text file.\n")
    result = accord(db, "import", table, good)
    assert result.exit_code == 1
    assert (f"{table}: {WIDE:,} metadata columns; Accord takes at most {MAX_META_COLUMNS} "
            "(each is a column of every export): file not imported") in result.stderr
    with Project.open(db) as project:
        assert [d.id for d in project.documents()] == ["good"]  # the other file still comes in


def test_a_table_at_the_maximum_imports_with_every_column(db: Path, tmp_path: Path) -> None:
    # id, text and the four fields (title, speaker, country, date) are not metadata columns.
    table = tmp_path / "full.csv"
    names = [f"m{n}" for n in range(MAX_META_COLUMNS)]
    header = ["id", "text", "title", "speaker", "country", "date", *names]
    table.write_text(",".join(header) + "\n" + ",".join(["a", "Text.", "T", "S", "C", "2020", *"x" * len(names)]) + "\n")
    result = accord(db, "import", table)
    assert result.exit_code == 0, result.stderr
    with Project.open(db) as project:
        assert len(json.loads(project.document("a").meta or "{}")) == MAX_META_COLUMNS


def test_jsonl_records_adding_up_to_too_many_keys_are_refused(db: Path, tmp_path: Path) -> None:
    # Each record alone is narrow; the export's columns are the keys of all of them.
    table = tmp_path / "keys.jsonl"
    table.write_text("".join(json.dumps({"id": str(n), "text": "Text.", f"k{n}": "x"}) + "\n"
                             for n in range(MAX_META_COLUMNS + 1)))
    result = accord(db, "import", table)
    assert result.exit_code == 1
    assert f"{table}: {MAX_META_COLUMNS + 1:,} metadata columns" in result.stderr
    assert counts(db) == (0, 0)


def test_a_wide_metadata_table_is_refused_and_nothing_changes(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("A statement in a text file.\n")
    assert accord(db, "import", good).exit_code == 0
    before = counts(db)
    table = tmp_path / "meta.csv"
    table.write_text(",".join(["id", *(f"m{n}" for n in range(WIDE))]) + "\n" + ",".join(["a", *"x" * WIDE]) + "\n")
    result = accord(db, "import", "--metadata", table)
    assert result.exit_code == 1
    assert (f"{table}: {WIDE:,} metadata columns; Accord takes at most {MAX_META_COLUMNS} "
            "(each is a column of every export): nothing was joined") in result.stderr
    assert counts(db) == before
    with Project.open(db) as project:
        assert json.loads(project.document("a").meta or "{}") == {}
