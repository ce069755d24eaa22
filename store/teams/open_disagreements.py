"""How many disagreements wait for a decision, counted in bulk for `accord status`.

`adjudication.disagreements` lists every (paragraph, code) with its place in the corpus; at
1,000,000 paragraphs (576,754 disagreements) that took 8.5 s of CPU, most of it SQLite
grouping 2.4 million codings by (paragraph, code). A count needs no order: three grouped
queries read, off covering indexes and in index order, which paragraphs each coder has done
and where each coder gave each value, as one string of paragraph ids per group; NumPy then
numbers them (as bytes, sorted and searched in C) and counts per paragraph. The rules are
those of `adjudication` (its module docstring); a test checks the two agree on random projects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from store.coding import CONSENSUS
from store.joined_ids import ID_SEPARATOR

if TYPE_CHECKING:  # NumPy loads when the count runs, not with every project (startup)
    import numpy as np

    from store.project import Project


class NotCountable(Exception):
    """The bulk count cannot be trusted on this project: a paragraph id holds the separator or
    a NUL byte, or a value is stored as a real number (SQLite would group 1 and 1.0 as one
    value where the adjudication rules count two). Accord never writes either; the caller then
    counts through the exact listing instead."""


def count_open(project: Project, adjudicator: str, decided_row: str) -> int:
    """Disagreements on paragraphs done by two or more coders (not `adjudicator`, not
    `consensus`) that `adjudicator` has not decided.

    Args:
        project: an open Project.
        adjudicator: whose decisions settle a disagreement (and whose codings are no vote).
        decided_row: SQL condition on the adjudicator's codings row `a` that makes it a decision.

    Raises:
        NotCountable: see there.
    """
    import numpy as np

    db = project.db
    excluded = [adjudicator, CONSENSUS]
    done_rows = db.execute(
        """select coder_id, count(*), group_concat(paragraph_id, char(31)) from paragraph_status
           where status = 'done' and coder_id not in (?, ?) group by coder_id""",
        excluded,
    ).fetchall()
    if len(done_rows) < 2:
        return 0
    lists = {coder: _ids(ids, count) for coder, count, ids in done_rows}
    # Every paragraph someone has done, sorted: a paragraph's number is its place here.
    universe = np.concatenate(list(lists.values()))
    universe.sort(kind="stable")  # timsort: each coder's list comes sorted off the index
    universe = universe[np.concatenate(([True], universe[1:] != universe[:-1]))]
    size = len(universe)
    done = {coder: _mask(np.searchsorted(universe, ids), size) for coder, ids in lists.items()}
    coders = np.zeros(size, dtype=np.int64)
    for mask in done.values():
        coders += mask
    votes: dict[str, np.ndarray[Any, Any]] = {}
    distinct: dict[tuple[str, object], np.ndarray[Any, Any]] = {}
    kinds = dict(db.execute("select id, kind from codes where retired = 0").fetchall())
    for coder, code, value, where in _value_groups(project, excluded, kinds, universe):
        if coder not in done:
            continue
        where = where[done[coder][where]]  # a value on a paragraph the coder has not done is no vote
        votes.setdefault(code, np.zeros(size, dtype=np.int64))[where] += 1
        # One group per coder, code and value: a value is counted once per paragraph below.
        distinct.setdefault((code, value), np.zeros(size, dtype=bool))[where] = True
    values_seen = {code: np.zeros(size, dtype=np.int64) for code in votes}
    for (code, _), seen in distinct.items():
        values_seen[code] += seen
    decided = _decided(project, adjudicator, decided_row, universe)
    total = 0
    for code, rows in votes.items():
        split = (coders >= 2) & (rows > 0) & ((rows < coders) | (values_seen[code] > 1))
        if code in decided:
            split[decided[code]] = False
        total += int(split.sum())
    return total


def _ids(joined: str, count: int) -> np.ndarray[Any, Any]:
    """The paragraph ids of one `group_concat` as a NumPy bytes array (compared as bytes in C,
    which is what makes the count fast: no Python string per id)."""
    import numpy as np

    data = joined.encode()
    ids = np.array(data.split(ID_SEPARATOR.encode()))
    if len(ids) != count or b"\x00" in data:  # bytes arrays drop trailing NULs: "a" would be "a\x00"
        raise NotCountable
    return ids


def _numbers(universe: np.ndarray[Any, Any], ids: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Places of `ids` in the sorted `universe`; ids not in it left out."""
    import numpy as np

    places = np.minimum(np.searchsorted(universe, ids), len(universe) - 1)
    found: np.ndarray[Any, Any] = places[universe[places] == ids]
    return found


def _mask(where: np.ndarray[Any, Any], size: int) -> np.ndarray[Any, Any]:
    import numpy as np

    mask = np.zeros(size, dtype=bool)
    mask[where] = True
    return mask


def _value_groups(project: Project, excluded: list[str], kinds: dict[str, str],
                  universe: np.ndarray[Any, Any]) -> Iterator[tuple[str, str, object, np.ndarray[Any, Any]]]:
    """(coder, code, value, paragraph numbers) for every value that is a vote: 1 for a
    code, any level for a variable, on codes not retired; paragraphs no coder has done left out."""
    rows = project.db.execute(
        """select coder_id, code_id, value, max(typeof(value)), count(*), group_concat(paragraph_id, char(31))
           from codings where value is not null and coder_id not in (?, ?)
           group by coder_id, code_id, value""",
        excluded,
    )
    for coder, code, value, kind_of_value, count, ids in rows:
        kind = kinds.get(code)
        if kind is None or (kind == "code" and not (kind_of_value in ("integer", "real") and value == 1)):
            continue
        if kind_of_value == "real":  # 'real' sorts after 'integer': a group may mix 1 and 1.0
            raise NotCountable
        yield coder, code, value, _numbers(universe, _ids(ids, count))


def _decided(project: Project, adjudicator: str, decided_row: str,
             universe: np.ndarray[Any, Any]) -> dict[str, np.ndarray[Any, Any]]:
    """Code id -> paragraph numbers the adjudicator has decided."""
    rows = project.db.execute(
        f"""select a.code_id, count(*), group_concat(a.paragraph_id, char(31)) from codings a
            where a.coder_id = ? and {decided_row} group by a.code_id""",
        [adjudicator],
    )
    return {code: _numbers(universe, _ids(ids, count)) for code, count, ids in rows}
