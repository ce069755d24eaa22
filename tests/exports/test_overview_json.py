"""The JSON of an overview with many groups is written piece by piece (exports/overview_report.py
`to_json`): it must be the very text json.dumps gives of the same content."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.overview import Entry, Overview, Rows
from exports.overview_report import SMALL_JSON, to_dict, to_json

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8)


def overview(groups: list[str], seed: int) -> Overview:
    rng = np.random.default_rng(seed)
    entries = [Entry("wmd", None, "WMD"), Entry("stance", "för", 'Stance: "för"'), Entry("nuclear", None, "Nuclear")]
    paragraphs = rng.integers(0, 40, len(groups))
    done = (paragraphs * rng.random(len(groups))).astype(np.int64)  # some groups with none done: shares NaN
    counts = (done[:, None] * rng.random((len(groups), len(entries)))).astype(np.int64)
    return Overview("project-ü", "consensus", None, "document", groups, entries, ["wmd", "nuclear"], counts,
                    paragraphs, done, rng.integers(0, 3, len(groups)), rng.integers(0, 2, len(groups)),
                    np.array([[5, 2], [2, 0]]), Rows(np.array([], dtype=object), None, np.zeros(0, dtype=np.int64),
                                                      np.zeros((0, 3), dtype=bool)))


@settings(max_examples=25, deadline=None)
@given(st.lists(names, min_size=SMALL_JSON + 1, max_size=SMALL_JSON + 30, unique=True), st.integers(0, 2**32 - 1))
def test_many_groups_give_the_json_of_the_whole_content(groups: list[str], seed: int) -> None:
    report = overview(groups, seed)
    assert to_json(report) == json.dumps(to_dict(report), ensure_ascii=False) + "\n"


def test_a_group_named_like_a_mark_still_gives_the_same_json() -> None:
    report = overview([f"doc{i}" for i in range(SMALL_JSON)] + ["\x000"], 1)
    assert to_json(report) == json.dumps(to_dict(report), ensure_ascii=False) + "\n"


def test_the_csv_is_each_figure_on_a_line_of_neutralised_quoted_cells() -> None:
    """to_csv neutralises and quotes each distinct cell once: the same lines as cell by cell."""
    from exports.cells import delimited_line
    from exports.overview_report import to_csv

    report = overview([f"doc{i}" for i in range(60)] + ["=cmd()", 'a,"b"', "-2", "é"], 7)
    lines = to_csv(report).splitlines(keepends=True)
    cells = [next(iter(__import__("csv").reader([line]))) for line in lines]
    assert lines == [delimited_line(row if i == 0 else [c[1:] if c.startswith("'") else c for c in row], ",")
                     for i, row in enumerate(cells)]
    assert "'=cmd()" in to_csv(report) and '"a,""b"""' in to_csv(report)
