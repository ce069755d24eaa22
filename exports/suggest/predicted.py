"""`accord export --predicted`: the basis where it exists, the model's values elsewhere.

A paragraph the basis coded keeps its human values (`source` human); every other paragraph
gets each trained code's 0/1 at the threshold chosen on the cross-validation, and a
variable's most probable level, with the probability in `CODE_p` (`source` machine). Codes
without a model stay missing on machine rows. The models' report travels in the metadata.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from exports.datasets import Column, Dataset, DatasetSpec, build_dataset
from exports.suggest.predict import Predictor
from store import AccordError, Project


def predicted_dataset(project: Project, spec: DatasetSpec,
                      on_progress: Callable[[int], None] | None = None) -> tuple[Dataset, Predictor]:
    """The dataset of `spec` (one row per paragraph) completed by the models."""
    if spec.whose == "all" or spec.long or spec.unit != "paragraph":
        raise AccordError("--predicted gives one row per paragraph: --all, --long and --unit document do not apply")
    predictor = Predictor.load(project)
    assert predictor is not None
    dataset = build_dataset(project, replace(spec, text=True), on_progress)
    names = {c.name for c in dataset.columns}
    codes = [c for c in dataset.columns if c.name in predictor.models]
    clashes = [f"{c.name}_p" for c in codes if f"{c.name}_p" in names] + (["source"] if "source" in names else [])
    if clashes:
        raise AccordError(f"columns {', '.join(clashes)} already exist: rename them to export --predicted")
    added = [Column(f"{c.name}_p", _label(c, predictor), "float") for c in codes]
    columns = [c for c in dataset.columns if spec.text or c.name != "text"] + added + [
        Column("source", "Where the row's values come from (human: the basis; machine: the model)", "str")]
    coded = [c.name for c in dataset.columns if c.type in ("code", "level")]

    def chunks() -> Iterator[pd.DataFrame]:
        for frame in dataset.chunks:
            human = frame[coded].notna().any(axis=1).to_numpy() if coded else np.zeros(len(frame), dtype=bool)
            machine = np.flatnonzero(~human)
            scores = predictor.scores(frame["text"].iloc[machine].astype(str).tolist()) if len(machine) else {}
            for column in codes:
                model = predictor.models[column.name]
                probability = np.full(len(frame), np.nan)
                if len(machine):
                    score = scores[column.name]
                    if column.type == "code":
                        probability[machine] = score
                        values = (score >= model.threshold).astype(int)
                        frame.loc[frame.index[machine], column.name] = values
                    else:
                        best = score.argmax(axis=1)
                        probability[machine] = score[np.arange(len(machine)), best]
                        frame.loc[frame.index[machine], column.name] = [model.levels[i] for i in best]
                frame[f"{column.name}_p"] = probability
            frame["source"] = pd.Series(np.where(human, "human", "machine"), index=frame.index, dtype=object)
            yield frame[[c.name for c in columns]]

    report = {"basis": predictor.basis, **predictor.report,
              "codes": [{"code": code, **model.report} for code, model in predictor.models.items()]}
    metadata = {**dataset.metadata, "accord.suggest_report": json.dumps(report, ensure_ascii=False)}
    return Dataset(columns, chunks(), dataset.paragraphs, metadata, dataset.gaps), predictor


def _label(column: Column, predictor: Predictor) -> str:
    model = predictor.models[column.name]
    if column.type == "code":
        return f"Model's probability of {column.name} (1 at >= {model.threshold:.2f}, chosen by cross-validation)"
    return f"Model's probability of the level given to {column.name} (machine rows)"
