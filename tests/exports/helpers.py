"""What export tests share: a small coded project (two coders, one adjudicator, notes and flags),
and an extra coefficient column for the reliability report."""

from __future__ import annotations

from exports.agreement import brennan_prediger
from exports.alpha import Interval
from exports.ratings import Ratings
from exports.report_columns import Bootstrap, CoefficientColumn
from store import CONSENSUS, Project


def code_two_coders(project: Project) -> Project:
    """alice and bob on the fixture `project` (doc1: 3 paragraphs, doc2: 2).

    doc1:1 both apply border_control, both say stance=support, alice notes, bob flags;
    doc1:2 they disagree on border_control (alice 1, bob 0); adjudicated to 0 by consensus;
    doc1:3 nobody has done it (alice applied wmd but did not mark it done);
    doc2:1 only alice did it (wmd, nuclear); doc2:2 untouched.
    """
    for coder in ("alice", "bob"):
        project.set_coding("doc1:1", coder, "border_control", 1)
        project.set_coding("doc1:1", coder, "stance", "support")
        project.set_status("doc1:1", coder, "done")
        project.set_coding("doc1:2", coder, "border_control", 1 if coder == "alice" else 0)
        project.set_status("doc1:2", coder, "done")
    project.set_note("doc1:1", "alice", "=HYPERLINK(\"x\")")
    project.set_flag("doc1:1", "bob", True)
    project.set_coding("doc1:3", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "nuclear", 1)
    project.set_status("doc2:1", "alice", "done")
    project.set_coding("doc1:2", CONSENSUS, "border_control", 0)
    project.set_status("doc1:2", CONSENSUS, "done")
    return project


def _bootstrap_stub(ratings: Ratings, level: str, replicates: int, seed: int) -> Interval:
    """A fixed interval: the tests are about where it is shown, not how it is drawn."""
    return Interval(0.1111, 0.9999)


EXTRA_COLUMN = CoefficientColumn(
    "brennan_prediger", "BP", lambda ratings, level: brennan_prediger(ratings), Bootstrap("bp", _bootstrap_stub),
)
"""Brennan and Prediger's coefficient, with a stub interval: not in the report until a test adds it."""
