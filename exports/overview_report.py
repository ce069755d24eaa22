"""The overview as a file: JSON (documented in README), Markdown and CSV.

JSON: `frequencies` (one object per code and variable level: count and share of done rows,
overall and `by` group), `cooccurrence` (`{code: {code: count}}`), `jaccard` (the same layout,
null where neither code applies), `coverage`, and what was counted (`whose`, `by`, `groups`).
CSV: one tidy row per figure (`section,code,level,other,group,count,share`).
"""

from __future__ import annotations

import json
import math

from exports.agreement_report import _md as md_text  # the one Markdown escaping of the reports
from exports.cells import delimited_line
from exports.overview import Int, Overview
from exports.report_columns import fmt

SMALL_JSON = 100
"""Groups up to which the JSON is indented for reading."""
COVERAGE = ("paragraphs", "done", "not_done", "flagged", "missing_required")


def _share(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def coverage(overview: Overview, group: int | None = None) -> dict[str, int]:
    """The coverage figures, overall or of one group."""
    def pick(counts: Int) -> int:
        return int(counts.sum() if group is None else counts[group])

    paragraphs, done = pick(overview.paragraphs), pick(overview.done)
    return {"paragraphs": paragraphs, "done": done, "not_done": paragraphs - done,
            "flagged": pick(overview.flagged), "missing_required": pick(overview.missing_required)}


def to_dict(overview: Overview) -> dict[str, object]:
    done = int(overview.done.sum())
    shares = [[None if math.isnan(v) else v for v in row] for row in overview.shares().T.tolist()]  # entries x groups
    counts = overview.counts.T.tolist()
    frequencies = []
    for j, (entry, count) in enumerate(zip(overview.entries, overview.total.tolist(), strict=True)):
        row: dict[str, object] = {"code": entry.code, "level": entry.level, "label": entry.label, "count": count,
                                  "share": count / done if done else None}
        if overview.groups:
            row["by"] = {g: {"count": c, "share": s} for g, c, s in zip(overview.groups, counts[j], shares[j], strict=True)}
        frequencies.append(row)
    jaccard = [[None if math.isnan(v) else v for v in row] for row in overview.jaccard().tolist()]
    codes = overview.codes
    cover: dict[str, object] = dict(coverage(overview))
    if overview.groups:
        cover["by"] = {g: coverage(overview, i) for i, g in enumerate(overview.groups)}
    return {
        "project": overview.project,
        "whose": overview.whose,
        "coder": overview.coder,
        "by": overview.by,
        "groups": overview.groups,
        "coverage": cover,
        "frequencies": frequencies,
        "cooccurrence": {a: dict(zip(codes, row, strict=True))
                         for a, row in zip(codes, overview.cooccurrence.tolist(), strict=True)},
        "jaccard": {a: dict(zip(codes, row, strict=True)) for a, row in zip(codes, jaccard, strict=True)},
    }


def to_json(overview: Overview) -> str:
    """Indented while small; beyond SMALL_JSON groups on one line, which the C encoder writes
    (with `indent`, Python's json falls back to its pure-Python encoder: seconds at 100,000 paragraphs by document)."""
    data = to_dict(overview)
    return json.dumps(data, ensure_ascii=False, indent=2 if len(overview.groups) <= SMALL_JSON else None) + "\n"


def to_csv(overview: Overview) -> str:
    """One row per figure; text cells neutralised as every CSV Accord writes (exports/cells.py)."""
    def line(cells: list[object]) -> str:
        return delimited_line(["" if c is None else c if isinstance(c, str) else repr(c) for c in cells], ",")

    lines = [line(["section", "code", "level", "other", "group", "count", "share"])]
    groups: list[tuple[int | None, str]] = [(None, ""), *enumerate(overview.groups)]
    for i, group in groups:
        for name, value in coverage(overview, i).items():
            lines.append(line(["coverage", name, None, None, group, value, None]))
    shares = overview.shares()
    done = int(overview.done.sum())
    for j, entry in enumerate(overview.entries):
        count = int(overview.total[j])
        lines.append(line(["frequency", entry.code, entry.level, None, "", count, count / done if done else None]))
        for i, group in enumerate(overview.groups):
            lines.append(line(["frequency", entry.code, entry.level, None, group, int(overview.counts[i, j]),
                               _share(shares[i, j])]))
    jaccard = overview.jaccard()
    for i, a in enumerate(overview.codes):
        for k, b in enumerate(overview.codes):
            lines.append(line(["cooccurrence", a, None, b, "", int(overview.cooccurrence[i, k]),
                               _share(jaccard[i, k])]))
    return "".join(lines)


def percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f} %"


def to_markdown(overview: Overview) -> str:
    e = md_text
    total = coverage(overview)
    lines = ["# Overview of the coded corpus", "",
             f"Project `{e(overview.project)}`, {e(overview.described())}"
             + (f", by {overview.by}" if overview.by else "") + ".", "",
             "## Coverage", "", "| group | " + " | ".join(COVERAGE) + " |", "|---|" + "---:|" * len(COVERAGE)]
    lines.append("| all | " + " | ".join(f"{total[k]:,}" for k in COVERAGE) + " |")
    for i, group in enumerate(overview.groups):
        row = coverage(overview, i)
        lines.append(f"| {e(group)} | " + " | ".join(f"{row[k]:,}" for k in COVERAGE) + " |")
    done = int(overview.done.sum())
    shares = overview.shares()
    lines += ["", "## Frequencies", "", "Paragraphs where each code applies (each level is given), and their share "
              "of the done ones" + (" in each group (the code matrix)." if overview.groups else "."), ""]
    header = ["code", "count", "share", *(e(g) for g in overview.groups)]
    lines += ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for j, entry in enumerate(overview.entries):
        count = int(overview.total[j])
        cells = [f"{e(entry.label)} `{e(entry.name)}`", f"{count:,}", percent(count / done if done else math.nan)]
        cells += [f"{int(overview.counts[i, j]):,} ({percent(shares[i, j])})" for i in range(len(overview.groups))]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Co-occurrence", "", "Done paragraphs where both codes apply, with Jaccard's index (both / "
              "either) in brackets.", ""]
    jaccard = overview.jaccard()
    lines += ["| | " + " | ".join(f"`{e(c)}`" for c in overview.codes) + " |",
              "|---|" + "---:|" * len(overview.codes)]
    for i, a in enumerate(overview.codes):
        lines.append(f"| `{e(a)}` | " + " | ".join(
            f"{int(overview.cooccurrence[i, k]):,} ({fmt(_share(jaccard[i, k]), 2)})"
            for k in range(len(overview.codes))) + " |")
    return "\n".join(lines) + "\n"
