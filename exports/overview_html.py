"""The overview as one self-contained HTML file: the tables of the Markdown report, with a bar
chart of the frequencies and heatmaps of the code matrix and of co-occurrence (inline SVG, in
the page shell of the agreement report: exports/html_page.py)."""

from __future__ import annotations

from html import escape

import numpy as np
from numpy.typing import NDArray

from exports.html_page import page_head
from exports.overview import Overview
from exports.overview_report import COVERAGE, coverage, matrix_cells, percent
from exports.report_columns import fmt
from exports.svg import Rows, heatmap

MATRIX_GROUPS = 40
"""The code matrix's chart shows at most this many groups (those with the most done paragraphs);
the table below it has them all."""
CELL_TEXTS = 600
"""Cells up to which the heatmaps write each count: beyond, the numbers would not be legible."""


def frequency_chart(overview: Overview) -> str | None:
    """Share of the done paragraphs where each code or level applies."""
    done = int(overview.done.sum())
    if not overview.entries or not done:
        return None
    shares = (overview.total / done).tolist()
    chart = Rows([entry.name for entry in overview.entries], 0.0, max(1.0, max(shares) * 1.15),
                 f"share of the {done:,} done paragraphs",
                 bars=[(share, "#0969da" if e.level is None else "#8250df")
                       for share, e in zip(shares, overview.entries, strict=True)],
                 bar_texts=[f"{int(c):,}" for c in overview.total])
    return chart.svg("Frequencies")


def _heatmap(matrix: NDArray[np.float64], labels: list[list[str]], rows: list[str], columns: list[str],
             colour: str, legend: str, title: str) -> str:
    high = max(float(np.nanmax(matrix)) if np.isfinite(matrix).any() else 1.0, 1e-9)
    return heatmap(matrix.tolist(), labels if matrix.size <= CELL_TEXTS else None, rows, columns, colour, legend,
                   high, title)


def matrix_chart(overview: Overview) -> str | None:
    """The code matrix: share of each group's done paragraphs where each code or level applies."""
    if not overview.groups or not overview.entries:
        return None
    order = np.argsort(-overview.done, kind="stable")[:MATRIX_GROUPS]
    shares = overview.shares()[order].T  # entries x groups
    labels = [[f"{c:,}" for c in row] for row in overview.counts[order].T.tolist()]
    return _heatmap(shares, labels, [e.name for e in overview.entries], [overview.groups[g] for g in order],
                    "Blues", "share of the group's done paragraphs", "Code matrix")


def cooccurrence_chart(overview: Overview) -> str | None:
    """Co-occurrence: Jaccard's index as colour, the count in each cell."""
    if len(overview.codes) < 2:
        return None
    labels = [[f"{int(c):,}" for c in row] for row in overview.cooccurrence]
    return _heatmap(overview.jaccard(), labels, overview.codes, overview.codes, "Oranges",
                    "Jaccard (both / either)", "Co-occurrence")


def to_html(overview: Overview) -> str:
    e = escape
    total = coverage(overview)
    parts = [*page_head("Overview of the coded corpus"), "<h1>Overview of the coded corpus</h1>",
             f'<p class="meta">Project <code>{e(overview.project)}</code> · {e(overview.described())}'
             + (f" · by {e(overview.by)}" if overview.by else "") + "</p>",
             "<h2>Coverage</h2><table><thead><tr><th>Group</th>"
             + "".join(f"<th>{e(name.replace('_', ' '))}</th>" for name in COVERAGE) + "</tr></thead><tbody>"]
    rows = [("all", total)] + [(g, coverage(overview, i)) for i, g in enumerate(overview.groups)]
    parts += ["<tr><td>" + e(name) + "</td>" + "".join(f"<td>{row[k]:,}</td>" for k in COVERAGE) + "</tr>"
              for name, row in rows]
    parts.append("</tbody></table>")
    parts.append("<h2>Frequencies</h2><p>Done paragraphs where each code applies (each level is given), and their "
                 "share of the done ones.</p>")
    if chart := frequency_chart(overview):
        parts.append(f'<figure id="frequencies">{chart}</figure>')
    done = int(overview.done.sum())
    parts.append("<table><thead><tr><th>Code</th><th>Count</th><th>Share</th>"
                 + "".join(f"<th>{e(g)}</th>" for g in overview.groups) + "</tr></thead><tbody>")
    matrix = matrix_cells(overview)
    for j, entry in enumerate(overview.entries):
        count = int(overview.total[j])
        parts.append(f"<tr><td>{e(entry.label)} <code>{e(entry.name)}</code></td><td>{count:,}</td>"
                     f"<td>{percent(count / done if done else float('nan'))}</td>"
                     + ("<td>" + "</td><td>".join(matrix[j]) + "</td>" if matrix[j] else "") + "</tr>")
    parts.append("</tbody></table>")
    if chart := matrix_chart(overview):
        shown = min(len(overview.groups), MATRIX_GROUPS)
        more = f" (the {shown} with the most done paragraphs; all in the table above)" if shown < len(overview.groups) else ""
        parts += [f"<h2>Code matrix by {e(overview.by or '')}</h2><p>Share of each group's done paragraphs{more}; "
                  "the count in each cell.</p>", f'<figure id="matrix">{chart}</figure>']
    parts.append("<h2>Co-occurrence</h2><p>Done paragraphs where both codes apply, with Jaccard's index (both / "
                 "either) in brackets.</p>")
    if chart := cooccurrence_chart(overview):
        parts.append(f'<figure id="cooccurrence">{chart}</figure>')
    jaccard = overview.jaccard()
    parts.append("<table><thead><tr><th></th>" + "".join(f"<th><code>{e(c)}</code></th>" for c in overview.codes)
                 + "</tr></thead><tbody>")
    for i, code in enumerate(overview.codes):
        parts.append(f"<tr><td><code>{e(code)}</code></td>" + "".join(
            f"<td>{int(overview.cooccurrence[i, k]):,} ({fmt(None if np.isnan(jaccard[i, k]) else float(jaccard[i, k]), 2)})</td>"
            for k in range(len(overview.codes))) + "</tr>")
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts) + "\n"
