"""Shared fixtures: a small codebook and a project on a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Code, Codebook, Level, Project
from store.intake.source import SourceDocument

REPO = Path(__file__).resolve().parent.parent
SHARED = next((d / "shared" for d in REPO.parents if (d / "shared" / "corpus").is_dir()), REPO.parent / "shared")
"""The team's read-only shared folder: beside the clone in CI, found from a worktree too."""
KAZAKHSTAN = SHARED / "corpus" / "unsc-kazakhstan"
"""Five statements by Kazakhstan to the Security Council, as text extracted from the PDF records."""

SMALL_YAML = """\
codebook: Test codebook
version: "1"
codes:
  - id: border_control
    label: Border control
    key: b
  - id: wmd
    label: WMD
    key: w
    children:
      - id: nuclear
        label: Nuclear
        key: n
variables:
  - id: stance
    label: Stance
    kind: single
    key: s
    levels:
      - {value: support, label: Supports}
      - {value: oppose, label: Opposes}
"""


def small_codebook(source: str = SMALL_YAML) -> Codebook:
    """The codebook of SMALL_YAML as models, built by hand so store tests need no parser."""
    return Codebook(
        title="Test codebook",
        version="1",
        codes=(
            Code(id="border_control", label="Border control", key="b"),
            Code(
                id="wmd",
                label="WMD",
                key="w",
                children=(Code(id="nuclear", label="Nuclear", key="n", parent_id="wmd"),),
            ),
        ),
        variables=(
            Code(
                id="stance",
                label="Stance",
                kind="single",
                key="s",
                levels=(Level("support", "Supports"), Level("oppose", "Opposes")),
            ),
        ),
        source=source,
    )


def documents(*sizes: int, prefix: str = "doc") -> list[SourceDocument]:
    """Documents with the given numbers of paragraphs."""
    return [
        SourceDocument(
            id=f"{prefix}{d}",
            paragraphs=[f"Paragraph {p} of {prefix}{d} on border control." for p in range(1, n + 1)],
            source=f"{prefix}{d}.txt",
            speaker="Mr. Test",
            country="Testland",
        )
        for d, n in enumerate(sizes, start=1)
    ]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A new project with the small codebook and two documents of 3 and 2 paragraphs."""
    proj = Project.create(tmp_path / "accord.db", small_codebook())
    proj.import_documents(documents(3, 2))
    yield proj
    proj.close()


def code_paragraphs(project: Project, coder: str, codings: dict[str, dict[str, object]], done: bool = True) -> None:
    """Record `coder`'s codings ({paragraph id: {code: value}}) through the Project API, marking
    each paragraph done unless `done` is False."""
    for paragraph_id, values in codings.items():
        for code_id, value in values.items():
            project.set_coding(paragraph_id, coder, code_id, value)
        if done:
            project.set_status(paragraph_id, coder, "done")
