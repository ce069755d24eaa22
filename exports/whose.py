"""Whose codings a dataset or a view reads (`--coder`, `--consensus`, `--majority`, `--all`), and
the chosen values of a range of paragraphs by that one rule (`values`).

No pandas: `accord overview` and `accord retrieve` choose through here as `accord export` does
(exports/datasets.py), and a view should not pay for the export's frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from exports.votes import Chosen, CodeSpec, Source, all_coder_rows, coder_values, combined_values, consensus_values
from store import CONSENSUS, AccordError, Project

WHOSE = ("coder", "consensus", "majority", "all")


@dataclass(frozen=True)
class DatasetSpec:
    """What to export."""

    whose: str = "coder"
    """One of WHOSE."""
    coder: str | None = None
    """The coder, for `whose="coder"`; None lets resolve_whose choose."""
    long: bool = False
    """One row per paragraph and code instead of one per paragraph."""
    unit: str = "paragraph"
    """`paragraph`, or `document` for counts and shares per document."""
    text: bool = True
    """Include the paragraph text (wide paragraph layout only)."""


def code_specs(project: Project) -> list[CodeSpec]:
    """Codes then variables in codebook order, retired ones included (they are still exported)."""
    rows = project.codes(include_retired=True)
    specs = [
        CodeSpec(row.id, row.label, row.kind, tuple(project.levels(row.id)) if row.kind != "code" else (), row.retired)
        for row in rows
    ]
    return [s for s in specs if s.is_code] + [s for s in specs if not s.is_code]


def resolve_whose(project: Project, spec: DatasetSpec) -> DatasetSpec:
    """No choice made (whose="coder", no coder): the only coder's codings, or, with several
    coders, the consensus (adjudicated values, else unanimous ones)."""
    if spec.whose != "coder" or spec.coder is not None:
        return spec
    humans = [coder for coder in project.coders() if coder != CONSENSUS]
    if not humans:
        raise AccordError("nobody has coded in this project yet: there is nothing to export")
    if len(humans) == 1:
        return replace(spec, coder=humans[0])
    return replace(spec, whose="consensus")


def chosen_coders(project: Project, spec: DatasetSpec) -> list[str]:
    """The coders whose rows `spec` reads: the one coder; every coder and the adjudicator for
    the consensus; every human coder for the majority and `all`."""
    known = project.coders()
    humans = [coder for coder in known if coder != CONSENSUS]
    if spec.whose == "coder":
        assert spec.coder is not None
        if spec.coder not in known:
            raise AccordError(f"no coder named {spec.coder!r} in this project (coders: {', '.join(known) or 'none yet'})")
        return [spec.coder]
    if not humans and spec.whose != "consensus":
        raise AccordError("nobody has coded in this project yet: there is nothing to export")
    return known if spec.whose == "consensus" else humans


def values(source: Source, spec: DatasetSpec, coders: list[str], codes: list[CodeSpec]) -> Chosen:
    """The chosen codings of a range of paragraphs (with a row per coder for `all`)."""
    if spec.whose == "coder":
        return coder_values(source, coders[0], codes)
    if spec.whose == "consensus":
        return consensus_values(source, coders, codes)
    if spec.whose == "majority":
        return combined_values(source, coders, codes, "majority")
    return all_coder_rows(source, coders, codes)
