"""Vote counting on arrays checked against a plain per-paragraph reference, on random codings."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exports import votes
from exports.coded import Chunk, CodeSpec, chosen_frame

CODES = [CodeSpec("a", "A", "code"), CodeSpec("s", "S", "ordinal", (("lo", "Low"), ("hi", "High")))]
CODERS = ["c1", "c2", "c3"]
PARAGRAPHS = [f"d:{i}" for i in range(1, 7)]

cell = st.tuples(st.booleans(), st.sampled_from([0, 1]), st.sampled_from([None, "lo", "hi"]))
grid = st.lists(st.lists(cell, min_size=len(PARAGRAPHS), max_size=len(PARAGRAPHS)),
                min_size=len(CODERS), max_size=len(CODERS))



def combined_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec], rule: str) -> pd.DataFrame:
    """The chosen values as the export's frame."""
    return chosen_frame(chunk, votes.combined_values(chunk, coders, codes, rule), codes)


def consensus_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec]) -> pd.DataFrame:
    return chosen_frame(chunk, votes.consensus_values(chunk, coders, codes), codes)


def chunk_of(cells: list[list[tuple[bool, int, str | None]]], adjudicated: dict[str, int]) -> Chunk:
    statuses, codings = [], []
    seq = {pid: i for i, pid in enumerate(PARAGRAPHS, 1)}
    for coder, row in zip(CODERS, cells, strict=True):
        for pid, (done, applied, level) in zip(PARAGRAPHS, row, strict=True):
            statuses.append((seq[pid], coder, "done" if done else None, 0, None))
            if applied:
                codings.append((seq[pid], coder, "a", 1))
            if level:
                codings.append((seq[pid], coder, "s", level))
    for pid, value in adjudicated.items():
        statuses.append((seq[pid], "consensus", "done", 0, None))
        codings.append((seq[pid], "consensus", "a", value))
    paragraphs = pd.DataFrame([(p, "d", i, i) for i, p in enumerate(PARAGRAPHS, 1)],
                              columns=["paragraph_id", "document_id", "position", "seq"])
    return Chunk(paragraphs, pd.DataFrame(statuses, columns=["seq", "coder", "status", "flagged", "note"]),
                 pd.DataFrame(codings, columns=["seq", "coder", "code", "value"]))


def reference(cells: list[list[tuple[bool, int, str | None]]], p: int, column: int, rule: str) -> object:
    votes = [row[p][column] for row in cells if row[p][0]]
    if len(votes) < 2:
        return None
    value, count = Counter(votes).most_common(1)[0]
    ok = count == len(votes) if rule == "unanimous" else count * 2 > len(votes)
    return value if ok else None


@settings(max_examples=150, deadline=None)
@given(grid, st.sampled_from(["unanimous", "majority"]))
def test_combined_values_match_the_reference(cells: list, rule: str) -> None:
    out = combined_values(chunk_of(cells, {}), CODERS, CODES, rule)
    for p, pid in enumerate(PARAGRAPHS):
        for column, code in ((1, "a"), (2, "s")):
            got = out.loc[pid, code]
            expected = reference(cells, p, column, rule)
            assert (None if pd.isna(got) else got) == expected, (pid, code, cells)
        assert out.loc[pid, "coders_done"] == sum(row[p][0] for row in cells)


@settings(max_examples=60, deadline=None)
@given(grid, st.dictionaries(st.sampled_from(PARAGRAPHS), st.sampled_from([0, 1])))
def test_adjudication_wins_over_the_coders(cells: list, adjudicated: dict[str, int]) -> None:
    out = consensus_values(chunk_of(cells, adjudicated), ["consensus", *CODERS], CODES)
    for p, pid in enumerate(PARAGRAPHS):
        got = out.loc[pid, "a"]
        expected = adjudicated[pid] if pid in adjudicated else reference(cells, p, 1, "unanimous")
        assert (None if pd.isna(got) else got) == expected
        assert out.loc[pid, "basis"] == expected_basis(cells, p, adjudicated.get(pid))


def expected_basis(cells: list[list[tuple[bool, int, str | None]]], p: int, decided: int | None) -> str | None:
    """`unanimous` or `single coder` when the adjudicator kept what the coders gave (the
    adjudicator here sets `a` only, so `s` must be unset by all), else `adjudicated`."""
    done = [row[p] for row in cells if row[p][0]]
    if decided is None:
        return "unanimous" if len(done) >= 2 else None
    kept = all(a == decided and s is None for _, a, s in done)
    if kept and len(done) >= 2:
        return "unanimous"
    if kept and len(done) == 1:
        return "single coder"
    return "adjudicated"


def test_combined_notes_are_only_real_notes() -> None:
    # A note cell pandas reads as missing (NaN) or a blank note is no note: never "c1: nan".
    nan = float("nan")
    statuses = pd.DataFrame(
        [(1, "c1", "done", 0, nan), (1, "c2", "done", 0, nan),
         (2, "c1", "done", 0, "Check the date"), (2, "c2", "done", 0, "  "),
         (3, "consensus", "done", 0, nan)],
        columns=["seq", "coder", "status", "flagged", "note"])
    paragraphs = pd.DataFrame([(p, "d", i, i) for i, p in enumerate(["d:1", "d:2", "d:3"], 1)],
                              columns=["paragraph_id", "document_id", "position", "seq"])
    chunk = Chunk(paragraphs, statuses, pd.DataFrame([], columns=["seq", "coder", "code", "value"]))
    majority = combined_values(chunk, ["c1", "c2"], CODES, "majority")
    assert majority["note"].tolist() == [None, "c1: Check the date", None]
    consensus = consensus_values(chunk, ["c1", "c2", "consensus"], CODES)
    assert consensus["note"].tolist() == [None, "c1: Check the date", None]
