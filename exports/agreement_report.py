"""A reliability report as JSON, CSV and Markdown, with the methods paragraph a paper needs.

The JSON shape is a promise to scripts (`format` is bumped on any incompatible change):

    {"format": "accord-agreement/2", "project", "codebook_sha256", "created_at",
     "coders": [names], "units": paragraphs done by two or more coders,
     "bootstrap": {"replicates", "seed", "confidence"},
     "codes": [{"code", "label", "kind", "level", "units", "coders", "prevalence",
                "percent_agreement", "fleiss_kappa", "gwet_ac1": {"value", "reason"},
                "krippendorff_alpha": {"value", "reason", "low", "high", "interval_reason"},
                "verdict": "reliable" | "tentative" | "inconclusive" | "unreliable" | "undefined",
                "verdict_reason": why, when alpha alone would say otherwise, or null,
                "minimum_units": Krippendorff's minimum sample for the code,
                "warning": "too few units: ..." below that minimum, or null,
                "pairs": [{"coders": [a, b], "units", "percent_agreement", "cohen_kappa": {"value", "reason"}}],
                "splits": [{"paragraph_id", "values": {coder: value}}]}],
     "pairs": [{"coders": [a, b], "units", "percent_agreement", "mean_kappa"}]}

A `value` of null always comes with a `reason`; null `low`/`high` with an `interval_reason`.
Format 2 (from 1): the verdict reads the lower end of alpha's interval, and `inconclusive`,
`verdict_reason`, `minimum_units` and `warning` are new.
The file is indented, except that each split paragraph is one compact line (fast to write, grep-able).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) uses

import numpy as np
from numpy.typing import NDArray

from exports.ratings import MISSING, Coefficient
from exports.reliability import SHOWN_SPLITS, CodeReliability, ReliabilityReport, Splits
from exports.report_columns import (csv_headers, csv_values, fmt, json_entries, reasons, report_notes, shown_columns,
                                    verdict_notes)
from exports.verdict import RELIABLE, TENTATIVE, minimum_units
from store import plural

FORMAT = "accord-agreement/2"
CONFIDENCE = 0.95
REFERENCES = (
    "Bloch, D. A., & Kraemer, H. C. (1989). 2 x 2 kappa coefficients: Measures of agreement or association. "
    "Biometrics, 45, 269-287.",
    "Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological Measurement, 20, 37-46.",
    "Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin, 76, 378-382.",
    "Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high agreement. "
    "British Journal of Mathematical and Statistical Psychology, 61, 29-48.",
    "Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.",
    "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for coding "
    "data. Communication Methods and Measures, 1, 77-89.",
    "Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.). Sage.",
    "Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication.",
)


def coefficient(c: Coefficient) -> dict[str, object]:
    return {"value": c.value, "reason": c.reason}


def code_dict(code: CodeReliability, splits: object = None) -> dict[str, object]:
    """One code's figures; `splits` stands in for the list of split paragraphs when given."""
    return {
        "code": code.code,
        "label": code.label,
        "kind": code.kind,
        "level": code.level,
        "units": code.units,
        "coders": code.coders,
        "prevalence": code.prevalence,
        **json_entries(code),
        "verdict": code.verdict,
        "verdict_reason": code.verdict_reason,
        "minimum_units": code.minimum_units,
        "warning": code.warning,
        "pairs": [
            {"coders": [p.first, p.second], "units": p.units, "percent_agreement": p.percent_agreement.value,
             "cohen_kappa": coefficient(p.cohen_kappa)}
            for p in code.pairs
        ],
        "splits": [{"paragraph_id": s.paragraph_id, "values": s.values} for s in code.splits.rows()]
        if splits is None else splits,
    }


def report_dict(report: ReliabilityReport, splits: object = None) -> dict[str, object]:
    """The report as plain data: the JSON shape documented above (`splits`: see code_dict)."""
    return {
        "format": FORMAT,
        "project": report.project,
        "codebook_sha256": report.codebook_sha256,
        "created_at": report.created_at,
        "coders": report.coders,
        "units": report.units,
        "bootstrap": {"replicates": report.replicates, "seed": report.seed, "confidence": CONFIDENCE},
        "codes": [code_dict(code, splits) for code in report.codes],
        "pairs": [
            {"coders": [p.first, p.second], "units": p.units, "percent_agreement": p.percent_agreement,
             "mean_kappa": p.mean_kappa}
            for p in report.pairs
        ],
    }


_SPLITS_MARK = "\0splits"
_SPLIT_INDENT = " " * 8  # a split's depth: report > codes > code > splits
_SPLITS_CLOSE = "\n" + " " * 6 + "]"


