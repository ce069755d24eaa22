"""Pilot fixtures: a project file on disk for an app to open. Pilot helpers are in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Project
from tests.helpers import documents, small_codebook


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty project with the small codebook: what `accord init` then `import` starts from."""
    path = tmp_path / "accord.db"
    Project.create(path, small_codebook()).close()
    return path


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with the small codebook and two documents of 3 and 2 paragraphs."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    return path
