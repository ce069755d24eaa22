"""What the coder sees, at the smallest supported terminal and at a large one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import AccordApp


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_coding_screen(snap_compare, project_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AccordApp(project_path, "alice"), press=["right", "b", "f"], terminal_size=size)


def test_help_screen(snap_compare, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AccordApp(project_path, "alice"), press=["question_mark"], terminal_size=(80, 24))


def test_document_list(snap_compare, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AccordApp(project_path, "alice"), press=["enter", "g"], terminal_size=(80, 24))
