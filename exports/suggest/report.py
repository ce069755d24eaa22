"""`accord suggest report`: the stored cross-validated figures of each model beside the human
coders' alpha on the same code, the learning curve, and which codes the machine may be
trusted on (the verdict rule of the agreement report), as rows for a table, Markdown, HTML
or JSON."""

from __future__ import annotations

import html
import json
from typing import Any

from exports.reliability import reliability_report
from exports.suggest.evaluation import TRUSTED
from store import FEATURES, AccordError, Project, exposure, load_models

COLUMNS = ("code", "positives", "threshold", "precision", "recall", "F1 [95 %]", "α model [95 %]",
           "α coders [95 %]", "verdict", "learning curve (paragraphs: F1)")


def suggest_report(project: Project, replicates: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Every stored model's figures, the humans' alpha beside them, and the skipped codes."""
    models = load_models(project.db, with_arrays=False)
    shared = models.pop(FEATURES, None)
    if shared is None:
        raise AccordError("no model in this project yet: run `accord suggest train` first")
    coders = [c for c in project.coders() if c != "consensus"]
    humans = {}
    if len(coders) >= 2 and models:
        for code in reliability_report(project, codes=list(models), replicates=replicates, seed=seed).codes:
            humans[code.code] = {"alpha": code.alpha.value, "interval": [code.alpha_interval.low,
                                                                         code.alpha_interval.high],
                                 "verdict": code.verdict}
    stale = (project.codebook_sha256() or "") != shared.codebook_sha256
    return {
        "basis": shared.basis, "trained_at": shared.trained_at, "paragraphs": shared.trained_on,
        "documents": shared.report.get("documents"), "folds": shared.report.get("folds"),
        "tested_folds": shared.report.get("tested_folds"), "tested": shared.report.get("tested"),
        "codebook_changed": stale, "skipped": shared.report.get("skipped", {}),
        "codes": [{"code": code, **model.report, "trusted": model.report.get("verdict") in TRUSTED,
                   "coders": humans.get(code)} for code, model in models.items()],
        "automation_bias": {} if stale else automation_bias(project),
    }


def automation_bias(project: Project) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Per code: the coders' agreement with the model's value on their done paragraphs where a
    suggestion was on screen, and where a model was in use but none was shown (events.suggested)."""
    rows = exposure(project.db)
    if not rows:
        return {}
    from exports.suggest.predict import Predictor

    predictor = Predictor.load(project)
    assert predictor is not None
    texts = [project.paragraph(pid).text for _, pid, _ in rows]
    scores = predictor.scores(texts)
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    values = [project.codings(pid, coder) for coder, pid, _ in rows]
    for code, model in predictor.models.items():
        score = scores[code]
        machine = ([model.levels[i] for i in score.argmax(axis=1)] if model.levels
                   else [int(p >= model.threshold) for p in score])
        groups: dict[str, list[bool]] = {"with": [], "without": []}
        for (_, _, shown), given, predicted in zip(rows, values, machine, strict=True):
            human = given.get(code, None if model.levels else 0)
            groups["with" if shown else "without"].append(str(human) == str(predicted))
        out[code] = {name: {"paragraphs": len(agreed), "agreement": sum(agreed) / len(agreed) if agreed else None}
                     for name, agreed in groups.items()}
    return out


def _number(value: object, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _interval(value: object, interval: list[Any] | None) -> str:
    if value is None:
        return "—"
    low, high = interval or [None, None]
    return _number(value) + (f" [{_number(low)}, {_number(high)}]" if low is not None and high is not None else "")


def rows(report: dict[str, Any]) -> list[list[str]]:
    """One row of COLUMNS per model."""
    out = []
    for code in report["codes"]:
        humans = code.get("coders")
        positives = code["positives"]
        out.append([
            code["code"],
            str(positives) if isinstance(positives, int) else ", ".join(f"{k} {v}" for k, v in positives.items()),
            _number(code["threshold"], 2),
            _number(code["precision"]), _number(code["recall"]),
            _interval(code["f1"], code.get("f1_interval")),
            _interval(code["alpha"], code.get("alpha_interval")),
            _interval(humans["alpha"], humans["interval"]) if humans else "no two coders",
            code["verdict"] + (" (trusted)" if code["trusted"] else ""),
            ", ".join(f"{p['paragraphs']}: {_number(p['f1'], 2)}" for p in code.get("curve", [])),
        ])
    return out


def summary(report: dict[str, Any]) -> list[str]:
    """The lines around the table: what was learnt from, what the verdicts mean, what was skipped."""
    trusted = [c["code"] for c in report["codes"] if c["trusted"]]
    lines = [
        f"Basis: {report['basis']}, {report['paragraphs']:,} paragraphs in {report['documents']:,} documents, "
        f"trained {report['trained_at']}; {report['folds']}-fold cross-validation grouped by document "
        "(no paragraph of a test document in training)" + _tested(report) + ".",
        "α model: Krippendorff's alpha between the held-out predictions and the basis; α coders: between the "
        "human coders. Verdict: the agreement report's rule on α model's 95 % interval.",
        "The machine may be trusted on: " + (", ".join(trusted) if trusted else "no code yet") + ".",
    ]
    if report["codebook_changed"]:
        lines.append("The codebook changed since training: run `accord suggest train` again.")
    for code, groups in report.get("automation_bias", {}).items():
        shown, hidden = groups["with"], groups["without"]
        lines.append(f"Automation bias, {code}: coders agree with the model on {_share(shown)} of "
                     f"{shown['paragraphs']:,} paragraphs with a suggestion shown, {_share(hidden)} of "
                     f"{hidden['paragraphs']:,} without.")
    for code, reason in report["skipped"].items():
        lines.append(f"Skipped {code}: {reason}.")
    return lines


def _tested(report: dict[str, Any]) -> str:
    """Where only the first folds were scored (a large project), on how many paragraphs."""
    folds, tested = report.get("tested_folds"), report.get("tested")
    if not folds or folds >= report["folds"] or tested is None:
        return ""
    return (f", judged on {tested:,} of {report['paragraphs']:,} paragraphs ({folds} of the {report['folds']} "
            "folds)")


def _share(group: dict[str, Any]) -> str:
    return "—" if group["agreement"] is None else f"{group['agreement']:.0%}"


def markdown(report: dict[str, Any]) -> str:
    table = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    table += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(report)]
    return "# Assisted coding: how good the models are\n\n" + "\n\n".join(summary(report)) + "\n\n" + "\n".join(
        table) + "\n"


def html_page(report: dict[str, Any]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows(report))
    notes = "".join(f"<p>{html.escape(line)}</p>" for line in summary(report))
    return (f"<!doctype html><meta charset='utf-8'><title>Assisted coding report</title>"
            f"<h1>Assisted coding: how good the models are</h1>{notes}<table><tr>{head}</tr>{body}</table>\n")


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
