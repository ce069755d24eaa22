"""Text to features: word unigrams and bigrams, hashed, then TF-IDF.

Hashing needs no vocabulary, so the only fitted state is the IDF weights: a NumPy array that
the project file stores as numbers (store/suggest/storage.py), never a pickled object.

Speed (BENCHMARKS.md, issue 16): a whole chunk of paragraphs is tokenised by one regular
expression pass and one split over the joined text, and tokens are hashed in C by pandas
(SipHash-2-4 with a fixed key, over each distinct token once), so no Python code runs per
token. Character n-grams (the first version's 3-5 grams within words) are gone: they were
five times the word features' count, which made hashing, fitting and predicting five times
slower, for 0.006 of held-out F1 on the benchmark corpus (BENCHMARKS.md); what they also
caught on real text, inflected and misspelt forms of one word, is lost.

A stored model is only valid with the pipeline that made its columns: `PIPELINE` names it and
`probe()` is the columns of a fixed text, both stored beside the models; a model whose pipeline
or probe differs from this code's is refused (exports/suggest/predict.py), never read wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

FEATURES = 2**19
PIPELINE = "words-1-2/siphash-0123456789123456/2**19"
"""What the stored columns mean; models stored without it or with another are refused."""
PROBE = "Accord's probe: Grenzkontrollen an der Grenze, naïve café; border patrols 2024 (§ 12)."
HASH_KEY = "0123456789123456"
CHUNK = 20_000
"""Paragraphs tokenised at once: bounds the temporary token arrays (about 40 MB at 100 words each)."""

_SEPARATOR = "\x01"
"""Between paragraphs in the joined text: neither a word character nor a space, so a token of its own
(not NUL: NumPy drops trailing NULs when comparing strings)."""
_PUNCTUATION = re.compile(r"[^\w\s\x01]+")
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def counts(texts: Sequence[str]) -> csr_matrix:
    """Paragraphs x hashed n-gram counts: lowercased tokens of two or more word characters (as
    scikit-learn's default token pattern), each token and each pair of neighbours."""
    from scipy import sparse

    texts = list(texts)
    if len(texts) <= CHUNK:
        return _counts(texts)
    return sparse.vstack([_counts(texts[first:first + CHUNK]) for first in range(0, len(texts), CHUNK)],
                         format="csr")


def _counts(texts: list[str]) -> csr_matrix:
    import pandas as pd
    from scipy import sparse

    joined = f" {_SEPARATOR} ".join(texts).lower()
    if joined.count(_SEPARATOR) != max(0, len(texts) - 1):  # a text holding the separator itself
        joined = f" {_SEPARATOR} ".join(text.replace(_SEPARATOR, " ") for text in texts).lower()
    tokens = np.array(_PUNCTUATION.sub(" ", joined).split(), dtype=object)
    separator = tokens == _SEPARATOR
    row = np.cumsum(separator)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    kept = (lengths > 1) & ~separator
    tokens, row = tokens[kept], row[kept]
    hashes = pd.util.hash_array(tokens, hash_key=HASH_KEY) if len(tokens) else np.zeros(0, dtype=np.uint64)
    pair = row[1:] == row[:-1]
    pairs = _mix(hashes[:-1][pair] * _MIX[0] + hashes[1:][pair]) if len(tokens) else hashes
    rows = np.concatenate([row, row[:-1][pair]]) if len(tokens) else row
    columns = (np.concatenate([hashes, pairs]) % np.uint64(FEATURES)).astype(np.int64)
    matrix = sparse.coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                               shape=(len(texts), FEATURES)).tocsr()  # sums repeated n-grams
    matrix.sort_indices()
    return matrix


def _mix(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """SplitMix64's finaliser: a pair's hash spread over all bits (the modulo reads the low ones)."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * _MIX[1]
        values = values ^ (values >> np.uint64(27))
        values = values * _MIX[2]
        return values ^ (values >> np.uint64(31))


def probe() -> list[int]:
    """The columns of `PROBE`: stored with the models, compared when they are loaded, so a change
    of tokenising or hashing (this code's or pandas') refuses old models instead of misreading them."""
    return [int(column) for column in counts([PROBE]).indices]


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
