"""The bulk count of open disagreements (`accord status`) against the exact listing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import CONSENSUS, Project
import store.teams.adjudication
from store.teams.adjudication import _DECIDED_ROW, disagreements, open_disagreements
from store.teams.open_disagreements import NotCountable, count_open
from store.intake.source import SourceDocument
from tests.helpers import documents, small_codebook

CODERS = ("ann", "ben", "cal", CONSENSUS)
CODES = ("border_control", "wmd", "nuclear", "stance")
ABSENT = "absent"
"""No codings row at all (as opposed to a row whose value is NULL: cleared, or undone)."""
VALUES = st.sampled_from([ABSENT, ABSENT, None, 0, 1, 1, "1", "support", "oppose"])
STATUSES = st.sampled_from([None, "done", "done", "done", "skipped"])


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """One project whose coders' tables each example rewrites (creating a file per example
    would make the property test slow)."""
    project = Project.create(tmp_path_factory.mktemp("count") / "accord.db", small_codebook())
    project.import_documents(documents(3, 2))
    for coder in CODERS:
        project.coder(coder)
    yield project
    project.close()


def listed(project: Project, adjudicator: str = CONSENSUS) -> int:
    """The count as it was: every disagreement listed, the undecided ones counted."""
    return sum(1 for item in disagreements(project, adjudicator) if not item.decided)


def write(project: Project, statuses: list[str | None], values: list[object], decisions: list[bool],
          retired: bool) -> None:
    """Statuses and values for every (paragraph, coder) and (paragraph, coder, code), in bulk SQL
    so that values Accord itself would refuse (a code's text '1') get in too; `decisions` log an
    event for the consensus rows, which makes a NULL row an explicit "no level" decision."""
    paragraphs = [row[0] for row in project.db.execute("select id from paragraphs order by seq")]
    db = project.db
    with project.transaction():
        for table in ("codings", "paragraph_status", "events"):
            db.execute(f"delete from {table}")
        db.execute("update codes set retired = ? where id = 'nuclear'", [int(retired)])
        pairs = [(p, c) for p in paragraphs for c in CODERS]
        for (paragraph, coder), status in zip(pairs, statuses, strict=True):
            if status is not None:
                db.execute("insert into paragraph_status (paragraph_id, coder_id, status, updated_at) "
                           "values (?, ?, ?, 't')", [paragraph, coder, status])
        triples = [(p, c, code) for p, c in pairs for code in CODES]
        for n, ((paragraph, coder, code), value) in enumerate(zip(triples, values, strict=True)):
            if value == ABSENT:
                continue
            at = f"t{n}"
            db.execute("insert into codings values (?, ?, ?, ?, ?)", [paragraph, coder, code, value, at])
            if coder == CONSENSUS and decisions[n % len(decisions)]:
                db.execute("insert into events (id, at, coder_id, paragraph_id, code_id, action, value) "
                           "values (?, ?, ?, ?, ?, 'code', ?)", [f"e{n}", at, coder, paragraph, code, value])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=st.lists(STATUSES, min_size=20, max_size=20),
       values=st.lists(VALUES, min_size=80, max_size=80),
       decisions=st.lists(st.booleans(), min_size=1, max_size=5),
       retired=st.booleans(), adjudicator=st.sampled_from([CONSENSUS, "cal"]))
def test_the_count_is_the_number_of_undecided_disagreements_listed(
        shared: Project, statuses: list[str | None], values: list[object], decisions: list[bool],
        retired: bool, adjudicator: str) -> None:
    write(shared, statuses, values, decisions, retired)
    assert count_open(shared, adjudicator, _DECIDED_ROW) == listed(shared, adjudicator)


def test_a_value_stored_as_a_real_number_is_counted_by_the_listing(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """ann's 1 and ben's 1.0 are two values to the adjudication rules; SQLite would group them."""
    monkeypatch.setattr(store.teams.adjudication, "LISTED_UP_TO", 0)  # count in bulk, as on a large project
    for coder in ("ann", "ben"):
        project.set_coding("doc1:1", coder, "wmd", 1)
        project.set_status("doc1:1", coder, "done")
    assert open_disagreements(project) == 0
    project.db.execute("update codings set value = 1.0 where coder_id = 'ben'")
    with pytest.raises(NotCountable):
        count_open(project, CONSENSUS, _DECIDED_ROW)
    assert open_disagreements(project) == listed(project) == 1


def test_a_paragraph_id_holding_the_separator_is_counted_by_the_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.teams.adjudication, "LISTED_UP_TO", 0)
    with Project.create(tmp_path / "accord.db", small_codebook()) as project:
        project.import_documents([SourceDocument(id="odd\x1fname", paragraphs=["One.", "Two."])])
        first = project.paragraph_at(1)
        assert first is not None
        for coder, value in (("ann", 1), ("ben", 0)):
            project.set_coding(first.id, coder, "wmd", value)
            project.set_status(first.id, coder, "done")
        with pytest.raises(NotCountable):
            count_open(project, CONSENSUS, _DECIDED_ROW)
        assert open_disagreements(project) == 1
