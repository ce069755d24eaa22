"""`accord demo` in a real (pseudo-)terminal: it opens the coding screen, and the keys a new user
presses first (`1`, `enter`, `q`) leave their work in the project file."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Project
from store.demo import DEMO_FILE
from tests.helpers import REPO

pty = pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")

READY = b"Madam President"
"""Words of the demo's first paragraph: once drawn, the coding screen takes keys."""


def read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float) -> bool:
    """Collect the terminal's output until `wanted` appears (True) or the time is up."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if wanted in seen:
            return True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the program closed the terminal
                return wanted in seen
            if not chunk:
                return wanted in seen
            seen.extend(chunk)
    return wanted in seen


def test_accord_demo_opens_the_coding_screen_and_saves_the_first_keys(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("ACCORD_PROJECT", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", "--dir", str(tmp_path), "--coder", "newcomer"],
        cwd=REPO, env=env, stdin=follower, stdout=follower, stderr=follower, close_fds=True,
    )
    os.close(follower)
    seen = bytearray()
    try:
        assert read_until(leader, READY, seen, timeout=60), seen[-2000:].decode(errors="replace")
        # A code, then the two variables the codebook requires on a coded paragraph (first levels).
        for key in (b"1", b"S", b"1", b"L", b"1", b"\r", b"q"):
            os.write(leader, key)
            read_until(leader, b"\x00never", seen, timeout=1.0)  # let the screen catch up
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert process.returncode == 0, seen[-2000:].decode(errors="replace")
    assert b"Built the demo project" in seen
    assert b"Your work is saved in" in seen
    with Project.open(tmp_path / DEMO_FILE) as project:
        first = project.paragraph_at(1)
        assert first is not None
        assert project.status(first.id, "newcomer").status == "done"
        first_code = next(c.id for c in project.codes() if c.kind == "code" and c.parent_id is None)
        assert project.codings(first.id, "newcomer") == {first_code: 1, "stance": "supports", "salience": "low"}
        assert project.progress("newcomer").done == 1
        # The demo coders' work is still there beside the newcomer's.
        assert project.progress("amina").done > 40
