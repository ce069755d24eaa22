"""Counting exported rows that break the codebook's `required:` rules, chunk by chunk.

The dataset writers stream chunks; the count is taken as each chunk of chosen values passes, so
an export reads the project once. NumPy over the chosen values of exports/votes.py (the overview
counts the same way, without pandas).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from exports.votes import Chosen, CodeSpec

SHOWN = 5


@dataclass
class GapTally:
    """Exported done rows that miss a required variable, counted while the rows are produced."""

    required: Mapping[str, str]
    """Variable id -> `always` or `when_coded` (Codebook.required)."""
    rows: int = 0
    first: list[str] = field(default_factory=list)
    """The paragraph ids of the first such rows (up to SHOWN), for the message."""

    def count(self, chosen: Chosen, codes: list[CodeSpec], ids: Sequence[object]) -> None:
        """Add the rows of `chosen` (one per row of the export, `coded` marking the done ones;
        `ids`: each row's paragraph id) that leave a required variable unset."""
        broken = self.broken(chosen, codes)
        self.rows += int(broken.sum())
        if len(self.first) < SHOWN and broken.any():
            found = [str(ids[i]) for i in np.flatnonzero(broken)[:SHOWN]]
            self.first = list(dict.fromkeys([*self.first, *found]))[:SHOWN]

    def broken(self, chosen: Chosen, codes: list[CodeSpec]) -> NDArray[np.bool_]:
        """Which rows of `chosen` are done and leave a required variable unset."""
        broken = np.zeros(len(chosen), dtype=bool)
        if not self.required or not len(chosen):
            return broken
        done = chosen.coded
        place = {code.id: j for j, code in enumerate(codes)}
        code_places = [j for j, code in enumerate(codes) if code.is_code]
        coded = ((chosen.numbers[:, code_places] == 1) & chosen.present[:, code_places]).any(axis=1)
        for variable, rule in self.required.items():
            if variable not in place:
                continue
            unset = ~chosen.present[:, place[variable]]
            broken |= done & unset & (coded if rule == "when_coded" else True)
        return broken
