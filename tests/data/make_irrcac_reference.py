"""Write irrcac_reference.json: irrCAC's answers that tests/exports/test_agreement_references.py
checks Accord's Gwet AC1/AC2, Brennan-Prediger, Fleiss' kappa and Krippendorff's alpha against.

irrCAC follows Gwet's Handbook for missing values, which no other reference package does, but it
pins an old SciPy that holds NumPy (and so pyarrow) back; its answers are therefore kept here as
data, and irrCAC is not a test dependency. The file holds two parts:

- `random`: seeded random coders x units matrices (2-5 coders, 2-25 units, 2-5 categories, up to
  60 % of the cells missing, plus a few edge cases), each with irrCAC's AC1 (identity, ordinal and
  quadratic weights), Brennan-Prediger and Fleiss' kappa, null where irrCAC raises or answers NaN;
- `datasets`: the five rating tables bundled with irrCAC (the examples of Gwet's Handbook of
  Inter-Rater Reliability), each with AC1, Fleiss, Brennan-Prediger, alpha and percent agreement.

It imports nothing from Accord. Run it from the repository root in a throwaway environment:

    python3 -m venv /tmp/irrcac && /tmp/irrcac/bin/pip install -q irrCAC==0.4.4
    /tmp/irrcac/bin/python tests/data/make_irrcac_reference.py
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from irrCAC import datasets
from irrCAC.raw import CAC

TARGET = Path(__file__).with_name("irrcac_reference.json")
SEED = 20261203
RANDOM_CASES = 120
DATASETS = ("raw_4raters", "raw_5observers", "raw_ben_gerry", "raw_g1g2", "raw_gender")


def reference_or_none(call: Callable[[], Any]) -> float | None:
    """irrCAC's value, or None when it raises or answers NaN (its way of saying undefined)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(call())
    except (ValueError, ZeroDivisionError, FloatingPointError):
        return None
    return None if math.isnan(value) else value


def coefficient(frame: pd.DataFrame, method: str, weights: str = "identity", field: str = "coefficient_value") -> float | None:
    """One irrCAC estimate on units x coders `frame` (copied: irrCAC edits what it is given)."""
    return reference_or_none(lambda: getattr(CAC(frame.copy(), weights=weights, digits=15), method)()["est"][field])


def random_matrix(rng: np.random.Generator) -> np.ndarray:
    """Coders x units of categories 1..q, NaN where missing: the shapes the property tests draw."""
    coders, units, q = int(rng.integers(2, 6)), int(rng.integers(2, 26)), int(rng.integers(2, 6))
    data = rng.integers(1, q + 1, (coders, units)).astype(np.float64)
    share = rng.choice([0.0, 0.1, 0.3, 0.6])
    data[rng.random(data.shape) < share] = np.nan
    return data


def edge_cases() -> list[np.ndarray]:
    """Matrices a random draw rarely gives: one category only, two rated units, perfect agreement."""
    nan = np.nan
    return [
        np.array([[1, 1, 1, 1], [1, 1, 1, nan]]),
        np.array([[1, 2, nan], [1, 2, nan]]),
        np.array([[1, 2, 3, 1, 2], [1, 2, 3, 1, 2], [1, 2, 3, 1, 2]], dtype=np.float64),
        np.array([[1, nan, 2, nan], [nan, 1, 2, 2], [1, 1, nan, 2]]),
        np.array([[1, 2, 1, 2, 1, 2], [2, 1, 2, 1, 2, 1]], dtype=np.float64),
    ]


def rated_units(data: np.ndarray) -> int:
    return int((~np.isnan(data)).any(axis=0).sum())


def random_cases() -> list[dict[str, Any]]:
    """Each matrix (coders x units, null where missing) with irrCAC's answers on it."""
    rng = np.random.default_rng(SEED)
    cases = []
    for data in edge_cases() + [random_matrix(rng) for _ in range(RANDOM_CASES)]:
        if rated_units(data) < 2:  # irrCAC's variance needs two rated units; with one it answers nothing
            continue
        frame = pd.DataFrame(data.T)
        cases.append({
            "data": [[None if math.isnan(v) else int(v) for v in row] for row in data.tolist()],
            "gwet": coefficient(frame, "gwet"),
            "gwet_ordinal": coefficient(frame, "gwet", "ordinal"),
            "gwet_quadratic": coefficient(frame, "gwet", "quadratic"),
            "bp": coefficient(frame, "bp"),
            "fleiss": coefficient(frame, "fleiss"),
        })
    return cases


def cell(value: object) -> object:
    """A rating as JSON: missing (NaN or None) as null, whole floats kept as floats."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def bundled_datasets() -> dict[str, dict[str, Any]]:
    """irrCAC's example tables (coders x units) with its answers on them."""
    tables = {}
    for name in DATASETS:
        frame = getattr(datasets, name)()
        tables[name] = {
            "coders": [str(c) for c in frame.columns],
            "ratings": [[cell(v) for v in row] for row in frame.to_numpy(dtype=object).T.tolist()],
            "gwet": coefficient(frame, "gwet"),
            "fleiss": coefficient(frame, "fleiss"),
            "bp": coefficient(frame, "bp"),
            "krippendorff": coefficient(frame, "krippendorff"),
            "pa": coefficient(frame, "gwet", field="pa"),
        }
    return tables


def one_case_a_line(reference: dict[str, Any]) -> str:
    """The JSON with one matrix or dataset a line, so that a diff of a new run stays readable."""
    head = json.dumps({"made_by": reference["made_by"]})[:-1]
    cases = ",\n".join(json.dumps(case) for case in reference["random"])
    tables = ",\n".join(f"{json.dumps(name)}: {json.dumps(table)}" for name, table in reference["datasets"].items())
    return f'{head},\n"random": [\n{cases}\n],\n"datasets": {{\n{tables}\n}}}}\n'


def main() -> None:
    reference = {
        "made_by": f"tests/data/make_irrcac_reference.py with irrCAC {version('irrCAC')}",
        "random": random_cases(),
        "datasets": bundled_datasets(),
    }
    TARGET.write_text(one_case_a_line(reference), encoding="utf-8")
    print(f"{TARGET}: {len(reference['random'])} random matrices, {len(reference['datasets'])} datasets")


if __name__ == "__main__":
    main()
