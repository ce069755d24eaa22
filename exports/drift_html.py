"""The drift view as one self-contained HTML file: the chart (inline SVG, exports/svg.py) above
the table. Over time, one line per coder through their windows, broken where a window has no
figure; per document, one bar per document for all coders together, with each coder's value as
a dot on it."""

from __future__ import annotations

from html import escape

from exports.drift import DriftReport
from exports.drift_report import cells, headers, reference_text
from exports.html_page import page_head
from exports.svg import CYCLE, Rows, lines
from exports.verdict import RELIABLE, TENTATIVE
from store import plural


def time_chart(report: DriftReport) -> str | None:
    """Mean alpha per window, one line per coder (NaN windows leave a gap, not a zero)."""
    points = {coder: [(row.window, row.alpha) for row in report.rows if row.coder == coder] for coder in report.coders}
    alphas = [alpha for line in points.values() for _, alpha in line if alpha is not None]
    if not alphas:
        return None
    nan = float("nan")
    series = [(coder, [nan if window is None else float(window) for window, _ in line],
               [nan if a is None else a for _, a in line]) for coder, line in points.items() if line]
    return lines(series, f"window of {report.window} paragraphs, in each coder's order", "mean Krippendorff's α",
                 min(-0.05, min(alphas) - 0.05), 1.05, (TENTATIVE, RELIABLE), "Agreement over time")


def document_chart(report: DriftReport) -> str | None:
    """One bar per document (all coders together), each coder's value a dot on it."""
    documents = [row.document for row in report.rows if row.coder is None]
    if not documents:
        return None
    place = {document: i for i, document in enumerate(documents)}
    everyone = [row.alpha for row in report.rows if row.coder is None]
    colours = {coder: CYCLE[k % len(CYCLE)] for k, coder in enumerate(report.coders)}
    dots = [(place[row.document], row.alpha, colours[row.coder]) for row in report.rows
            if row.coder is not None and row.alpha is not None and row.document in place]
    values = [a for a in everyone if a is not None] + [value for _, value, _ in dots]
    chart = Rows([str(d) for d in documents], min(0.0, min(values, default=0.0) - 0.05), 1.03, "mean Krippendorff's α",
                 bars=[(a, "#8c959f") for a in everyone], dots=dots,
                 notes=[(i, "no figure") for i, a in enumerate(everyone) if a is None],  # missing, not zero
                 references=(TENTATIVE, RELIABLE),
                 legend=[("all coders", "#8c959f"), *colours.items()])
    return chart.svg("Agreement per document")


def to_html(report: DriftReport) -> str:
    e = escape
    title = "Agreement over time" if report.over == "time" else "Agreement per document"
    chart = time_chart(report) if report.over == "time" else document_chart(report)
    parts = [
        *page_head(title), f"<h1>{title}</h1>",
        f'<p class="meta">Project <code>{e(report.project)}</code> · codebook <code>{e(report.codebook_sha256 or "none")}</code>'
        f" · {e(report.created_at)}<br>{plural(len(report.coders), 'coder')} ({e(', '.join(report.coders))}) · "
        f"codes: {e(', '.join(report.codes))}</p>",
        f"<p>{e(reference_text(report))}</p>",
    ]
    if chart:
        parts.append(f"<figure>{chart}</figure>")
    else:
        parts.append("<p>No window has a figure yet: no chart.</p>")
    parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers(report)) + "</tr></thead><tbody>")
    parts += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in cells(report, row)) + "</tr>" for row in report.rows]
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts) + "\n"
