"""The drift view orders each coder's work by time: the stamps read as microseconds without
pandas when they are the clock's (store/clock.py), and exactly as pandas reads them otherwise."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from store.joined_ids import _microseconds


def by_pandas(stamps: list[str]) -> list[int]:
    parsed = pd.to_datetime(pd.Series(stamps, dtype=object), format="ISO8601", utc=True, errors="coerce")
    return parsed.to_numpy(dtype="datetime64[us]").view(np.int64).tolist()


def clock_stamps(seed: int, n: int) -> list[str]:
    rng, start = random.Random(seed), dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    return [(start + dt.timedelta(microseconds=rng.randrange(200 * 365 * 86_400 * 10**6))).isoformat(
        timespec="microseconds") for _ in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_the_clocks_stamps_read_as_pandas_reads_them(seed: int) -> None:
    stamps = [*clock_stamps(seed, 2_000), "2024-02-29T23:59:59.999999+00:00", "1970-01-01T00:00:00.000000+00:00"]
    assert _microseconds(np.array(stamps, dtype=object)).tolist() == by_pandas(stamps)


@pytest.mark.parametrize("odd", ["2026-02-30T00:00:00.000000+00:00", "2026-01-01T01:00:00+01:00", "not a time",
                                 "2026-01-01T24:00:00.000000+00:00", "2026-01-01T00:00:00.000000+00:01",
                                 "2026-01-01T00:00:00.00000/+00:00", "2026-01-01T00:00:00Z", "é", ""])
def test_any_other_stamp_reads_as_pandas_reads_it(odd: str) -> None:
    stamps = [*clock_stamps(9, 3), odd]
    assert _microseconds(np.array(stamps, dtype=object)).tolist() == by_pandas(stamps)
