"""Text bound for a terminal, made harmless: the one function every printed value goes through.

No Rich here: the CLI's error path (tui/cli.py) uses it without loading anything heavy.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters a terminal acts on instead of showing: C0 controls but newline and tab (ESC starts
CSI and OSC sequences, CR and backspace overwrite), DEL, and the C1 controls (0x9b is an 8-bit CSI)."""


def printable(text: str) -> str:
    """`text` with every control character written out as `\\xNN`, as Python's repr writes it: a
    name holding `ESC [2J` shows as `\\x1b[2J` instead of clearing the screen."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def for_stdout(text: str) -> str:
    """A report or dataset written to stdout: as it is into a pipe or file (the data, byte for
    byte), printable on a terminal, where it would act."""
    import sys

    return printable(text) if sys.stdout.isatty() else text
