"""The drift view as one self-contained HTML file: the chart (inline SVG, as the agreement
report draws it) above the table. Over time, one line per coder through their windows, broken
where a window has no figure; per document, one bar per document for all coders together, with
each coder's value as a dot on it."""

from __future__ import annotations

from html import escape

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from exports.html_page import figure_svg, page_head
from exports.drift import DriftReport
from exports.drift_report import cells, headers, reference_text
from exports.verdict import RELIABLE, TENTATIVE
from store import plural


def _thresholds(axes, vertical: bool) -> None:  # type: ignore[no-untyped-def]
    for threshold in (TENTATIVE, RELIABLE):
        line = axes.axvline if vertical else axes.axhline
        line(threshold, color="#8c959f", linestyle="--", linewidth=1)


def time_chart(report: DriftReport) -> str | None:
    """Mean alpha per window, one line per coder (NaN windows leave a gap, not a zero)."""
    lines = {coder: [(row.window, row.alpha) for row in report.rows if row.coder == coder] for coder in report.coders}
    if not any(alpha is not None for points in lines.values() for _, alpha in points):
        return None
    figure = Figure(figsize=(8, 3.6))
    axes = figure.add_subplot()
    for coder, points in lines.items():
        if points:
            x = np.array([window for window, _ in points], dtype=np.float64)
            y = np.array([np.nan if alpha is None else alpha for _, alpha in points], dtype=np.float64)
            axes.plot(x, y, marker="o", markersize=3, linewidth=1.5, label=coder)
    _thresholds(axes, vertical=False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"window of {report.window} paragraphs, in each coder's order")
    axes.set_ylabel("mean Krippendorff's α")
    axes.set_ylim(min(-0.05, float(np.nanmin([a for p in lines.values() for _, a in p if a is not None])) - 0.05), 1.05)
    axes.legend(loc="lower left", fontsize=8, ncols=min(len(lines), 4))
    axes.spines[["top", "right"]].set_visible(False)
    return figure_svg(figure)


def document_chart(report: DriftReport) -> str | None:
    """One bar per document (all coders together), each coder's value a dot on it."""
    documents = [row.document for row in report.rows if row.coder is None]
    if not documents:
        return None
    place = {document: i for i, document in enumerate(documents)}
    figure = Figure(figsize=(7, 0.3 * len(documents) + 1.2))
    axes = figure.add_subplot()
    y = np.arange(len(documents))[::-1]
    everyone = [row.alpha for row in report.rows if row.coder is None]
    axes.barh(y, [np.nan if a is None else a for a in everyone], color="#8c959f", label="all coders")
    for coder in report.coders:
        points = [(place[row.document], row.alpha) for row in report.rows if row.coder == coder and row.alpha is not None]
        if points:
            axes.scatter([a for _, a in points], [y[i] for i, _ in points], s=12, zorder=3, label=coder)
    for i, alpha in enumerate(everyone):
        if alpha is None:  # missing, not zero: say so where the bar would be
            axes.text(0.01, y[i], "no figure", va="center", fontsize=8, color="#57606a")
    _thresholds(axes, vertical=True)
    axes.set_yticks(y, [str(d) for d in documents])
    axes.set_xlabel("mean Krippendorff's α")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure_svg(figure)


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
