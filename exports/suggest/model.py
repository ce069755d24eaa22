"""One code's or variable's classifier: a logistic regression on the TF-IDF features, kept as the
columns it uses and their weights (plain arrays, storable without pickle).

A code's model gives the probability that it applies; a variable's, each level's probability.
Logistic regression's probabilities are calibrated enough for a threshold chosen on held-out
data (evaluation.py) and for showing a probability beside a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

C = 16.0
"""Inverse regularisation: TF-IDF rows of unit length need less shrinkage than the default 1.
With word features only (no character n-grams), a word has one feature instead of about
fifteen to spread its weight over, so it needs less shrinkage still: on the benchmark corpus
held-out F1 peaks near 16 (4: 0.41, 8: 0.43, 16: 0.44, 32: 0.43; BENCHMARKS.md)."""

TOLERANCE = 0.1
"""Stopping rule of the dual solver (largest violation of its optimality conditions): LIBLINEAR's
own default for this solver; scikit-learn's 1e-4 took twice the passes over 100,000 paragraphs
for the same held-out F1 on the benchmark corpus (0.4478 at 1e-4, 0.4481 at 0.1, 20 codes)."""


@dataclass(frozen=True)
class Classifier:
    """What predicting needs: feature columns used, their weights per class, intercepts, and
    for a variable the level index of each class (a code: one class, `applies`)."""

    columns: NDArray[np.int64]
    weights: NDArray[np.float32]
    """classes x columns."""
    intercepts: NDArray[np.float32]
    classes: NDArray[np.int64]
    """Level indices of the weights' rows (a variable); [1] for a code."""

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {"columns": self.columns, "weights": self.weights, "intercepts": self.intercepts,
                "classes": self.classes}

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]], features: int) -> Classifier:
        """Rebuild from stored arrays; ValueError when they do not fit together (a damaged file)."""
        columns = np.asarray(arrays["columns"], dtype=np.int64)
        weights = np.asarray(arrays["weights"], dtype=np.float32)
        intercepts = np.asarray(arrays["intercepts"], dtype=np.float32)
        classes = np.asarray(arrays["classes"], dtype=np.int64)
        if (weights.ndim != 2 or weights.shape != (len(classes), len(columns)) or intercepts.shape != classes.shape
                or (len(columns) and (columns.min() < 0 or columns.max() >= features))):
            raise ValueError("arrays of inconsistent shapes")
        return cls(columns, weights, intercepts, classes)

    def dense(self, width: int) -> NDArray[np.float32]:
        """width x classes weights: one product with a paragraphs x width matrix scores every class."""
        out = np.zeros((width, len(self.classes)), dtype=np.float32)
        out[self.columns] = self.weights.T
        return out

    def scores(self, matrix: csr_matrix, levels: int = 0) -> NDArray[np.float64]:
        """A code: (paragraphs,) probabilities that it applies. A variable (`levels` > 0):
        paragraphs x levels probabilities (0 for a level never seen in training)."""
        return self.probabilities(np.asarray(matrix @ self.dense(matrix.shape[1]), dtype=np.float64), levels)

    def probabilities(self, products: NDArray[np.float64], levels: int = 0) -> NDArray[np.float64]:
        """`scores` from the products of the rows with `dense` (paragraphs x classes)."""
        logits = products + self.intercepts
        if levels == 0:
            return 1 / (1 + np.exp(-logits[:, 0]))
        logits -= logits.max(axis=1, keepdims=True)
        shares = np.exp(logits)
        shares /= shares.sum(axis=1, keepdims=True)
        out = np.zeros((products.shape[0], levels))
        out[:, self.classes[self.classes < levels]] = shares[:, self.classes < levels]
        return out


def compact(matrix: csr_matrix) -> tuple[NDArray[np.int64], csr_matrix]:
    """The columns the rows use, most used first, and the rows on those columns only. The
    solvers' cost grows with the width of the matrix (2**19 hashed columns; the weights of absent
    features would be 0). Most used first: the dual solver reads and writes the weight of every
    feature of a row at each step, and with the frequent words' weights side by side those stay
    in the processor's cache (a fit on 80,000 paragraphs took half the time; BENCHMARKS.md)."""
    from scipy import sparse

    uses = np.bincount(matrix.indices, minlength=matrix.shape[1])
    present = np.flatnonzero(uses).astype(np.int64)
    present = present[np.argsort(-uses[present], kind="stable")]
    place = np.zeros(matrix.shape[1], dtype=np.int32)  # a used column's index among the used ones
    place[present] = np.arange(len(present), dtype=np.int32)
    narrow = sparse.csr_matrix((matrix.data.copy(), place[matrix.indices], matrix.indptr.copy()),
                               shape=(matrix.shape[0], len(present)))
    narrow.sort_indices()  # in place, hence the copies: LIBLINEAR reads a row's features in order
    return present, narrow


def fit(matrix: csr_matrix, labels: NDArray[np.int64], variable: bool,
        present: NDArray[np.int64] | None = None) -> Classifier:
    """Fit on TF-IDF rows: `labels` 0/1 for a code, level indices for a variable. With `present`,
    `matrix` is already `compact` (its columns are those of `present`): the targets that share
    training rows share that work."""
    from sklearn.linear_model import LogisticRegression

    if present is None:
        present, matrix = compact(matrix)
    # A code: liblinear's dual solver, the same optimum as the primal one it replaced, found
    # 4-5 times faster on TF-IDF rows (many more features than the solver needs to look at).
    model = (LogisticRegression(C=C, solver="lbfgs", max_iter=300) if variable
             else LogisticRegression(C=C, solver="liblinear", dual=True, tol=TOLERANCE, max_iter=1000,
                                     random_state=0))
    # random_state: the dual solver visits rows in a random order; fixed, training twice on the
    # same basis stores the same model.
    model.fit(matrix, labels)
    weights = np.asarray(model.coef_, dtype=np.float32)
    intercepts = np.asarray(model.intercept_, dtype=np.float32)
    classes = np.asarray(model.classes_, dtype=np.int64)
    if variable and len(classes) == 2:  # one row for "the second class": store both, as softmax reads them
        weights = np.vstack([-weights[0] / 2, weights[0] / 2])
        intercepts = np.array([-intercepts[0] / 2, intercepts[0] / 2], dtype=np.float32)
    elif not variable:
        classes = np.array([1], dtype=np.int64)
    used = np.flatnonzero(np.abs(weights).max(axis=0) > 0)
    used = used[np.argsort(present[used], kind="stable")]  # stored in column order, as `compact` found them
    return Classifier(present[used], np.ascontiguousarray(weights[:, used]), intercepts, classes)
