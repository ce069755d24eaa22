"""How good a classifier is, judged honestly: cross-validation with folds grouped by document
(no paragraph of a test document is ever in training, so the model cannot score by
recognising a document's wording), then precision, recall, F1 and Krippendorff's alpha between
the model's held-out predictions and the basis, with bootstrap intervals, the verdict of the
agreement report, and a learning curve.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from exports.alpha import alpha_interval, krippendorff_alpha
from exports.ratings import Ratings
from exports.reliability import LEVEL_OF_KIND
from exports.suggest.features import idf, weighted
from exports.suggest.model import compact, fit
from exports.verdict import NO_BOOTSTRAP, judge
from exports.alpha import Interval

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

FOLDS = 5
CURVE = (0.25, 0.5, 1.0)
"""Shares of each fold's training documents the learning curve trains on."""
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.05), 2)
TRUSTED = ("reliable", "tentative")
"""Verdicts on which the machine may be used: the agreement report's rule (exports/verdict.py)."""


@dataclass(frozen=True)
class Target:
    """One code or variable to learn: its labels on the rows the basis coded."""

    code_id: str
    label: str
    kind: str
    levels: tuple[str, ...]
    """A variable's level values in order; () for a code."""
    rows: NDArray[np.intp]
    """Rows of the training set the basis gave a value for."""
    labels: NDArray[np.int64]
    """0/1 (a code) or the level's index (a variable), for `rows`."""


def folds(groups: NDArray[Any], n_splits: int = FOLDS) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """(train, test) row indices, every group (document) wholly on one side of each split."""
    from sklearn.model_selection import GroupKFold

    splits = min(n_splits, len(np.unique(groups)))
    if splits < 2:
        return []
    return [(train, test) for train, test in GroupKFold(n_splits=splits).split(np.zeros(len(groups)), groups=groups)]


def held_out(counts: csr_matrix, targets: Sequence[Target], groups: NDArray[Any], share: float = 1.0,
             seed: int = 0, on_fit: Callable[[], None] | None = None
             ) -> list[tuple[NDArray[np.float64], NDArray[np.bool_]]]:
    """Per target, out-of-fold scores of its rows (a code: (n,), a variable: n x levels), and
    which rows got one (a fold whose training part lacks a class is left out). The targets share
    their rows (`shared_rows`), so each fold's features are weighed once for all of them. `share`
    < 1 trains each fold on that share of its training documents (the learning curve)."""
    rng = np.random.default_rng(seed)
    rows = targets[0].rows
    out = [(np.zeros((len(rows), len(t.levels)) if t.kind != "code" else len(rows)), np.zeros(len(rows), dtype=bool))
           for t in targets]
    document = groups[rows]
    for train, test in folds(document):
        if share < 1:
            kept = rng.permutation(np.unique(document[train]))[: max(1, int(len(np.unique(document[train])) * share))]
            train = train[np.isin(document[train], kept)]
        learnable = [i for i, t in enumerate(targets) if len(np.unique(t.labels[train])) >= 2]
        if not learnable:
            continue
        rows_train, rows_test = rows[train], rows[test]
        weights = idf(counts[rows_train])  # IDF from training rows only: nothing of the test fold leaks in
        present, narrow = compact(weighted(counts[rows_train], weights))
        tested = weighted(counts[rows_test], weights)
        for i in learnable:
            target = targets[i]
            model = fit(narrow, target.labels[train], target.kind != "code", present)
            out[i][0][test] = model.scores(tested, len(target.levels))
            out[i][1][test] = True
            if on_fit:
                on_fit()
    return out


def shared_rows(targets: Sequence[Target]) -> list[list[Target]]:
    """The targets grouped by their training rows (codes of one basis usually share all theirs)."""
    grouped: dict[bytes, list[Target]] = {}
    for target in targets:
        grouped.setdefault(target.rows.tobytes(), []).append(target)
    return list(grouped.values())


def best_threshold(scores: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """The probability cut with the highest held-out F1 (ties: the lowest cut)."""
    f1s = [_confusion_f1(scores >= t, labels == 1)[2] for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(f1s))])


