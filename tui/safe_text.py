"""Text bound for a terminal, made harmless: the one function every printed value goes through,
in the CLI (tui/console.py renders everything through it) and in the TUI's screens.

No Rich here: the CLI's error path (tui/cli.py) uses it without loading anything heavy.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

_SHOWN = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: "\u2421",
    **dict.fromkeys(range(0x80, 0xA0), "\ufffd"),
}
"""What a terminal acts on instead of showing, and the one character shown for it: C0 controls
(ESC starts CSI and OSC sequences, CR and backspace overwrite) as their Unicode control pictures
(ESC as ␛), DEL as ␡, the C1 controls (0x9b is an 8-bit CSI) as �. Newline and tab are layout and
stay. One character for one keeps a Rich Text's styled spans in place."""


SHOWN = re.compile("[" + "".join(map(chr, _SHOWN)) + "]")
"""A character printable changes: searched first in non-ASCII text, where translate is slow."""


def printable(text: str) -> str:
    """`text` with every control character shown as a picture of it: a name holding `ESC [2J`
    shows as `␛[2J` instead of clearing the screen."""
    if not text.isascii() and not SHOWN.search(text):
        return text
    return text.translate(_SHOWN)


def for_stdout(text: str) -> str:
    """A report or dataset written to stdout: as it is into a pipe or file (the data, byte for
    byte), printable on a terminal, where it would act."""
    return printable(text) if sys.stdout.isatty() else text


@contextmanager
def stdout_for_data() -> Iterator[IO[str]]:
    """Where a command writes a dataset or report meant for stdout: stdout itself into a pipe or
    file; on a terminal a buffer, shown printable when the command is done."""
    if not sys.stdout.isatty():
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer
    sys.stdout.write(printable(buffer.getvalue()))
