"""The drift view (exports/drift.py) as a table, Markdown, CSV, JSON and one HTML file with its chart.

The JSON shape is a promise to scripts:

    {"format": "accord-drift/1", "project", "codebook_sha256", "created_at",
     "over": "time" | "document", "window", "minimum": paragraphs a row needs for figures,
     "codes": [ids], "coders": [names], "consensus_paragraphs", "reference": the definition in words,
     "rows": [{"coder": name, or null for all coders together (per document),
               "window": 1, 2... (null per document), "document": id (null over time),
               "first_paragraph", "last_paragraph", "first_at", "last_at", "paragraphs", "comparisons",
               "percent_agreement", "alpha", "alpha_codes", "alpha_per_code": {code: alpha},
               "reason": why the figures are null, or null}]}
"""

from __future__ import annotations

import json

from exports.agreement_report import _md, _num
from exports.drift import DriftReport, DriftRow
from exports.report_columns import fmt
from store import plural

FORMAT = "accord-drift/1"
ALL_CODERS = "all coders"
"""How the per-document row of every coder together is named in the table, Markdown and CSV."""


def reference_text(report: DriftReport) -> str:
    """What each coder is compared with, and what the figures are, in words (every report says it)."""
    unit = f"windows of {report.window} paragraphs in the order each coder marked them done" if report.over == "time" \
        else "documents"
    return (
        f"On paragraphs at least two coders have done, each coder's values are compared with the consensus where "
        f"the adjudicator has done the paragraph ({plural(report.consensus, 'paragraph')} adjudicated), otherwise "
        "with each other coder who did it; "
        f"over {unit}. % agree: the share of these comparisons with equal values, over all codes. "
        "α: Krippendorff's alpha of each code over the comparisons (each a unit of two values), averaged over the "
        f"codes where it is defined. Rows with fewer than {report.minimum} paragraphs have no figures."
    )


def headers(report: DriftReport) -> list[str]:
    second = "Window" if report.over == "time" else "Document"
    return ["Coder", second, "First paragraph", "Last paragraph", "From", "To", "Paragraphs", "Comparisons",
            "% agree", "Mean α", "Note"]


def cells(report: DriftReport, row: DriftRow) -> list[str]:
    """One row's cells as the table, Markdown and HTML show them."""
    where = str(row.window) if report.over == "time" else str(row.document)
    return [row.coder or ALL_CODERS, where, row.first_paragraph, row.last_paragraph, _time(row.first_at),
            _time(row.last_at), f"{row.paragraphs:,}", f"{row.comparisons:,}", fmt(row.percent_agreement),
            fmt(row.alpha), row.reason or ""]


def _time(stamp: str | None) -> str:
    """ISO 8601 to the minute: enough to place a window in a coder's weeks."""
    return (stamp or "")[:16].replace("T", " ")


def row_dict(row: DriftRow) -> dict[str, object]:
    return {"coder": row.coder, "window": row.window, "document": row.document,
            "first_paragraph": row.first_paragraph, "last_paragraph": row.last_paragraph,
            "first_at": row.first_at, "last_at": row.last_at, "paragraphs": row.paragraphs,
            "comparisons": row.comparisons, "percent_agreement": row.percent_agreement, "alpha": row.alpha,
            "alpha_codes": row.alpha_codes, "alpha_per_code": row.per_code, "reason": row.reason}


def to_json(report: DriftReport) -> str:
    head = {"format": FORMAT, "project": report.project, "codebook_sha256": report.codebook_sha256,
            "created_at": report.created_at, "over": report.over, "window": report.window,
            "minimum": report.minimum, "codes": report.codes, "coders": report.coders,
            "consensus_paragraphs": report.consensus, "reference": reference_text(report)}
    skeleton = json.dumps({**head, "rows": "\0rows"}, indent=2, ensure_ascii=False)
    rows = ",\n".join("    " + json.dumps(row_dict(row), ensure_ascii=False) for row in report.rows)
    return skeleton.replace('"\\u0000rows"', f"[\n{rows}\n  ]" if rows else "[]") + "\n"


def to_csv(report: DriftReport) -> str:
    """One row per coder and window (or document); missing figures are empty cells, `note` says why."""
    from exports.cells import neutralised, quoted

    where = "window" if report.over == "time" else "document"
    head = ["coder", where, "first_paragraph", "last_paragraph", "first_at", "last_at", "paragraphs", "comparisons",
            "percent_agreement", "alpha", "alpha_codes", *(f"alpha_{code}" for code in report.codes), "note"]
    lines = [",".join(quoted(neutralised(h), ",") for h in head)]
    for row in report.rows:
        texts = [row.coder or ALL_CODERS, str(row.window) if report.over == "time" else str(row.document),
                 row.first_paragraph, row.last_paragraph, row.first_at or "", row.last_at or ""]
        figures = [str(row.paragraphs), str(row.comparisons), _num(row.percent_agreement), _num(row.alpha),
                   str(row.alpha_codes), *(_num(row.per_code[code]) for code in report.codes)]
        cells_ = [neutralised(t) for t in texts] + figures + [neutralised(row.reason or "")]
        lines.append(",".join(quoted(cell, ",") for cell in cells_))
    return "\n".join(lines) + "\n"


def to_markdown(report: DriftReport) -> str:
    title = "over time" if report.over == "time" else "per document"
    lines = [f"# Agreement {title}", "", f"- Project: `{report.project}`", f"- Date: {report.created_at}",
             f"- Coders: {_md(', '.join(report.coders)) or 'none'}; codes: {_md(', '.join(report.codes))}",
             "", _md(reference_text(report)), "",
             "| " + " | ".join(headers(report)) + " |", "|---|---|---|---|---|---|---:|---:|---:|---:|---|"]
    lines += ["| " + " | ".join(_md(cell) for cell in cells(report, row)) + " |" for row in report.rows]
    return "\n".join(lines) + "\n"
