"""The reliability report as one self-contained HTML file to attach to a paper submission.

Inline CSS, charts written as inline SVG (exports/svg.py): nothing is fetched when the file is
opened.
"""

from __future__ import annotations

from html import escape

import numpy as np

from exports.agreement_report import REFERENCES, methods_paragraph, pair_kappa_table
from exports.html_page import CSS
from exports.reliability import SHOWN_SPLITS, CodeReliability, ReliabilityReport
from exports.report_columns import VERDICT_COEFFICIENT, ShownColumn, fmt, report_notes, shown_columns
from exports.verdict import RELIABLE, TENTATIVE
from exports.svg import Rows, heatmap
from store import plural

VERDICT_COLOURS = {"reliable": "#1a7f37", "tentative": "#9a6700", "inconclusive": "#8250df", "unreliable": "#cf222e",
                   "undefined": "#6e7781"}

def alpha_chart(report: ReliabilityReport) -> str | None:
    """Alpha with its bootstrap interval per code, against Krippendorff's two thresholds."""
    codes = [c for c in report.codes if c.alpha.value is not None]
    if not codes:
        return None
    values = [c.alpha.value for c in codes if c.alpha.value is not None]
    low = [c.alpha_interval.low if c.alpha_interval.low is not None else v for c, v in zip(codes, values, strict=True)]
    high = [c.alpha_interval.high if c.alpha_interval.high is not None else v for c, v in zip(codes, values, strict=True)]
    colours = [VERDICT_COLOURS[c.verdict] for c in codes]
    chart = Rows([c.code for c in codes], min(0.0, min(low) - 0.05), 1.03,  # room for the dots at 1
                 "Krippendorff's alpha (95 % bootstrap interval)",
                 intervals=list(zip(low, high, colours, strict=True)),
                 dots=[(i, value, colour) for i, (value, colour) in enumerate(zip(values, colours, strict=True))],
                 references=(TENTATIVE, RELIABLE))
    return chart.svg("Alpha per code")


def kappa_heatmap(report: ReliabilityReport) -> str | None:
    """Mean Cohen's kappa over codes for every pair of coders."""
    if len(report.coders) < 2:
        return None
    n = len(report.coders)
    index = {name: i for i, name in enumerate(report.coders)}
    matrix = np.full((n, n), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for pair in report.pairs:
        if pair.mean_kappa is not None:
            i, j = index[pair.first], index[pair.second]
            matrix[i, j] = matrix[j, i] = pair.mean_kappa
    labels = [["–" if np.isnan(v) else f"{v:.2f}" for v in row] for row in matrix.tolist()]
    # NaN cells (pairs without kappa) are left blank; the scale runs from 0, as kappa's colours do.
    return heatmap(np.clip(matrix, 0, 1).tolist(), labels, report.coders, report.coders, "RdYlGn",
                   "mean Cohen's kappa", 1.0, "Mean Cohen's kappa per pair of coders")


def _cell(column: ShownColumn, code: CodeReliability) -> str:
    """A coefficient's cell; the verdict's coefficient, when undefined, says why in its tooltip."""
    reason = code.coefficients[column.coefficient].reason
    if reason and column.coefficient == VERDICT_COEFFICIENT and not column.interval:
        return f'<td title="{escape(reason)}">{escape(column.text(code))}</td>'
    return f"<td>{escape(column.text(code))}</td>"


def to_html(report: ReliabilityReport) -> str:
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Inter-coder agreement</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Inter-coder agreement</h1>",
        f'<p class="meta">Project <code>{e(report.project)}</code> · codebook <code>{e(report.codebook_sha256 or "none")}</code>'
        f" · {e(report.created_at)}<br>{plural(len(report.coders), 'coder')} ({e(', '.join(report.coders))}) · "
        f"{plural(report.units, 'paragraph')} done by two or more</p>",
        "<h2>Codes and variables</h2>",
        "<table><thead><tr><th>Code</th><th>Units</th><th>Coders</th><th>Prevalence</th>"
        + "".join(f"<th>{e(column.header)}</th>" for column in shown_columns())
        + "<th>Verdict</th></tr></thead><tbody>",
    ]
    for c in report.codes:
        parts.append(
            f"<tr><td>{e(c.label)} <code>{e(c.code)}</code></td><td>{c.units:,}</td><td>{c.coders}</td>"
            f"<td>{fmt(c.prevalence)}</td>" + "".join(_cell(column, c) for column in shown_columns())
            + f'<td class="verdict" style="color:{VERDICT_COLOURS[c.verdict]}">{c.verdict}</td></tr>'
        )
    parts.append("</tbody></table>")
    notes = [f"<li>α undefined for <code>{e(c.code)}</code>: {e(c.alpha.reason)}</li>" for c in report.codes if c.alpha.reason]
    notes += [f"<li>{e(note)}</li>" for note in report_notes(report.codes)]
    if notes:
        parts.append(f"<ul>{''.join(notes)}</ul>")
    if chart := alpha_chart(report):
        parts += ["<h2>Alpha per code</h2>", f"<figure>{chart}</figure>"]
    if report.pairs:
        parts += ["<h2>Coder pairs</h2>", "<table><thead><tr><th>Coders</th><th>Paragraphs</th><th>% agree</th>"
                  "<th>Mean Cohen's κ</th></tr></thead><tbody>"]
        parts += [
            f"<tr><td>{e(p.first)} – {e(p.second)}</td><td>{p.units:,}</td><td>{fmt(p.percent_agreement)}</td>"
            f"<td>{fmt(p.mean_kappa)}</td></tr>"
            for p in report.pairs
        ]
        parts.append("</tbody></table>")
        header, rows = pair_kappa_table(report)
        parts.append("<h3>Cohen's κ per code and pair</h3><table><thead><tr>"
                     + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
        if heatmap := kappa_heatmap(report):
            parts.append(f"<figure>{heatmap}</figure>")
    parts.append("<h2>Paragraphs on which coders split</h2>")
    for c in report.codes:
        if not len(c.splits):
            continue
        parts.append(f"<h3>{e(c.label)} <code>{e(c.code)}</code>: {plural(len(c.splits), 'paragraph')}</h3>")
        for split in c.splits.rows(SHOWN_SPLITS):
            values = ", ".join(f"{e(coder)} {e(str(value))}" for coder, value in split.values.items())
            text = report.texts.get(split.paragraph_id, "")
            parts.append(f'<p class="split"><code>{e(split.paragraph_id)}</code> ({values}): <q>{e(text)}</q></p>')
        if len(c.splits) > SHOWN_SPLITS:
            parts.append(f"<p>… and {len(c.splits) - SHOWN_SPLITS:,} more (all in the JSON report).</p>")
    parts += ["<h2>Methods</h2>", f"<p>{e(methods_paragraph(report))}</p>", "<h2>References</h2><ul>"]
    parts += [f"<li>{e(reference)}</li>" for reference in REFERENCES]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"
