"""`accord overview` checked count by count against a brute-force reading of `accord export --all`,
on random projects: frequencies, the code matrix, co-occurrence with Jaccard, and coverage.

The reference works on the CSV a researcher would load into pandas, one row per paragraph and
coder, and applies the rules in plain Python: a paragraph a coder has not marked done counts
nowhere; the majority is the value more than half of the coders who did the paragraph gave
(two or more); the consensus without an adjudicator is what all of them gave.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from store import CONSENSUS, Codebook, Project, SourceDocument, parse_codebook
from tests.helpers import SMALL_YAML
from tui.cli import main

CODERS = ["ann", "bob", "cy"]
CODES = ["border_control", "wmd", "nuclear"]
LEVELS = ["support", "oppose"]
DOCUMENTS = [
    SourceDocument("doc1", ["a", "b", "c"], "doc1.txt", speaker="Ann Smith", country="Kazakhstan", date="2019-03-01"),
    SourceDocument("doc2", ["d", "e"], "doc2.txt", speaker=None, country="Peru", date="2020-01-01"),
    SourceDocument("doc3", ["f", "g", "h"], "doc3.txt", speaker="Ann Smith", country="Kazakhstan", date="2020-05-05"),
]
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
"""No shrinking: each example builds a project and runs two commands; the drawn example is shown as it is."""
PARAGRAPHS = [f"{d.id}:{i}" for d in DOCUMENTS for i in range(1, len(d.paragraphs) + 1)]

cell = st.tuples(
    st.sampled_from([None, "done", "done", "skipped"]),  # status
    st.lists(st.booleans(), min_size=len(CODES), max_size=len(CODES)),  # codes applied
    st.sampled_from([None, *LEVELS]),  # stance
    st.booleans(),  # flagged
)
work = st.lists(st.lists(cell, min_size=len(PARAGRAPHS), max_size=len(PARAGRAPHS)), min_size=1, max_size=len(CODERS))


def required_codebook() -> Codebook:
    """The small codebook with stance required on every paragraph given a code."""
    return parse_codebook(SMALL_YAML.replace("    key: s\n", "    key: s\n    required: when_coded\n"), "codebook.yaml")


def make_project(folder: Path, cells: list[list[tuple]]) -> Path:  # type: ignore[type-arg]
    path = folder / "accord.db"
    with Project.create(path, required_codebook()) as project:
        project.import_documents(DOCUMENTS)
        for coder, row in zip(CODERS, cells, strict=False):
            project.set_note(PARAGRAPHS[0], coder, "a note makes the coder known, whatever else is drawn")
            for pid, (status, applied, stance, flagged) in zip(PARAGRAPHS, row, strict=True):
                for code, on in zip(CODES, applied, strict=True):
                    if on:
                        project.set_coding(pid, coder, code, 1)
                if stance:
                    project.set_coding(pid, coder, "stance", stance)
                if flagged:
                    project.set_flag(pid, coder, True)
                if status:
                    project.set_status(pid, coder, status)
    return path


def run(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def export_all(path: Path) -> pd.DataFrame:
    out = path.parent / "all.csv"
    run(path, "export", "--all", "--no-text", "-o", str(out), "--force")
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def chosen_rows(rows: pd.DataFrame, whose: str) -> list[dict[str, object]]:
    """One dict per row that counts (paragraph, or paragraph and coder for `each`): the done
    ones with their values (None: not agreed), and the not-done ones with done=False."""
    out = []
    for pid, group in rows.groupby("paragraph_id", sort=False):
        first = group.iloc[0]
        base = {"paragraph_id": pid, "document_id": first["document_id"], "speaker": first["speaker"],
                "country": first["country"], "year": first["date"][:4]}
        if whose in ("each",) or whose.startswith("coder:"):
            for _, row in group.iterrows():
                if whose != "each" and row["coder"] != whose[6:]:
                    continue
                done = row["status"] == "done"
                values = {c: (row[c] if done and row[c] != "" else None) for c in [*CODES, "stance"]}
                out.append({**base, "coder": row["coder"], "done": done, "flag": row["flag"] == "1", **values})
            continue
        done_rows = group[group["status"] == "done"]
        done = len(done_rows) >= 2
        values = {}
        for c in [*CODES, "stance"]:
            votes = Counter(v for v in done_rows[c] if v != "")
            unset = sum(1 for v in done_rows[c] if v == "")
            if c == "stance" and unset:
                votes[""] = unset
            value, top = votes.most_common(1)[0] if votes else ("", 0)
            agreed = top == len(done_rows) if whose == "consensus" else top * 2 > len(done_rows)
            values[c] = value if done and agreed and value != "" else None
        out.append({**base, "coder": None, "done": done, "flag": (group["flag"] == "1").any(), **values})
    return out


def group_of(row: dict[str, object], by: str | None) -> str:
    if by is None:
        return ""
    value = row["document_id" if by == "document" else by]
    return "(none)" if value in (None, "") else str(value)


def check(overview: dict, rows: list[dict[str, object]], by: str | None) -> None:  # type: ignore[type-arg]
    done = [r for r in rows if r["done"]]
    groups = sorted({group_of(r, by) for r in rows}) if by else []
    assert sorted(overview["groups"]) == groups
    coverage = overview["coverage"]
    assert coverage["paragraphs"] == len(rows)
    assert coverage["done"] == len(done)
    assert coverage["not_done"] == len(rows) - len(done)
    assert coverage["flagged"] == sum(bool(r["flag"]) for r in rows)
    missing = [r for r in done if r["stance"] is None and any(r[c] == "1" for c in CODES)]
    assert coverage["missing_required"] == len(missing)
    for group in groups:
        mine = [r for r in rows if group_of(r, by) == group]
        assert coverage["by"][group]["paragraphs"] == len(mine)
        assert coverage["by"][group]["done"] == sum(1 for r in mine if r["done"])
    entries = {(f["code"], f["level"]): f for f in overview["frequencies"]}
    wanted = [(c, None, "1") for c in CODES] + [("stance", level, level) for level in LEVELS]
    assert sorted(entries, key=str) == sorted(((c, lv) for c, lv, _ in wanted), key=str)
    for code, level, value in wanted:
        entry = entries[(code, level)]
        count = sum(1 for r in done if r[code] == value)
        assert entry["count"] == count, (code, level)
        assert entry["share"] == (count / len(done) if done else None)
        for group in groups:
            mine = [r for r in done if group_of(r, by) == group]
            hits = sum(1 for r in mine if r[code] == value)
            assert entry["by"][group]["count"] == hits, (code, level, group)
            assert entry["by"][group]["share"] == (hits / len(mine) if mine else None)
    for a, b in [*combinations(CODES, 2), *((c, c) for c in CODES)]:
        both = sum(1 for r in done if r[a] == "1" and r[b] == "1")
        either = sum(1 for r in done if r[a] == "1" or r[b] == "1")
        assert overview["cooccurrence"][a][b] == overview["cooccurrence"][b][a] == both, (a, b)
        assert overview["jaccard"][a][b] == (both / either if either else None), (a, b)


@settings(max_examples=25, phases=PHASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work, st.sampled_from([None, "document", "speaker", "country", "year"]), st.integers(0, 2))
def test_each_count_matches_the_all_export(cells: list, by: str | None, rule: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_project(Path(folder), cells)
        rows = export_all(path)
        whose, option = [("coder:ann", ["--coder", "ann"]), ("majority", ["--majority"]),
                         ("consensus", ["--consensus"])][rule]
        if len(cells) == 1 and rule:
            whose, option = "coder:ann", []  # one coder: no choice is that coder's codings, as in export
        grouping = ["--by", by] if by else []
        overview = json.loads(run(path, "overview", "--format", "json", *option, *grouping))
        check(overview, chosen_rows(rows, whose), by)


@settings(max_examples=15, phases=PHASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work)
def test_by_coder_counts_each_coders_own_work(cells: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_project(Path(folder), cells)
        rows = export_all(path)
        overview = json.loads(run(path, "overview", "--format", "json", "--by", "coder"))
        check(overview, chosen_rows(rows, "each"), "coder")


def test_the_consensus_is_exports_consensus(tmp_path: Path) -> None:
    """With an adjudicator the consensus is the adjudicated values: the same rows as
    `accord export --consensus`, counted."""
    path = make_project(tmp_path, [
        [("done", [True, False, False], "support", False)] * 8,
        [("done", [False, False, True], "support", False)] * 8,
    ])
    with Project.open(path) as project:
        for pid in PARAGRAPHS[:3]:
            project.set_coding(pid, CONSENSUS, "border_control", 1)
            project.set_coding(pid, CONSENSUS, "wmd", 1)
            project.set_status(pid, CONSENSUS, "done")
    out = tmp_path / "consensus.csv"
    run(path, "export", "--consensus", "--no-text", "-o", str(out))
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    overview = json.loads(run(path, "overview", "--format", "json", "--consensus"))
    counts = {(f["code"], f["level"]): f["count"] for f in overview["frequencies"]}
    for code in CODES:
        assert counts[(code, None)] == (exported[code] == "1").sum()
    assert counts[("stance", "support")] == (exported["stance"] == "support").sum() == 5  # the adjudicator left it unset on 3
    assert overview["cooccurrence"]["border_control"]["wmd"] == 3
    assert overview["coverage"]["done"] == 8


@pytest.mark.parametrize("forged", ["'1'", "1.0"])
def test_values_no_accord_writes_are_refused_as_the_export_refuses_them(tmp_path: Path, forged: str) -> None:
    """A '1' or a 1.0 written into the file by another tool: the overview reads the codings in
    groups of equal values (store.coded_paragraphs), where SQLite groups 1.0 with 1, yet refuses
    them as `accord export` does, rather than count them as the 1 they resemble."""
    path = make_project(tmp_path, [[("done", [True, False, False], None, False)] * 8])
    with Project.open(path) as project:
        project.db.execute(f"update codings set value = {forged} where paragraph_id = ? and code_id = 'border_control'",
                           PARAGRAPHS[1:2])
    for command in (["export", "--all", "-o", str(tmp_path / "all.csv")], ["overview", "--format", "json"]):
        result = CliRunner().invoke(main, ["--project", str(path), *command])
        assert result.exit_code == 1 and f"{PARAGRAPHS[1]} by" in result.output, result.output
        assert "accord doctor" in " ".join(result.output.split())
