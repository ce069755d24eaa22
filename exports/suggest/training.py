"""`accord suggest train`: one classifier per code and variable from the paragraphs the basis
coded, judged by cross-validation and stored in the project file with the codebook's hash, the
basis, the training set's size and the date.

The basis is read by the export's own rule (exports/datasets.py): `consensus` (adjudicated
values, else unanimous ones), `majority`, or one coder's done paragraphs; a paragraph the
basis has no value for is not a training example.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exports.datasets import DatasetSpec, build_dataset
from exports.suggest.evaluation import FOLDS, Target, held_out, judged, learning_curve, shared_rows, splits
from exports.suggest.features import FEATURES as WIDTH
from exports.suggest.features import PIPELINE, counts, idf, probe, weighted
from exports.suggest.fitting import Job, Scores, run, workers_for
from exports.suggest.model import Classifier
from store import FEATURES, AccordError, Project, StoredModel, plural, save_models

MIN_POSITIVES = 10
"""A code needs this many paragraphs with it (and this many without), a variable this many
paragraphs at each of two levels or more: fewer cannot be learnt, nor judged."""


@dataclass
class TrainingSet:
    """The paragraphs the basis coded: ids, documents, texts and each target's labels."""

    paragraph_ids: NDArray[Any]
    documents: NDArray[Any]
    texts: list[str]
    targets: list[Target]


@dataclass
class Training:
    """What `train` did."""

    basis: str
    paragraphs: int
    trained: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Code id -> why it was not trained."""


def basis_spec(basis: str) -> DatasetSpec:
    """The export's choice of whose codings for a basis name (consensus, majority or a coder)."""
    if basis in ("consensus", "majority"):
        return DatasetSpec(whose=basis, text=True)
    return DatasetSpec(whose="coder", coder=basis, text=True)


def training_set(project: Project, basis: str, codes: Sequence[str] | None = None) -> TrainingSet:
    """Rows the basis coded (a value for at least one chosen code), with every chosen target."""
    dataset = build_dataset(project, basis_spec(basis))
    frame = pd.concat(list(dataset.chunks), ignore_index=True)
    known = {c.name: c for c in dataset.columns if c.type in ("code", "level")}
    chosen = list(codes) if codes else [row.id for row in project.codes() if not row.retired]
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise AccordError(f"no code or variable {', '.join(map(repr, unknown))} in the codebook")
    coded = frame[chosen].notna().any(axis=1).to_numpy() if chosen else np.zeros(len(frame), dtype=bool)
    frame = frame[coded].reset_index(drop=True)
    targets = []
    for code in chosen:
        column, present = frame[code], frame[code].notna().to_numpy()
        rows = np.flatnonzero(present)
        spec = known[code]
        if spec.type == "code":
            labels = column[present].astype(int).to_numpy(dtype=np.int64)
            levels: tuple[str, ...] = ()
        else:
            levels = tuple(value for value, _ in spec.levels)
            place = {value: i for i, value in enumerate(levels)}
            labels = np.array([place.get(str(v), -1) for v in column[present]], dtype=np.int64)
            rows, labels = rows[labels >= 0], labels[labels >= 0]
        targets.append(Target(code, spec.label, "code" if spec.type == "code" else _kind(project, code), levels,
                              rows, labels))
    return TrainingSet(frame["paragraph_id"].to_numpy(), frame["document_id"].to_numpy(),
                       frame["text"].astype(str).tolist(), targets)


def _kind(project: Project, code: str) -> str:
    return next(row.kind for row in project.codes(include_retired=True) if row.id == code)


def too_few(target: Target) -> str | None:
    """Why a target cannot be learnt, or None."""
    if target.kind == "code":
        positives = int(target.labels.sum())
        negatives = len(target.labels) - positives
        if positives < MIN_POSITIVES:
            return f"{plural(positives, 'paragraph')} with it, fewer than {MIN_POSITIVES}"
        if negatives < MIN_POSITIVES:
            return f"{plural(negatives, 'paragraph')} without it, fewer than {MIN_POSITIVES}"
        return None
    frequent = int((np.bincount(target.labels, minlength=len(target.levels)) >= MIN_POSITIVES).sum())
    if frequent < 2:
        return f"fewer than two levels with {MIN_POSITIVES} paragraphs or more"
    return None