def to_json(report: ReliabilityReport) -> str:
    """The report indented for reading, each split paragraph on one compact line.

    json.dumps with `indent` falls back to its pure-Python encoder, which took most of the time
    at a million paragraphs; so the small top levels are indented by json and the long split
    lists are written here, one line per paragraph."""
    skeleton = json.dumps(report_dict(report, splits=_SPLITS_MARK), indent=2, ensure_ascii=False)
    parts = skeleton.split(json.dumps(_SPLITS_MARK))
    out = [parts[0]]
    for code, rest in zip(report.codes, parts[1:], strict=True):
        out.append(_splits_json(code.splits))
        out.append(rest)
    out.append("\n")
    return "".join(out)


def _splits_json(splits: Splits) -> str:
    """A code's split paragraphs as an indented JSON list, one compact object per line.

    A split's values are one of a few patterns (a value or none per coder), so each pattern's
    text is written once and each line is the paragraph id and its pattern's text."""
    if not len(splits):
        return "[]"
    keys = [encode_basestring(coder) + ": " for coder in splits.coders]
    values = [json.dumps(value, ensure_ascii=False) for value in splits.categories]
    patterns, which = _patterns(splits.codes)
    tails = [', "values": {' + ", ".join(keys[c] + values[v] for c, v in enumerate(row) if v != MISSING) + "}},\n"
             for row in patterns.tolist()]
    head = _SPLIT_INDENT + '{"paragraph_id": '
    text = "".join([head + encode_basestring(paragraph_id) + tails[pattern]
                    for paragraph_id, pattern in zip(splits.paragraph_ids.tolist(), which.tolist(), strict=True)])
    return "[\n" + text[:-2] + _SPLITS_CLOSE


