"""The stored models, ready to predict: probabilities of every trained code and variable for
any paragraphs (the coding screen, `export --predicted`, `code --order uncertain`)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from exports.suggest.evaluation import TRUSTED
from exports.suggest.features import FEATURES as WIDTH
from exports.suggest.features import PIPELINE, counts, probe, weighted
from exports.suggest.model import Classifier
from store import FEATURES, AccordError, Project, load_models


@dataclass(frozen=True)
class CodeModel:
    code_id: str
    classifier: Classifier
    report: dict[str, Any]

    @property
    def levels(self) -> list[str]:
        return [str(level) for level in self.report.get("levels", [])]

    @property
    def trusted(self) -> bool:
        """Whether its held-out alpha passes the agreement report's verdict rule."""
        return self.report.get("verdict") in TRUSTED

    @property
    def threshold(self) -> float:
        value = self.report.get("threshold")
        return float(value) if isinstance(value, (int, float)) else 0.5


@dataclass(frozen=True)
class Predictor:
    idf: NDArray[np.float32]
    models: dict[str, CodeModel]
    basis: str
    report: dict[str, Any]
    """The shared row's report (basis, skipped codes, folds)."""

    @classmethod
    def load(cls, project: Project, required: bool = True) -> Predictor | None:
        """The project's models; None when there are none and `required` is false. A model
        trained on another codebook is an AccordError (required) or None."""
        stored = load_models(project.db)
        shared = stored.pop(FEATURES, None)
        if shared is None:
            if required:
                raise AccordError("no model in this project yet: run `accord suggest train` first")
            return None
        if shared.codebook_sha256 != (project.codebook_sha256() or ""):
            if required:
                raise AccordError("the codebook changed since the models were trained: "
                                  "run `accord suggest train` again")
            return None
        if shared.report.get("pipeline") != PIPELINE or shared.report.get("probe") != probe():
            # Columns of another tokeniser or hash: the weights would score the wrong words.
            if required:
                raise AccordError("the models in this project were trained by an older Accord: "
                                  "run `accord suggest train` again")
            return None
        weights = shared.arrays.get("idf")
        if weights is None or weights.shape != (WIDTH,):
            raise AccordError("the models in the project file are damaged: run `accord suggest train` again")
        models = {}
        for code, row in stored.items():
            try:
                models[code] = CodeModel(code, Classifier.from_arrays(row.arrays, WIDTH), row.report)
            except (KeyError, ValueError) as error:
                raise AccordError(f"the model of {code!r} in the project file is damaged ({error}): "
                                  "run `accord suggest train` again") from error
        return cls(weights.astype(np.float32), models, shared.basis, shared.report)

    def features(self, texts: Sequence[str]) -> Any:
        return weighted(counts(texts), self.idf)

    @functools.cached_property
    def stacked(self) -> tuple[NDArray[np.float32], list[tuple[str, int, int]]]:
        """Every model's weights side by side (width x classes, about 2 MB a class) and each
        model's slice of them: one sparse product scores all codes, instead of one per code."""
        if not self.models:
            return np.zeros((WIDTH, 0), dtype=np.float32), []
        blocks, slices, start = [], [], 0
        for code, model in self.models.items():
            blocks.append(model.classifier.dense(WIDTH))
            slices.append((code, start, start + blocks[-1].shape[1]))
            start += blocks[-1].shape[1]
        return np.hstack(blocks), slices

    def scores(self, texts: Sequence[str]) -> dict[str, NDArray[np.float64]]:
        """Code id -> (n,) probabilities for a code, n x levels for a variable."""
        weights, slices = self.stacked
        products = np.asarray(self.features(texts) @ weights, dtype=np.float64)
        return {code: self.models[code].classifier.probabilities(products[:, first:last],
                                                                 len(self.models[code].levels))
                for code, first, last in slices}
