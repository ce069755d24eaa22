"""Text to features: word (1-2) and character (3-5, within words) n-grams, hashed, then TF-IDF.

Hashing needs no vocabulary, so the only fitted state is the IDF weights: a NumPy array that
the project file stores as numbers (store/suggest/storage.py), never a pickled object.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

WORD_FEATURES = 2**18
CHAR_FEATURES = 2**18
FEATURES = WORD_FEATURES + CHAR_FEATURES


@functools.cache
def _vectorizers() -> tuple[Any, Any]:
    """Built once: the coding screen hashes one paragraph at a time."""
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES, alternate_sign=False,
                             norm=None, dtype=np.float32)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_FEATURES,
                             alternate_sign=False, norm=None, dtype=np.float32)
    return word, char


def counts(texts: Sequence[str]) -> csr_matrix:
    """Paragraphs x hashed n-gram counts (word n-grams first, then character n-grams)."""
    from scipy import sparse

    word, char = _vectorizers()
    texts = list(texts)
    return sparse.hstack([word.transform(texts), char.transform(texts)], format="csr")


def idf(matrix: csr_matrix) -> NDArray[np.float32]:
    """Smoothed inverse document frequency of every feature over the rows of `matrix` (as sklearn's
    TfidfTransformer computes it)."""
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    rows = matrix.shape[0]
    weights: NDArray[np.float32] = (np.log((1 + rows) / (1 + frequency)) + 1).astype(np.float32)
    return weights


def weighted(matrix: csr_matrix, weights: NDArray[np.float32]) -> csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length."""
    from sklearn.preprocessing import normalize

    out = matrix.copy()
    out.data = (1 + np.log(out.data)) * weights[out.indices]
    return normalize(out, norm="l2", copy=False)
