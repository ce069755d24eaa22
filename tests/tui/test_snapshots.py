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


@pytest.fixture
def demo_project(tmp_path: Path) -> Path:
    """The shipped codebook and demo statements: real paragraphs and definitions to fill a big screen."""
    from store import Project
    from store.codebook.parser import default_codebook_path, load_codebook
    from store.demo import demo_documents

    path = tmp_path / "demo.db"
    with Project.create(path, load_codebook(default_codebook_path())) as project:
        project.import_documents(demo_documents())
    return path


def test_coding_screen_uses_a_large_terminal(snap_compare, demo_project: Path) -> None:  # type: ignore[no-untyped-def]
    """At 200x60 the paragraph with its context, the whole codebook list and the focused code's
    definition, rules and example are all on screen."""
    assert snap_compare(AccordApp(demo_project, "alice"), press=["right"], terminal_size=(200, 60))
