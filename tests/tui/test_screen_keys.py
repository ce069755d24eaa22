"""The codebook may not give a code a key the coding screen keeps for itself."""

from __future__ import annotations

import pytest

from store.codebook.parser import parse_codebook
from store.errors import CodebookError
from tui.keys import RESERVED_KEYS
from tui.screens.coding import CodingScreen

SCREEN_NAMES = {"question_mark": "?", "slash": "/"}


def screen_keys() -> set[str]:
    """Every single-character key a binding of the coding screen takes."""
    keys = {SCREEN_NAMES.get(k.strip(), k.strip()) for b in CodingScreen.BINDINGS for k in b.key.split(",")}  # type: ignore[union-attr]
    return {k for k in keys if len(k) == 1}


def test_every_screen_key_is_reserved_in_the_codebook() -> None:
    assert screen_keys() <= RESERVED_KEYS


@pytest.mark.parametrize("key", sorted(screen_keys()))
def test_a_code_on_a_screen_key_is_refused(key: str) -> None:
    text = f"codebook: T\ncodes:\n  - id: alpha\n    label: Alpha\n    key: '{key}'\n"
    with pytest.raises(CodebookError, match="reserved"):
        parse_codebook(text, "cb.yaml", reserved_keys=RESERVED_KEYS)
