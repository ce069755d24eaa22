"""Where a project stands (`accord status`): its corpus, codebook, coders and their progress.

A function over a `Project`, not a method: it gathers what several parts of the store know
(corpus, codings, handout, adjudication) into one typed answer that the CLI only formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.rows import Progress

if TYPE_CHECKING:
    from store.codebook.required import Gap
    from store.teams.handout import SampleProgress
    from store.project import Project


@dataclass(frozen=True)
class CoderStatus:
    """One coder's progress over the corpus and over what a handout assigned them."""

    coder: str
    done: int
    total: int
    """Paragraphs of the corpus."""
    assigned: int
    """Paragraphs a handout assigned to this coder (0 when none were)."""
    assigned_done: int
    flagged: int
    """Paragraphs this coder has flagged for discussion (`accord notes --flagged` lists them)."""


REQUIRED_CHECK_LIMIT = 200_000
"""Done paragraphs (all coders) up to which status checks the codebook's required variables:
about half a second; a corpus coded at a million paragraphs would wait far longer, and
`accord export` counts them anyway."""


@dataclass(frozen=True)
class ProjectStatus:
    """What `accord status` reports; the field order is the order of its JSON keys."""

    project: str
    project_id: str
    codebook_sha256: str | None
    documents: int
    paragraphs: int
    codes: int
    """Codes in use (retired ones left out), sub-codes included."""
    variables: int
    coders: list[CoderStatus]
    reliability_sample: SampleProgress
    open_disagreements: int
    speakers: list[dict[str, object]]
    """Every speaker with country, documents and paragraphs, most documents first."""
    required_gaps: list[Gap] | None
    """Done paragraphs (per coder, the consensus included) that miss a variable the codebook
    requires; None when there are more than REQUIRED_CHECK_LIMIT done paragraphs (not counted)."""


def project_status(project: Project) -> ProjectStatus:
    """Count what the project holds and how far each coder is."""
    # Imported here so that `import store` does not load the handout and merge machinery.
    from store.teams.adjudication import open_disagreements
    from store.teams.handout import sample_progress
    from store.codebook.required import required_gaps

    codes = project.codes(include_retired=False)
    assigned = project.assignment_progress()
    flags = project.flag_counts()
    none = Progress("", 0, 0)
    coders = []
    for coder in project.coders():
        progress = project.progress(coder)
        mine = assigned.get(coder, none)
        coders.append(CoderStatus(progress.coder, progress.done, progress.total, mine.total, mine.done,
                                  flags.get(coder, 0)))
    return ProjectStatus(
        project=str(project.path),
        project_id=project.project_id,
        codebook_sha256=project.codebook_sha256(),
        documents=project.document_count(),
        paragraphs=project.paragraph_count(),
        codes=sum(1 for c in codes if c.kind == "code"),
        variables=sum(1 for c in codes if c.kind != "code"),
        coders=coders,
        reliability_sample=sample_progress(project),
        open_disagreements=open_disagreements(project),
        speakers=project.speakers(),
        required_gaps=required_gaps(project.db, project.required_variables())
        if sum(coder.done for coder in coders) <= REQUIRED_CHECK_LIMIT else None,
    )
