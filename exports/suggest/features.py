"""Text to features: word unigrams and bigrams, and one character 3- or 4-gram of each word,
hashed, then TF-IDF.

Hashing needs no vocabulary, so the only fitted state is the IDF weights: a NumPy array that
the project file stores as numbers (store/suggest/storage.py), never a pickled object.

Speed (BENCHMARKS.md, issue 16): a whole chunk of paragraphs is tokenised by one regular
expression pass and one split over the joined text, and tokens are hashed in C by pandas
(SipHash-2-4 with a fixed key, over each distinct token once), so no Python code runs per
token. Each distinct token also has one sub-word feature: of its character 3- and 4-grams
(the word between boundary marks, as scikit-learn's 'char_wb' makes them), the one whose hash is
least (a MinHash of one), so that inflected and misspelt forms ("borders", "bordre") often
share a feature with "border", as the character n-grams of the first version let them. All the
n-grams themselves would be four to five features for every word feature, and fitting costs in
proportion (BENCHMARKS.md: F1 on real text against fitting seconds for each variant tried); one
per token is a third more non-zeros (the fit at 100,000 paragraphs took 1.65x). It is made once
per distinct token of a chunk, by NumPy over the tokens' code points grouped by length, and
reaches the paragraphs by the same sparse product as the words. The sub-words have columns of
their own, after the words', and `weighted` gives them half the words' length in each row
(`SUBWORD_WEIGHT`).

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

WORDS = 2**19
"""Columns of the words and pairs of words; the sub-words' follow them."""
SUBWORDS = 2**18
FEATURES = WORDS + SUBWORDS
GRAMS = (3, 4)
"""Lengths of the character n-grams within words, of which each token's least stands for it."""
SUBWORD_WEIGHT = 0.5
"""The sub-words' length beside the words' (each block scaled to unit length first): at 1.0 the
demo's F1 is higher, but the benchmark corpus's (made-up words, whose spelling means nothing)
falls by 0.075 instead of 0.025 (BENCHMARKS.md)."""
PIPELINE = f"words-1-2+minhash-char_wb-3-4x{SUBWORD_WEIGHT}/siphash-0123456789123456/2**19+2**18"
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
    if not len(tokens):
        return sparse.csr_matrix((len(texts), FEATURES), dtype=np.float32)
    # Each distinct token, and each distinct pair of neighbours, is one column of `occurrences`;
    # `spelt` spells each of them out in features (a token: its word column and its n-grams; a
    # pair: its column), so one sparse product counts everything, per paragraph.
    token, distinct = pd.factorize(tokens)
    hashes = pd.util.hash_array(np.asarray(distinct, dtype=object), hash_key=HASH_KEY)
    pair = row[1:] == row[:-1]
    pair_of, pairs = pd.factorize(token[:-1][pair] * len(distinct) + token[1:][pair])
    pair_hashes = _mix(hashes[pairs // len(distinct)] * _MIX[0] + hashes[pairs % len(distinct)])
    occurrences = sparse.csr_matrix(
        (np.ones(len(row) + len(pair_of), dtype=np.float32),
         (np.concatenate([row, row[:-1][pair]]), np.concatenate([token, len(distinct) + pair_of]))),
        shape=(len(texts), len(distinct) + len(pairs)))  # sums repeated tokens and pairs
    words = sparse.csr_matrix(
        (np.ones(len(distinct) + len(pairs), dtype=np.float32),
         (np.concatenate([hashes, pair_hashes]) % np.uint64(WORDS)).astype(np.int64),
         np.arange(len(distinct) + len(pairs) + 1)), shape=(len(distinct) + len(pairs), WORDS))
    subwords = sparse.vstack([_subwords(list(distinct)),
                              sparse.csr_matrix((len(pairs), SUBWORDS), dtype=np.float32)], format="csr")
    matrix = occurrences @ sparse.hstack([words, subwords], format="csr")
    matrix.sort_indices()
    return matrix


def _subwords(tokens: list[str]) -> csr_matrix:
    """Distinct tokens x their sub-word column. Of a token's character 3- and 4-grams (the token
    between spaces, as scikit-learn's 'char_wb' makes them), the one whose hash is least stands
    for it (a MinHash of one): two tokens get the same column with the probability that an
    n-gram of either is one of both (their Jaccard similarity), so "border" and "borders" often
    do, "border" and "budget" rarely. Tokens of one length are one array of code points, their
    n-grams windows over it: NumPy runs once per length, not per token."""
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy import sparse

    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    least = np.zeros(len(tokens), dtype=np.uint64)
    for length in np.unique(lengths):
        which = np.flatnonzero(lengths == length)
        points = np.array([tokens[i] for i in which], dtype=f"U{length}").view(np.uint32).reshape(len(which), -1)
        padded = np.pad(points.astype(np.uint64), ((0, 0), (1, 1)), constant_values=ord(" "))
        least[which] = np.concatenate([_gram_hashes(sliding_window_view(padded, n, axis=1)) for n in GRAMS],
                                      axis=1).min(axis=1)  # tokens x offsets, each n
    return sparse.csr_matrix((np.ones(len(tokens), dtype=np.float32), (least % np.uint64(SUBWORDS)).astype(np.int64),
                              np.arange(len(tokens) + 1)), shape=(len(tokens), SUBWORDS))


def _gram_hashes(grams: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The hash of each n-gram, given as its code points along the last axis (n of them)."""
    n = grams.shape[-1]
    hashed = np.full(grams.shape[:-1], n, dtype=np.uint64)
    for position in range(n):
        hashed = _mix(hashed * _MIX[0] + grams[..., position])
    return _mix(hashed)


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
    """Sublinear TF times IDF; in each row the words and the sub-words each scaled to unit length,
    the sub-words then to `SUBWORD_WEIGHT`, and the row to unit length."""
    out = matrix.copy()
    out.sort_indices()  # each row: its word columns, then its sub-word columns
    out.data = (1 + np.log(out.data)) * weights[out.indices]
    # Per row, where its sub-words start, and each block's sum of squares from running sums.
    starts, ends = out.indptr[:-1], out.indptr[1:]
    subword = np.concatenate([[0], np.cumsum(out.indices >= WORDS)])
    middle = ends - (subword[ends] - subword[starts])
    running = np.concatenate([[0.0], np.cumsum(np.square(out.data, dtype=np.float64))])
    word_length = np.sqrt(running[middle] - running[starts])
    subword_length = np.sqrt(running[ends] - running[middle]) / SUBWORD_WEIGHT
    row_length = np.sqrt((word_length > 0) + (subword_length > 0) * SUBWORD_WEIGHT**2)
    with np.errstate(divide="ignore"):
        scales = np.stack([1 / (word_length * row_length), 1 / (subword_length * row_length)], axis=1)
    out.data *= np.repeat(scales.ravel(), np.stack([middle - starts, ends - middle], axis=1).ravel()).astype(np.float32)
    return out