def train(project: Project, basis: str = "consensus", codes: Sequence[str] | None = None, replicates: int = 1000,
          seed: int = 0, on_progress: Callable[[float], None] | None = None, workers: int | None = None,
          on_stage: Callable[[str], None] | None = None) -> Training:
    """Fit, judge and store a classifier per chosen code and variable; replaces earlier models.
    `on_progress` is called with shares of one target as the work advances (a progress bar in
    targets). `workers`: processes for the fits (None: the cores, on a large enough training
    set); the result is the same with any number. `on_stage` names each stage as it starts."""
    stage = on_stage or (lambda _name: None)
    stage("reading the basis")
    data = training_set(project, basis, codes)
    result = Training(basis, len(data.texts))
    if not data.texts:
        raise AccordError(f"the basis {basis!r} has no coded paragraph to learn from")
    stage("counting words")
    matrix = counts(data.texts)  # once for every target, fold and share: folds pick rows of it
    weights = idf(matrix)
    features = weighted(matrix, weights)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    sha = project.codebook_sha256() or ""
    learnable = []
    for target in data.targets:
        reason = too_few(target)
        if reason is None:
            learnable.append(target)
        else:
            result.skipped[target.code_id] = reason
            if on_progress:
                on_progress(1)
    groups = shared_rows(learnable)
    # Documents as integers: the curve's draws of documents compare them (`isin` on strings
    # was a seventh of the command's time at 100,000 paragraphs).
    names, documents = np.unique(data.documents, return_inverse=True)
    documents = documents.astype(np.intp)
    jobs = [Job(g, split) for g, group in enumerate(groups) for split in splits(documents[group[0].rows], seed)]
    jobs += [Job(g, None) for g in range(len(groups))]
    fits = sum(len(groups[job.group]) for job in jobs)
    step = (lambda: on_progress(len(learnable) / fits)) if on_progress and fits else None
    processes = workers_for(len(data.texts), workers)
    stage(f"{plural(fits, 'fit')} in {plural(processes, 'process', 'processes')}")
    done = run(matrix, features, groups, jobs, processes, step)
    stage("bootstrap and storing")
    stored: dict[str, StoredModel] = {}
    for g, group in enumerate(groups):
        judging = [(job.split, cast(Scores, result)) for job, result in zip(jobs, done, strict=True)
                   if job.group == g and job.split is not None]
        [models] = [result for job, result in zip(jobs, done, strict=True) if job.group == g and job.split is None]
        reports = [{"label": target.label, "kind": target.kind, "levels": list(target.levels),
                    "units": len(target.rows), "positives": _positives(target),
                    **judged(target, scores, scored, replicates, seed)}
                   for target, (scores, scored) in zip(group, held_out(group, judging), strict=True)]
        curves = learning_curve(group, judging, reports, seed)
        for target, report, curve, model in zip(group, reports, curves, models, strict=True):
            report["curve"] = curve
            assert isinstance(model, Classifier)
            stored[target.code_id] = StoredModel(target.code_id, sha, basis, len(target.rows), now, model.arrays(),
                                                 report)
    result.trained = [target.code_id for target in learnable]
    largest = max(range(len(groups)), key=lambda g: len(groups[g][0].rows)) if groups else -1
    scored = [job.split for job in jobs if job.split is not None and job.split.share == 1.0 and job.group == largest]
    shared = StoredModel(FEATURES, sha, basis, len(data.texts), now, {"idf": weights}, {
        "skipped": result.skipped, "paragraphs": len(data.texts), "documents": len(names),
        "folds": scored[0].of if scored else FOLDS, "tested_folds": len(scored),
        "tested": sum(len(split.test) for split in scored), "pipeline": PIPELINE, "probe": probe(),
        "features": WIDTH, "replicates": replicates, "seed": seed})
    with project.transaction():
        save_models(project.db, [shared, *(stored[target.code_id] for target in learnable)])
    return result


def _positives(target: Target) -> int | dict[str, int]:
    if target.kind == "code":
        return int(target.labels.sum())
    tally = np.bincount(target.labels, minlength=len(target.levels))
    return {level: int(n) for level, n in zip(target.levels, tally, strict=True)}
