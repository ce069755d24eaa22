"""Finding disagreements among done coders and storing consensus decisions."""

from __future__ import annotations

import pytest

from store import CONSENSUS, AccordError, Project
from store.teams.adjudication import (
    Disagreement,
    accept_unanimous,
    decide,
    disagreements,
    open_disagreements,
    positions,
    undo_decision,
)


@pytest.fixture
def coded(project: Project) -> Project:
    """ann and ben disagree on doc1:1 (wmd, stance), agree on doc1:2; doc1:3 is ann's alone."""
    for coder, values in {"ann": {"border_control": 1, "wmd": 1, "stance": "support"},
                          "ben": {"border_control": 1, "stance": "oppose"}}.items():
        for code, value in values.items():
            project.set_coding("doc1:1", coder, code, value)
        project.set_coding("doc1:2", coder, "border_control", 1)
        project.set_status("doc1:1", coder, "done")
        project.set_status("doc1:2", coder, "done")
        project.set_note("doc1:1", coder, f"{coder} hesitated")
    project.set_coding("doc1:3", "ann", "nuclear", 1)
    project.set_status("doc1:3", "ann", "done")
    project.set_coding("doc1:3", "ben", "wmd", 1)  # ben has not marked doc1:3 done: not a vote
    project.set_coding("doc1:2", "cal", "wmd", 1)  # nor has cal
    return project


def test_only_done_coders_disagreements_are_listed_in_order(coded: Project) -> None:
    assert disagreements(coded) == [
        Disagreement("doc1:1", 1, "wmd", False),
        Disagreement("doc1:1", 1, "stance", False),
    ]
    assert disagreements(coded, codes=["stance"]) == [Disagreement("doc1:1", 1, "stance", False)]
    assert open_disagreements(coded) == 2
    with pytest.raises(AccordError, match="no code 'nope'"):
        disagreements(coded, codes=["nope"])


def test_positions_show_each_coders_value_and_note(coded: Project) -> None:
    wmd = positions(coded, "doc1:1", "wmd")
    assert wmd.values == {"ann": 1, "ben": 0}
    assert wmd.notes == {"ann": "ann hesitated", "ben": "ben hesitated"}
    assert not wmd.decided
    assert positions(coded, "doc1:1", "stance").values == {"ann": "support", "ben": "oppose"}


def test_accept_unanimous_fills_consensus_and_completes_settled_paragraphs(coded: Project) -> None:
    accepted = accept_unanimous(coded)
    # doc1:1 border_control, doc1:2 border_control, doc1:3 nuclear (ann alone).
    assert accepted.values == 3 and accepted.paragraphs == 2
    assert coded.codings("doc1:1", CONSENSUS) == {"border_control": 1}
    assert coded.codings("doc1:2", CONSENSUS) == {"border_control": 1}
    assert coded.codings("doc1:3", CONSENSUS) == {"nuclear": 1}
    assert [coded.status(p, CONSENSUS).status for p in ("doc1:1", "doc1:2", "doc1:3")] == [None, "done", "done"]
    assert len(coded.events(CONSENSUS)) == 5
    assert accept_unanimous(coded) == accept_unanimous(coded).__class__(0, 0)
    assert open_disagreements(coded) == 2


def test_decisions_complete_the_paragraph_and_undo_takes_them_back(coded: Project) -> None:
    decide(coded, "doc1:1", "wmd", 0)
    assert coded.status("doc1:1", CONSENSUS).status is None
    assert [d.decided for d in disagreements(coded)] == [True, False]
    decide(coded, "doc1:1", "stance", "support", reason="the speaker welcomes the treaty")
    assert coded.codings("doc1:1", CONSENSUS) == {"border_control": 1, "wmd": 0, "stance": "support"}
    status = coded.status("doc1:1", CONSENSUS)
    assert status.status == "done" and status.note == "stance: the speaker welcomes the treaty"
    assert open_disagreements(coded) == 0
    assert positions(coded, "doc1:1", "stance").decision == "support"

    assert undo_decision(coded) == ("doc1:1", "stance")
    assert coded.codings("doc1:1", CONSENSUS) == {"border_control": 1, "wmd": 0}
    assert coded.status("doc1:1", CONSENSUS) == coded.status("doc1:1", "nobody")
    assert open_disagreements(coded) == 1
    with pytest.raises(AccordError, match="no level 'maybe'"):
        decide(coded, "doc1:1", "stance", "maybe")


def test_undo_of_a_session_stops_at_its_start(coded: Project) -> None:
    from store.clock import now

    accept_unanimous(coded)
    started = now()
    assert undo_decision(coded, since=started) is None
    assert coded.status("doc1:2", CONSENSUS).status == "done"  # the bulk accept stands
    decide(coded, "doc1:1", "wmd", 1)
    assert undo_decision(coded, since=started) == ("doc1:1", "wmd")
    assert undo_decision(coded, since=started) is None
    assert coded.codings("doc1:1", CONSENSUS) == {"border_control": 1}