def _patterns(codes: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct columns of a coders x splits matrix (as rows) and which one each split has.

    Each column read as a number in base (categories + 2) when that fits in 63 bits: a
    one-dimensional unique, many times faster than a row-wise one."""
    base = int(codes.max(initial=0)) + 2  # MISSING (-1) is digit 0
    if codes.shape[0] * np.log2(base) >= 62:
        patterns, which = np.unique(codes.T, axis=0, return_inverse=True)
        return patterns, which.ravel()
    number = (base ** np.arange(codes.shape[0], dtype=np.int64)) @ (codes + 1)
    _, first, which = np.unique(number, return_index=True, return_inverse=True)
    return codes.T[first], which.ravel()


def to_csv(report: ReliabilityReport) -> str:
    """One row per code and variable; undefined figures are empty cells, explained in `note`.

    Every text cell (headers, ids, labels, levels, notes) goes through the writers' one formula
    neutraliser; the figures do not ("-0.12" is a kappa, not a formula)."""
    from exports.cells import neutralised, quoted

    def line(texts: list[str], figures: list[str], more: list[str]) -> str:
        cells = [neutralised(t) for t in texts] + figures + [neutralised(t) for t in more]
        return ",".join(quoted(cell, ",") for cell in cells) + "\n"

    lines = [line(["code", "label", "kind", "level", "units", "coders", "prevalence", *csv_headers(), "verdict",
                   "minimum_units", "note"], [], [])]
    for code in report.codes:
        lines.append(line([code.code, code.label, code.kind, code.level or ""],
                          [str(code.units), str(code.coders), _num(code.prevalence), *csv_values(code, _num)],
                          [code.verdict, "" if code.minimum_units is None else str(code.minimum_units),
                           "; ".join([*reasons(code.coefficients), *verdict_notes(code)])]))
    return "".join(lines)


def _num(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))


def methods_paragraph(report: ReliabilityReport) -> str:
    """What a paper's methods section says about how agreement was measured."""
    names = ", ".join(report.coders)
    bootstrap = (
        f" with a {CONFIDENCE:.0%} percentile bootstrap interval over paragraphs ({report.replicates:,} "
        f"replicates, seed {report.seed})"
        if report.replicates
        else ""
    )
    return (
        f"Inter-coder agreement was measured with Accord on {plural(report.units, 'paragraph')} that at least two "
        f"of {plural(len(report.coders), 'coder')} ({names}) had marked done. A code counts as present or absent on a "
        "paragraph a coder marked done and as missing on one the coder did not do; a variable takes its "
        "level. For each code we report the share of agreeing coder pairs, Cohen's (1960) kappa for every "
        "pair of coders, Fleiss' (1971) kappa with Gwet's (2014) generalisation to unequal numbers of "
        f"coders per paragraph, Gwet's (2008) AC1, and Krippendorff's (2011) alpha{bootstrap}, at the "
        "nominal level for codes and unordered variables and at the ordinal level for ordered ones. "
        + verdict_rule(report)
    )


def verdict_rule(report: ReliabilityReport) -> str:
    """The methods paragraph's account of the verdicts and of the minimum sample."""
    minimums = {code.categories: code.minimum_units for code in report.codes} or {2: minimum_units(2)}
    listed = ", ".join(f"{n} paragraphs for {'a code' if k == 2 else f'a variable of {k} levels'}"
                       for k, n in sorted(minimums.items()))
    return (
        f"Following Krippendorff (2004), a code is read as reliable when the lower end of alpha's 95 % bootstrap "
        f"interval is at least {RELIABLE:.3f}, and as sufficient for tentative conclusions only when it is at least "
        f"{TENTATIVE:.3f}: the bar is applied to the interval rather than to the estimate, so that the data make it "
        "unlikely that alpha falls short of it (Hayes & Krippendorff, 2007). A code whose alpha is below "
        f"{TENTATIVE:.3f} is read as unreliable; one whose alpha reaches {TENTATIVE:.3f} while its interval reaches "
        "below it, or has no interval, as inconclusive: the sample is too small to tell. Codes with fewer paragraphs "
        f"than the minimum sample that Krippendorff (2004) derives from Bloch and Kraemer (1989) to show alpha ≥ "
        f"{RELIABLE:.3f} at p = .05 when values are equally frequent ({listed}) are flagged as having too few units."
    )


def pair_kappa_table(report: ReliabilityReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the code x coder-pair table of Cohen's kappa."""
    header = ["Code", *(f"{p.first} – {p.second}" for p in report.pairs)]
    rows = [[c.code, *(fmt(p.cohen_kappa.value) for p in c.pairs)] for c in report.codes]
    return header, rows


def to_markdown(report: ReliabilityReport) -> str:
    lines = [
        "# Inter-coder agreement",
        "",
        f"- Project: `{report.project}`",
        f"- Codebook: `{report.codebook_sha256 or 'none'}`",
        f"- Date: {report.created_at}",
        f"- Coders: {_md(', '.join(report.coders)) or 'none'}; paragraphs done by two or more: {report.units:,}",
        "",
        "| Code | Units | Coders | Prevalence | " + "".join(f"{column.header} | " for column in shown_columns()) + "Verdict |",
        "|---|---:|---:|---:|" + "".join("---|" if column.interval else "---:|" for column in shown_columns()) + "---|",
    ]
    for c in report.codes:
        lines.append(
            f"| {_md(c.label)} (`{c.code}`) | {c.units:,} | {c.coders} | {fmt(c.prevalence)} | "
            + "".join(f"{column.text(c)} | " for column in shown_columns()) + f"{c.verdict} |"
        )
    undefined = [(c.code, c.alpha.reason) for c in report.codes if c.alpha.reason]
    if undefined:
        lines += ["", *[f"- α undefined for `{code}`: {reason}" for code, reason in undefined]]
    notes = report_notes(report.codes)
    if notes:
        lines += ["", *[f"- {_md(note)}" for note in notes]]
    if report.pairs:
        lines += ["", "## Coder pairs", "", "| Coders | Paragraphs | % agree | Mean Cohen's κ |", "|---|---:|---:|---:|"]
        lines += [
            f"| {_md(p.first)} – {_md(p.second)} | {p.units:,} | {fmt(p.percent_agreement)} | {fmt(p.mean_kappa)} |"
            for p in report.pairs
        ]
        header, rows = pair_kappa_table(report)
        lines += ["", "### Cohen's κ per code and pair", "", f"| {' | '.join(_md(h) for h in header)} |",
                  "|---|" + "---:|" * (len(header) - 1)]
        lines += [f"| {' | '.join(_md(cell) for cell in row)} |" for row in rows]
    lines += ["", "## Paragraphs on which coders split", ""]
    for c in report.codes:
        if not len(c.splits):
            continue
        lines += [f"### {_md(c.label)} (`{c.code}`): {plural(len(c.splits), 'paragraph')}", ""]
        for split in c.splits.rows(SHOWN_SPLITS):
            values = _md(", ".join(f"{coder} {value}" for coder, value in split.values.items()))
            text = _md(report.texts.get(split.paragraph_id, ""))
            lines.append(f"- `{_md(split.paragraph_id)}` ({values}): {text[:200]}{'…' if len(text) > 200 else ''}")
        if len(c.splits) > SHOWN_SPLITS:
            lines.append(f"- … and {len(c.splits) - SHOWN_SPLITS:,} more (all in `--format json`)")
        lines.append("")
    lines += ["## Methods", "", _md(methods_paragraph(report)), "", "## References", ""]
    lines += [f"- {reference}" for reference in REFERENCES]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Data in the Markdown report: HTML shown as text (a `<script>` in a label must not run where the report is
    rendered), the table's `|` escaped, every line end (a lone carriage return too) a space."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
