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
TESTED = 20_000
"""Test paragraphs a judging needs: the cross-validation and the learning curve score the first
folds of the five whose test parts hold this many together (one at 100,000 coded paragraphs,
every fold below 25,000). Each fold still trains on the other four fifths, grouped by document,
so the figures mean what they meant; 20,000 held-out paragraphs give F1 to about 0.01 (the
report's intervals say how closely), and scoring the other four folds too cost two thirds of
`accord suggest train` at 100,000 paragraphs (BENCHMARKS.md)."""
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


@dataclass(frozen=True)
class Split:
    """One fit of the judging: train on some rows of a target group, score others. Positions
    are into the group's rows (`Target.rows`)."""

    share: float
    """1.0: a fold of the cross-validation; below 1, a learning-curve point trained on that share
    of the fold's training documents."""
    train: NDArray[np.intp]
    test: NDArray[np.intp]
    of: int
    """Folds the rows were split into (fewer than `FOLDS` with fewer documents): each trains on
    all but one of them, scored or not."""


def splits(documents: NDArray[np.intp], seed: int = 0) -> list[Split]:
    """The cross-validation's folds that are scored, then the learning curve's on the same folds:
    the first folds whose test parts hold `TESTED` paragraphs together (every fold in a smaller
    project); each smaller share of `CURVE` a seeded draw of the fold's training documents.
    `documents` gives each row's document as an integer (strings make `isin` 20 times slower)."""
    cv = folds(documents)
    tested, used = 0, 0
    for _train, test in cv:
        tested, used = tested + len(test), used + 1
        if tested >= TESTED:
            break
    out = [Split(1.0, train, test, len(cv)) for train, test in cv[:used]]
    for share in CURVE:
        if share < 1:
            rng = np.random.default_rng(seed)  # each share draws as the first fold-by-fold version did
            for train, test in cv[:used]:
                own = np.unique(documents[train])
                kept = rng.permutation(own)[: max(1, int(len(own) * share))]
                out.append(Split(share, train[np.isin(documents[train], kept)], test, len(cv)))
    return out


def fit_split(counts: csr_matrix, targets: Sequence[Target], split: Split,
              on_fit: Callable[[], None] | None = None) -> list[NDArray[np.float64] | None]:
    """Per target, its scores on the split's test rows (a code: (n,), a variable: n x levels), or
    None when the training part lacks a class. The targets share their rows (`shared_rows`), so
    the fold's features are weighed once for all of them."""
    rows = targets[0].rows
    out: list[NDArray[np.float64] | None] = [None] * len(targets)
    learnable = [i for i, t in enumerate(targets) if len(np.unique(t.labels[split.train])) >= 2]
    if not learnable:
        return out
    rows_train, rows_test = rows[split.train], rows[split.test]
    weights = idf(counts[rows_train])  # IDF from training rows only: nothing of the test fold leaks in
    present, narrow = compact(weighted(counts[rows_train], weights))
    tested = weighted(counts[rows_test], weights)
    for i in learnable:
        target = targets[i]
        model = fit(narrow, target.labels[split.train], target.kind != "code", present)
        out[i] = model.scores(tested, len(target.levels))
        if on_fit:
            on_fit()
    return out


def held_out(targets: Sequence[Target], done: Sequence[tuple[Split, list[NDArray[np.float64] | None]]],
             share: float = 1.0) -> list[tuple[NDArray[np.float64], NDArray[np.bool_]]]:
    """Per target, the out-of-fold scores of its rows from the splits of `share`, and which rows
    got one (a fold whose training part lacked a class, or that the curve left out, gives none)."""
    size = len(targets[0].rows)
    out = [(np.zeros((size, len(t.levels)) if t.kind != "code" else size), np.zeros(size, dtype=bool))
           for t in targets]
    for split, scores in done:
        if split.share != share:
            continue
        for (into, scored), own in zip(out, scores, strict=True):
            if own is not None:
                into[split.test] = own
                scored[split.test] = True
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


def learning_curve(targets: Sequence[Target], done: Sequence[tuple[Split, list[NDArray[np.float64] | None]]],
                   full: Sequence[dict[str, Any]], seed: int) -> list[list[dict[str, Any]]]:
    """Per target (sharing rows), F1 (a code) or macro F1 (a variable) when each fold trains on a
    share of its documents. Every point is measured on the same test paragraphs: the curve's
    shares are fitted on the folds the cross-validation scored (`splits`), and the whole share
    is its figures."""
    rows = targets[0].rows
    of = next((split.of for split, _ in done), 0)
    train_share = (of - 1) / of if of else 0.0
    figures: dict[float, list[dict[str, Any]]] = {1.0: list(full)}
    for share in CURVE:
        if share < 1.0:
            figures[share] = [_curve_point(target, scores, scored, seed)
                              for target, (scores, scored) in zip(targets, held_out(targets, done, share), strict=True)]
    return [[{"share": share, "paragraphs": int(len(rows) * train_share * share), "f1": figures[share][i]["f1"]}
             for share in CURVE] for i in range(len(targets))]


def _curve_point(target: Target, scores: NDArray[np.float64], scored: NDArray[np.bool_], seed: int) -> dict[str, Any]:
    return judged(target, scores, scored, 0, seed) if scored.any() else {"f1": None}