def _confusion_f1(predicted: NDArray[np.bool_], truth: NDArray[np.bool_]) -> tuple[float, float, float]:
    tp = float((predicted & truth).sum())
    fp = float((predicted & ~truth).sum())
    fn = float((~predicted & truth).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _f1_interval(predicted: NDArray[np.bool_], truth: NDArray[np.bool_], replicates: int,
                 seed: int) -> list[float | None]:
    """Percentile bootstrap of F1 over paragraphs: a paragraph is one of the four cells of the
    confusion table, so resampling paragraphs is a multinomial draw of the cells."""
    if replicates <= 0 or not len(truth):
        return [None, None]
    cells = np.array([(predicted & truth).sum(), (predicted & ~truth).sum(), (~predicted & truth).sum(),
                      (~predicted & ~truth).sum()], dtype=np.float64)
    draws = np.random.default_rng(seed).multinomial(len(truth), cells / cells.sum(), size=replicates)
    tp, fp, fn = draws[:, 0], draws[:, 1], draws[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    low, high = np.percentile(f1, [2.5, 97.5])
    return [float(low), float(high)]


def judged(target: Target, scores: NDArray[np.float64], scored: NDArray[np.bool_], replicates: int,
           seed: int) -> dict[str, Any]:
    """The figures of one code or variable from its held-out scores."""
    labels = target.labels[scored]
    scores = scores[scored]
    variable = target.kind != "code"
    if variable:
        threshold = None
        predicted = scores.argmax(axis=1)
        per_level = [_confusion_f1(predicted == k, labels == k) for k in range(len(target.levels))
                     if (labels == k).any()]
        precision, recall, f1 = (float(np.mean([p[i] for p in per_level])) if per_level else 0.0 for i in range(3))
        f1_interval: list[float | None] = [None, None]
        categories: tuple[object, ...] = tuple(range(len(target.levels)))
    else:
        threshold = best_threshold(scores, labels)
        predicted = (scores >= threshold).astype(np.int64)
        precision, recall, f1 = _confusion_f1(predicted == 1, labels == 1)
        f1_interval = _f1_interval(predicted == 1, labels == 1, replicates, seed)
        categories = (0, 1)
    level = LEVEL_OF_KIND.get(target.kind, "nominal")
    ratings = Ratings(np.vstack([labels, predicted]).astype(np.int64), categories)
    alpha = krippendorff_alpha(ratings, level)
    interval = (alpha_interval(ratings, level, replicates=replicates, seed=seed) if replicates > 0
                else Interval(None, None, NO_BOOTSTRAP))
    verdict = judge(alpha, interval)
    return {
        "threshold": threshold, "precision": precision, "recall": recall, "f1": f1, "f1_interval": f1_interval,
        "alpha": alpha.value, "alpha_reason": alpha.reason, "alpha_interval": [interval.low, interval.high],
        "verdict": verdict.word, "verdict_reason": verdict.reason, "evaluated": int(scored.sum()),
    }


def learning_curve(counts: csr_matrix, targets: Sequence[Target], groups: NDArray[Any],
                   full: Sequence[dict[str, Any]], seed: int,
                   on_fit: Callable[[], None] | None = None) -> list[list[dict[str, Any]]]:
    """Per target (sharing rows), F1 (a code) or macro F1 (a variable) when each fold trains on a
    share of its documents."""
    rows = targets[0].rows
    documents = len(np.unique(groups[rows]))
    train_share = (folds_of(documents) - 1) / folds_of(documents)
    figures: dict[float, list[dict[str, Any]]] = {1.0: list(full)}
    for share in CURVE:
        if share < 1.0:
            results = held_out(counts, targets, groups, share, seed, on_fit)
            figures[share] = [judged(target, scores, scored, 0, seed) if scored.any() else {"f1": None}
                              for target, (scores, scored) in zip(targets, results, strict=True)]
    return [[{"share": share, "paragraphs": int(len(rows) * train_share * share), "f1": figures[share][i]["f1"]}
             for share in CURVE] for i in range(len(targets))]


def folds_of(documents: int) -> int:
    return max(2, min(FOLDS, documents))
