"""`accord agree --by document` through the CLI against a brute-force count per document, on random
projects (three coders and an adjudicator, each on a random share of the paragraphs), and the work
the command does: the coders' codings and their done paragraphs are read once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from exports.alpha import krippendorff_alpha
from store import CONSENSUS
from tests.exports.test_drift import CODERS, CODES, Work, random_project
from tui.cli import main

MINIMUM = 3
"""exports.drift.MIN_DOCUMENT_PARAGRAPHS: a document with fewer compared paragraphs has no figures."""


def value(work: Work, who: str, pid: str, code: str) -> object:
    """A coder's value as agree reads it: an applied code is 1, one not applied on a done paragraph 0,
    a variable not set is missing (None)."""
    given = work[who][pid].get(code)
    return given if code == "stance" else int(bool(given))


def pairs_of(work: Work, coder: str | None, pids: list[str]) -> dict[str, list[tuple[object, object]]]:
    """Per code, the (value, reference value) pairs of the coder (None: of all coders together)."""
    decided = work[CONSENSUS]
    pairs: dict[str, list[tuple[object, object]]] = {code: [] for code in CODES}
    for pid in pids:
        doers = [c for c in CODERS if pid in work[c]]
        if pid in decided:
            comparisons = [(c, CONSENSUS) for c in doers if coder in (None, c)]
        elif coder is None:
            comparisons = [(a, b) for i, a in enumerate(doers) for b in doers[i + 1:]]
        else:
            comparisons = [(coder, other) for other in doers if other != coder]
        for code in CODES:
            for a, b in comparisons:
                mine, theirs = value(work, a, pid, code), value(work, b, pid, code)
                if mine is not None and theirs is not None:
                    pairs[code].append((mine, theirs))
    return pairs


def brute_force(work: Work, coder: str | None, pids: list[str]) -> dict[str, object]:
    pairs = pairs_of(work, coder, pids)
    alphas = {code: krippendorff_alpha([[a for a, _ in p], [b for _, b in p]]).value if p else None
              for code, p in pairs.items()}
    together = [pair for p in pairs.values() for pair in p]
    defined = [a for a in alphas.values() if a is not None]
    return {"comparisons": len(together), "percent": sum(a == b for a, b in together) / len(together),
            "alphas": alphas, "mean": sum(defined) / len(defined) if defined else None}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_document_row_matches_a_brute_force_count(tmp_path: Path, seed: int) -> None:
    work = random_project(tmp_path / "accord.db", seed)
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "accord.db"), "agree", "--by", "document",
                                       "--codes", ",".join(CODES), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output[result.output.index("{"):])["rows"]
    compared = {c: [p for p in work[c] if any(p in work[o] for o in CODERS if o != c)] for c in CODERS}
    expected = {}
    for document in ("doc1", "doc2"):
        for coder in (*CODERS, None):
            pids = sorted({p for c in CODERS if coder in (None, c) for p in compared[c] if p.startswith(f"{document}:")},
                          key=lambda p: int(p.split(":")[1]))
            if pids:
                expected[(coder, document)] = pids
    assert {(row["coder"], row["document"]) for row in rows} == set(expected)
    for row in rows:
        pids = expected[(row["coder"], row["document"])]
        assert row["paragraphs"] == len(pids)
        want = brute_force(work, row["coder"], pids)
        assert row["comparisons"] == want["comparisons"]
        if len(pids) < MINIMUM:
            assert row["alpha"] is None and row["percent_agreement"] is None and "too few" in row["reason"]
            continue
        assert row["percent_agreement"] == pytest.approx(want["percent"], abs=1e-12)
        for code in CODES:
            assert row["alpha_per_code"][code] == pytest.approx(want["alphas"][code], abs=1e-9)  # type: ignore[index]
        assert row["alpha"] == pytest.approx(want["mean"], abs=1e-9)


def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the command runs on its project, on any connection, as SQLite traces them."""
    import store.connection
    import store.project

    seen: list[str] = []
    connecting = store.connection.connect

    def traced(path: Path) -> sqlite3.Connection:
        db = connecting(path)
        db.set_trace_callback(seen.append)
        return db

    monkeypatch.setattr(store.project, "connect_file", traced)
    monkeypatch.setattr(store.connection, "connect", traced)
    return seen


def reads_of(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if f"from {table} " in " ".join(s.lower().split()) and "pragma" not in s.lower()]


@pytest.mark.parametrize("by", [["--by", "document"], ["--over", "time"]])
def test_drift_reads_the_codings_and_done_paragraphs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          by: list[str]) -> None:
    """The coders' and the adjudicator's codings in one pass over the codings table, and the done
    paragraphs with their times in one pass over paragraph_status: at 1,000,000 paragraphs each
    pass is seconds."""
    random_project(tmp_path / "accord.db", 1)
    seen = statements(monkeypatch)
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "accord.db"), "agree", *by, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(reads_of(seen, "codings")) == 1, reads_of(seen, "codings")
    assert len(reads_of(seen, "paragraph_status")) == 1, reads_of(seen, "paragraph_status")


def damaged(tmp_path: Path, table: str) -> Path:
    """A random project whose `table` has its first page overwritten."""
    path = tmp_path / "accord.db"
    random_project(path, 1)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = db.execute("select rootpage from sqlite_master where name = ?", [table]).fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * 64)
    return path


@pytest.mark.parametrize("table", ["codings", "events"])
@pytest.mark.parametrize("by", [[], ["--by", "document"], ["--over", "time"]])
def test_a_damaged_project_is_refused_in_one_line_and_nothing_written(tmp_path: Path, table: str,
                                                                       by: list[str]) -> None:
    """agree checks the file's pages while it reads (not before): damage still stops it, in one
    line, before any report is written, whether or not the read itself stumbled on it."""
    path = damaged(tmp_path, table)
    result = CliRunner().invoke(main, ["--project", str(path), "agree", *by, "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 1, result.output
    assert "is damaged" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "out.json").exists()


def test_agree_does_not_load_pandas(tmp_path: Path) -> None:
    """Loading pandas is a third of a second of every `accord agree` (the bulk read takes Arrow's
    buffers as they are to avoid it): the command, in a process of its own, never loads it."""
    import subprocess
    import sys

    random_project(tmp_path / "accord.db", 1)
    script = ("import sys; from tui.cli import main\n"
              f"main(['--project', {str(tmp_path / 'accord.db')!r}, 'agree', '--format', 'json', '-o', "
              f"{str(tmp_path / 'a.json')!r}], standalone_mode=False)\n"
              "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr
