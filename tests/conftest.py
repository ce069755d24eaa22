"""Fixtures every test may ask for: a project on a temporary file. Helpers are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Project
from tests.helpers import documents, small_codebook


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A new project with the small codebook and two documents of 3 and 2 paragraphs."""
    proj = Project.create(tmp_path / "accord.db", small_codebook())
    proj.import_documents(documents(3, 2))
    yield proj
    proj.close()
