"""Counting exported rows that break the codebook's `required:` rules, chunk by chunk.

The dataset writers stream chunks; the count is taken as each chunk of chosen values passes, so
an export reads the project once. Pure pandas over the frames of exports/coded.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exports.coded import CodeSpec

SHOWN = 5


@dataclass
class GapTally:
    """Exported done rows that miss a required variable, counted while the rows are produced."""

    required: Mapping[str, str]
    """Variable id -> `always` or `when_coded` (Codebook.required)."""
    rows: int = 0
    first: list[str] = field(default_factory=list)
    """The paragraph ids of the first such rows (up to SHOWN), for the message."""

    def count(self, chosen: pd.DataFrame, codes: list[CodeSpec]) -> None:
        """Add the rows of `chosen` (coded.py's values: one per row of the export, `_coded`
        marking the done ones) that leave a required variable unset."""
        broken = self.broken(chosen, codes)
        self.rows += int(broken.sum())
        if len(self.first) < SHOWN and broken.any():
            ids = dict.fromkeys([*self.first, *map(str, chosen.index[broken][:SHOWN])])
            self.first = list(ids)[:SHOWN]

    def broken(self, chosen: pd.DataFrame, codes: list[CodeSpec]) -> NDArray[np.bool_]:
        """Which rows of `chosen` are done and leave a required variable unset."""
        done = chosen["_coded"].to_numpy(dtype=bool) if len(chosen) else np.zeros(0, dtype=bool)
        broken = np.zeros(len(chosen), dtype=bool)
        if not self.required or chosen.empty:
            return broken
        code_ids = [code.id for code in codes if code.is_code and code.id in chosen]
        coded = (chosen[code_ids].fillna(0).to_numpy(dtype="int64") == 1).any(axis=1) if code_ids else done & False
        for variable, rule in self.required.items():
            if variable not in chosen:
                continue
            unset = chosen[variable].isna().to_numpy()
            broken |= done & unset & (coded if rule == "when_coded" else True)
        return broken
