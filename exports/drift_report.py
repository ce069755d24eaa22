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
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any

from exports.agreement_report import _md, _num
from exports.drift import DriftColumns, DriftReport, DriftRow, DriftRows
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
    before, after = skeleton.split('"\\u0000rows"')
    pieces = _rows_json(report.rows, report.codes)
    # One join of every piece: at 1,000,000 paragraphs by document the text is 200 MB, and each
    # copy of it (a line per row, a join of the rows, then of the whole) cost as much as the rows' values.
    return "".join([before, "[\n", *pieces, "\n  ]", after, "\n"] if pieces else [before, "[]", after, "\n"])


_FIELDS = ("coder", "window", "document", "first_paragraph", "last_paragraph", "first_at", "last_at", "paragraphs",
           "comparisons", "percent_agreement", "alpha", "alpha_codes", "alpha_per_code", "reason")
_ROW = "    {{" + ", ".join(f'"{name}": {{}}' for name in _FIELDS) + "}}"
"""One row as json.dumps writes row_dict's, its values' JSON to fill in."""
_HEAD, _TAIL = _ROW.split(' {}, "reason"')
_HEAD, _TAIL = _HEAD + " ", ', "reason"' + _TAIL
"""A row up to its `alpha_per_code` and from its `reason`: the per-code text, the same object in
many rows, goes between them as it is."""


def _joined(lines: list[str]) -> list[str]:
    """The lines with ",\n" between them, as pieces to join."""
    pieces = [",\n"] * (2 * len(lines) - 1)
    pieces[::2] = lines
    return pieces


def _rows_json(rows: Sequence[DriftRow], codes: list[str]) -> list[str]:
    """The rows' lines of the JSON with ",\n" between them, as pieces to join, column by column:
    json.dumps per row, with a dict per row first, took most of a 1,000,000-paragraph
    `--by document` (200,000 rows)."""
    if not rows:
        return []
    if isinstance(rows, DriftRows):
        return _columns_json(rows.columns, codes)
    columns: list[Any] = [[getattr(r, name) for r in rows] for name in (
        "coder", "window", "document", "first_paragraph", "last_paragraph", "first_at", "last_at", "paragraphs",
        "comparisons", "percent_agreement", "alpha", "alpha_codes")] + [None, [r.reason for r in rows]]
    if not all(list(r.per_code) == codes for r in rows):
        per_code = [json.dumps(r.per_code, ensure_ascii=False) for r in rows]
        return _joined(_lines(columns, per_code))
    alphas = _numbers([v for r in rows for v in r.per_code.values()])
    # {"code": alpha, ...} with the alphas filled in, a column of them per code.
    per_code = list(map(_per_code_pattern(codes).format, *(alphas[j::len(codes)] for j in range(len(codes))))) \
        if codes else ["{}"] * len(rows)
    return _joined(_lines(columns, per_code))


def _per_code_pattern(codes: list[str]) -> str:
    keys = [encode_basestring(code).replace("{", "{{").replace("}", "}}") + ": {}" for code in codes]
    return "{{" + ", ".join(keys) + "}}"


def _columns_json(c: DriftColumns, codes: list[str]) -> list[str]:
    """The lines from the report's columns, each distinct value written once: at 1,000,000
    paragraphs by document, 5,000,000 alphas take a few hundred distinct values, and most rows
    (documents too small for figures) the same `alpha_per_code` of nulls."""
    import numpy as np

    texts = [_distinct(c.coder, _strings), _distinct(c.window, _numbers)]
    texts += [_distinct(values, _strings) for values in (c.document, c.first_paragraph, c.last_paragraph, c.first_at,
                                                         c.last_at)]
    texts += [_distinct(c.paragraphs, _numbers), _distinct(c.comparisons, _numbers), _floats(c.percent_agreement),
              _floats(c.alpha), _distinct(c.alpha_codes, _numbers)]
    if not codes:
        per_code = ["{}"] * len(c.coder)
    else:
        uniques, number = np.unique(np.ascontiguousarray(c.alphas).view(np.int64).ravel(), return_inverse=True)
        written = np.array(_floats(uniques.view(np.float64).tolist()), dtype=object)
        number = number.reshape(c.alphas.shape)
        _, first, back = np.unique(number.view(np.dtype((np.void, number.itemsize * len(codes)))).ravel(),
                                      return_index=True, return_inverse=True)
        pattern = _per_code_pattern(codes)
        shown = np.array([pattern.format(*written[number[k]]) for k in first.tolist()], dtype=object)
        per_code = shown[back.ravel()].tolist()
    pieces = [",\n"] * (4 * len(per_code) - 1)
    pieces[::4] = map(_HEAD.format, *texts)
    pieces[1::4] = per_code
    pieces[2::4] = _distinct(c.reason, lambda reasons: [_TAIL.format(text) for text in _strings(reasons)])
    return pieces


def _distinct(values: list[Any], write: Callable[[list[Any]], list[str]]) -> list[str]:
    """`write(values)`, each distinct value (strings, None, ints: never 1 and True mixed) written once."""
    distinct = dict.fromkeys(values)  # in the order first seen, in C
    written = dict(zip(distinct, write(list(distinct)), strict=True))
    return list(map(written.__getitem__, values))


def _strings(values: list[str | None]) -> list[str]:
    return ["null" if v is None else encode_basestring(v) for v in values]


def _floats(values: list[float | None]) -> list[str]:
    """Floats (None or NaN: null) as json.dumps writes them, each distinct bit pattern written
    once (0.0 and -0.0 apart, as their JSON differs)."""
    import numpy as np

    array = np.array(values, dtype=np.float64)
    uniques, number = np.unique(array.view(np.int64), return_inverse=True)
    floats: list[float] = uniques.view(np.float64).tolist()
    written = np.array(_numbers([None if v != v else v for v in floats]), dtype=object)
    return written[number.reshape(-1)].tolist()  # type: ignore[no-any-return]


def _lines(columns: list[Any], per_code: list[str]) -> list[str]:
    """The JSON lines of columns in DriftRow's order (`alpha_per_code` given as text)."""
    def texts(values: list[str | None]) -> list[str]:
        return ["null" if v is None else encode_basestring(v) for v in values]

    written = [texts(values) if k in (0, 2, 3, 4, 5, 6, 13) else _numbers(values) for k, values in enumerate(columns)
               if k != 12]
    return list(map(_ROW.format, *written[:12], per_code, written[12]))


def _numbers(values: list[object]) -> list[str]:
    """Numbers (or None) as json.dumps writes them: repr, which is json's for ints and finite
    floats; any other value (inf, NaN, a bool) shows a letter repr of those never has, and then
    json.dumps writes the lot."""
    written = ["null" if v is None else repr(v) for v in values]
    every = "".join(written)
    if "i" in every or "a" in every or "T" in every:
        return [json.dumps(v) for v in values]
    return written


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
