"""Assisted coding (issue 16): a corpus whose codes depend on its words, and the speed of
training, predicting and one paragraph's suggestions.

The corpus: a vocabulary of 3,000 made-up words; each of the codes has 20 cue words of its own.
A paragraph is 40 background words drawn at random (Zipf-like weights); each code applies with
a probability that depends on the document (a document has 1-3 themes, whose codes apply with
p = 0.35, others with p = 0.03), and a paragraph it applies to gets 1-3 of its cue words. The
human label is that truth with 5 % of labels flipped (coders err). So words predict codes, not
perfectly, and documents cluster: what grouped cross-validation is for.

    python -m benchmarks.suggest --project bench.db --paragraphs 5000     # a project coded by `bench`
    python -m benchmarks.suggest --speed --paragraphs 100000 --predict 1000000
    accord --project bench.db suggest train --basis bench                  # the whole command, timed
    python -m benchmarks.suggest --quality bench.db                        # its held-out F1 and alpha
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

CODES = 20
PER_DOCUMENT = 10


def corpus(paragraphs: int, codes: int = CODES, seed: int = 0) -> tuple[list[str], NDArray[np.int64], NDArray[np.int8]]:
    """Texts, their documents and the human labels (paragraphs x codes)."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i:04d}" + "abcdefghij"[i % 10] for i in range(3000)])
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    cues = rng.choice(len(vocabulary), size=(codes, 20), replace=False)
    documents = np.arange(paragraphs) // PER_DOCUMENT
    themes = rng.random((documents[-1] + 1, codes)) < (2 / codes)
    truth = rng.random((paragraphs, codes)) < np.where(themes[documents], 0.35, 0.03)
    texts = []
    for i in range(paragraphs):
        words = list(vocabulary[rng.choice(len(vocabulary), 40, p=weights)])
        for code in np.flatnonzero(truth[i]):
            words += list(vocabulary[rng.choice(cues[code], rng.integers(1, 4))])
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
    labels = (truth ^ (rng.random(truth.shape) < 0.05)).astype(np.int8)
    return texts, documents, labels


def make_project(path: Path, paragraphs: int, codes: int = 5) -> None:
    """A project with `codes` codes, every paragraph done by coder `bench` with the human labels."""
    from store import Code, Codebook, Project, SourceDocument

    texts, documents, labels = corpus(paragraphs, codes)
    codebook = Codebook(title="Benchmark", version="1",
                        codes=tuple(Code(id=f"c{k:02d}", label=f"Code {k}") for k in range(codes)))
    with Project.create(path, codebook) as project:
        project.import_documents([SourceDocument(id=f"d{d:05d}", paragraphs=texts[d * PER_DOCUMENT:(d + 1) * PER_DOCUMENT],
                                                 source=f"d{d}.txt") for d in range(documents[-1] + 1)])
        with project.transaction():
            for i in range(paragraphs):
                pid = f"d{documents[i]:05d}:{i % PER_DOCUMENT + 1}"
                for k in np.flatnonzero(labels[i]):
                    project.set_coding(pid, "bench", f"c{k:02d}", 1)
                project.set_status(pid, "bench", "done")


class Clock:
    """Wall and CPU seconds of a block: on shared cores the CPU time is the figure to compare."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def speed(paragraphs: int, predict: int) -> dict[str, float]:
    """Seconds (wall and CPU) to vectorise and fit 20 codes (no cross-validation), to predict
    `predict` paragraphs in chunks of 20,000, and one paragraph's scores (mean of 200); peak memory.
    Runs against whichever `exports` is imported, so the same script times an older checkout."""
    from exports.suggest.features import counts, idf, weighted
    from exports.suggest.model import fit
    from exports.suggest.predict import CodeModel, Predictor

    texts, _documents, labels = corpus(paragraphs)
    with Clock() as train:
        matrix = counts(texts)
        weights = idf(matrix)
        features = weighted(matrix, weights)
        try:  # the codes share their training rows: `accord suggest train` narrows them once
            from exports.suggest.model import compact
        except ImportError:  # a checkout from before compact (the "before" of BENCHMARKS.md)
            fits = [fit(features, labels[:, k].astype(np.int64), False) for k in range(CODES)]
        else:
            present, narrow = compact(features)
            fits = [fit(narrow, labels[:, k].astype(np.int64), False, present) for k in range(CODES)]
        models = {f"c{k:02d}": CodeModel(f"c{k:02d}", model, {"threshold": 0.5, "levels": []})
                  for k, model in enumerate(fits)}
    predictor = Predictor(weights, models, "bench", {})
    with Clock() as predicted:
        for first in range(0, predict, 20_000):
            batch = [texts[i % len(texts)] for i in range(first, min(first + 20_000, predict))]
            predictor.scores(batch)
    predictor.scores([texts[0]])  # the first call builds what every later call shares
    with Clock() as one:
        for i in range(200):
            predictor.scores([texts[i]])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"train_s": round(train.wall, 1), "train_cpu_s": round(train.cpu, 1), "predict_s": round(predicted.wall, 1),
            "predict_cpu_s": round(predicted.cpu, 1), "one_paragraph_ms": round(one.wall / 200 * 1000, 2),
            "one_paragraph_cpu_ms": round(one.cpu / 200 * 1000, 2), "peak_mb": round(peak)}


def quality(path: Path) -> dict[str, object]:
    """The trained models' held-out figures as `accord suggest train` stored them: per code F1,
    alpha and the learning curve; the means over codes (compare two trainings of one project)."""
    from store import FEATURES, Project, load_models

    with Project.open(path) as project:
        models = {code: model.report for code, model in load_models(project.db, with_arrays=False).items()
                  if code != FEATURES}
    codes = {code: {"f1": round(r["f1"], 4), "alpha": round(r["alpha"], 4), "threshold": r["threshold"],
                    "verdict": r["verdict"], "curve": [(p["paragraphs"], None if p["f1"] is None else round(p["f1"], 3))
                                                       for p in r["curve"]]}
             for code, r in models.items()}
    return {"mean_f1": round(float(np.mean([c["f1"] for c in codes.values()])), 4),
            "mean_alpha": round(float(np.mean([c["alpha"] for c in codes.values()])), 4), "codes": codes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, help="write a coded benchmark project here")
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--codes", type=int, default=5, help="codes of the --project")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--predict", type=int, default=100_000)
    parser.add_argument("--quality", type=Path, metavar="PROJECT",
                        help="print the held-out figures `accord suggest train` stored in PROJECT (JSON)")
    args = parser.parse_args()
    if args.quality:
        print(json.dumps(quality(args.quality)))
    if args.project:
        make_project(args.project, args.paragraphs, args.codes)
        print(f"wrote {args.project}", file=sys.stderr)
    if args.speed:
        print(json.dumps({"paragraphs": args.paragraphs, "predict": args.predict, **speed(args.paragraphs,
                                                                                         args.predict)}))


if __name__ == "__main__":
    main()
