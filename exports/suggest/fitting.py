"""The fits of `accord suggest train`, run in worker processes: every cross-validation fold,
learning-curve point and stored model is a job of its own, for all the codes that share its
training rows.

Processes, not threads: LIBLINEAR's dual solver draws its row order from a random generator
global to the library, so fits in threads would race for it and training would not repeat.
Each fit seeds it, so a job gives the same result in whichever process runs it, and the
models and the report are the same with one worker or several (a test checks it).

The workers are forked after the features are computed: they read the parent's matrices from
shared memory (nothing is pickled but the jobs' numbers and their results, a few scores per
test paragraph). Where fork is not available (Windows), the jobs run one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from exports.suggest.evaluation import Split, Target, fit_split
from exports.suggest.model import Classifier, compact, fit
from store import AccordError

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

PARALLEL_FROM = 5_000
"""Training paragraphs from which worker processes are started by default: below, starting
them costs more than they save."""
MAX_WORKERS = 4
"""Default ceiling: each worker holds one fold's matrices (about 250 MB at 100,000 paragraphs)."""


@dataclass(frozen=True)
class Job:
    """Fits for the targets of one group: a split of the judging, or (split None) the stored
    models on every row."""

    group: int
    split: Split | None

    def size(self, groups: Sequence[Sequence[Target]]) -> int:
        """Training rows: what a fit's cost grows with (largest jobs start first)."""
        return len(groups[self.group][0].rows) if self.split is None else len(self.split.train)


Scores = list[NDArray[np.float64] | None]
"""Per target, its held-out scores on a split's test rows (None: it could not be fitted there)."""
Result = Scores | list[Classifier]
_STATE: tuple[csr_matrix, csr_matrix, list[list[Target]], list[Job], Any] | None = None
"""What the forked workers read: counts, TF-IDF features, target groups, jobs, the fit counter."""


def workers_for(paragraphs: int, asked: int | None) -> int:
    """The worker processes to use: as asked, else the usable cores (at most MAX_WORKERS) once
    the training set is large enough to gain from them."""
    if asked is not None:
        return max(1, asked)
    if paragraphs < PARALLEL_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_WORKERS, cores))


def run(counts: csr_matrix, features: csr_matrix, groups: list[list[Target]], jobs: list[Job], workers: int,
        on_fit: Callable[[], None] | None = None) -> list[Result]:
    """Each job's result, in the order of `jobs`: per target, held-out scores (a split) or the
    stored model (no split). `on_fit` is called once per fit, in this process."""
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_job(counts, features, groups, job, on_fit) for job in jobs]
    import sklearn.linear_model  # noqa: F401  imported once here, not in every worker

    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    global _STATE
    context = multiprocessing.get_context("fork")
    fits = context.Value("i", 0)
    _STATE = (counts, features, groups, jobs, fits)
    results: dict[int, Result] = {}
    try:
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
            order = sorted(range(len(jobs)), key=lambda i: -jobs[i].size(groups))  # the largest first
            pending = {pool.submit(_work, i): i for i in order}
            reported = 0
            while pending:
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    results[pending.pop(future)] = future.result()
                reported = _report(fits.value, reported, on_fit)
    except BrokenProcessPool as error:  # a worker killed, most likely for want of memory
        raise AccordError(f"a worker process stopped before its fits were done (out of memory?): "
                          f"try fewer with --workers (this run: {workers})") from error
    finally:
        _STATE = None
    return [results[i] for i in range(len(jobs))]


def _report(done: int, reported: int, on_fit: Callable[[], None] | None) -> int:
    for _ in range(done - reported):
        if on_fit:
            on_fit()
    return max(done, reported)


def _work(index: int) -> Result:
    """A job in a worker process (forked: `_STATE` is the parent's)."""
    assert _STATE is not None
    counts, features, groups, jobs, fits = _STATE

    def fitted() -> None:
        with fits.get_lock():
            fits.value += 1

    return _job(counts, features, groups, jobs[index], fitted)


def _job(counts: csr_matrix, features: csr_matrix, groups: list[list[Target]], job: Job,
         on_fit: Callable[[], None] | None) -> Result:
    targets = groups[job.group]
    if job.split is not None:
        return fit_split(counts, targets, job.split, on_fit)
    present, narrow = compact(features[targets[0].rows])
    models = []
    for target in targets:
        models.append(fit(narrow, target.labels, target.kind != "code", present))
        if on_fit:
            on_fit()
    return models
