"""Projects for the assisted-coding tests: a code that depends on words, coded by `ann`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from store import Project, SourceDocument
from tests.helpers import small_codebook

WORDS = ["council", "members", "states", "resolution", "weapons", "report", "region", "security", "peace", "dialogue"]


def coded_project(path: Path, paragraphs: list[list[str]], labels: list[list[int]]) -> Path:
    """A project whose coder `ann` has done the labelled paragraphs, border_control as `labels` says."""
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id=f"d{d:02}", paragraphs=texts, source=f"d{d}.txt")
                                  for d, texts in enumerate(paragraphs)])
        for d, document in enumerate(labels):
            for p, value in enumerate(document, start=1):
                if value:
                    project.set_coding(f"d{d:02}:{p}", "ann", "border_control", 1)
                project.set_status(f"d{d:02}:{p}", "ann", "done")
    return path


def word_project(path: Path, coded_documents: int = 20, uncoded_documents: int = 3) -> Path:
    """border_control depends on the words `border patrols`; the last documents nobody coded."""
    rng = np.random.default_rng(2)
    texts, labels = [], []
    for document in range(coded_documents + uncoded_documents):
        rows = [int(rng.integers(0, 2)) for _ in range(6)]
        labels.append(rows if document < coded_documents else [])
        texts.append([" ".join(rng.choice(WORDS, 8)) + (" border patrols" if value else " budget talks")
                      for value in rows])
    return coded_project(path, texts, labels)
