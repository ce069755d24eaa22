"""`accord code --order uncertain`: the coder's open paragraphs the models are least sure about
first (active learning), the reliability sample after them in corpus order: choosing the
sample's order by a model would make the sample's agreement depend on it."""

from __future__ import annotations

import numpy as np

from exports.suggest.predict import Predictor
from store import Project, open_paragraphs, reliability_sample

CHUNK = 20_000


def uncertain_order(project: Project, coder: str) -> list[int]:
    """Seqs of the coder's paragraphs not done: smallest margin first (a code: |p - threshold|;
    a variable: 1 - the most probable level's probability; the least sure model counts)."""
    predictor = Predictor.load(project)
    assert predictor is not None
    rows = open_paragraphs(project.db, coder)
    sample = reliability_sample(project.db)
    outside = [row for row in rows if row[1] not in sample]
    margins = np.ones(len(outside))
    for first in range(0, len(outside), CHUNK):
        part = outside[first:first + CHUNK]
        for code, score in predictor.scores([text for _, _, text in part]).items():
            model = predictor.models[code]
            margin = 1 - score.max(axis=1) if model.levels else np.abs(score - model.threshold)
            margins[first:first + len(part)] = np.minimum(margins[first:first + len(part)], margin)
    ranked = [outside[i][0] for i in np.argsort(margins, kind="stable")]
    return ranked + [seq for seq, pid, _ in rows if pid in sample]
