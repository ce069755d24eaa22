"""The project's clock: every stored timestamp comes from `now()`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_last_stamp = ""


def now() -> str:
    """UTC timestamp with microseconds, strictly increasing within this process.

    Merges keep the most recent value, so two writes in one microsecond must not tie.
    """
    global _last_stamp
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    if stamp <= _last_stamp:
        stamp = (datetime.fromisoformat(_last_stamp) + timedelta(microseconds=1)).isoformat(timespec="microseconds")
    _last_stamp = stamp
    return stamp
