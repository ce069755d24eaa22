"""The overview as a file: JSON (documented in README), Markdown and CSV.

JSON: `frequencies` (one object per code and variable level: count and share of done rows,
overall and `by` group), `cooccurrence` (`{code: {code: count}}`), `jaccard` (the same layout,
null where neither code applies), `coverage`, and what was counted (`whose`, `by`, `groups`).
CSV: one tidy row per figure (`section,code,level,other,group,count,share`).
"""

from __future__ import annotations

import json
import math
import re
from json.encoder import encode_basestring

import numpy as np

from exports.cells import delimited_line

from exports.overview import Int, Overview

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


def coverage_rows(overview: Overview) -> list[tuple[str, list[int]]]:
    """("all", figures), then each group's, the figures in the order of COVERAGE: from Python
    numbers, once for every group (a NumPy scalar per figure cost more than the table)."""
    columns = [np.asarray(c).tolist() for c in (overview.paragraphs, overview.done, overview.paragraphs - overview.done,
                                                overview.flagged, overview.missing_required)]
    total = coverage(overview)
    rows: list[tuple[str, list[int]]] = [("all", [total[k] for k in COVERAGE])]
    if overview.groups:
        rows += zip(overview.groups, map(list, zip(*columns, strict=True)), strict=True)
    return rows


def to_dict(overview: Overview, grouped: bool = True) -> dict[str, object]:
    """The JSON's content; without `grouped`, each `by` is left out (to_json writes them itself)."""
    done = int(overview.done.sum())
    frequencies = []
    for entry, count in zip(overview.entries, overview.total.tolist(), strict=True):
        frequencies.append({"code": entry.code, "level": entry.level, "label": entry.label, "count": count,
                            "share": count / done if done else None})
    if overview.groups and grouped:
        by = _by_groups(overview)
        for row, groups in zip(frequencies, by, strict=True):
            row["by"] = groups
    jaccard = [[None if math.isnan(v) else v for v in row] for row in overview.jaccard().tolist()]
    codes = overview.codes
    cover: dict[str, object] = dict(coverage(overview))
    if overview.groups and grouped:
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


def _by_groups(overview: Overview) -> list[dict[str, dict[str, object]]]:
    """Each entry's counts and shares per group, as in the JSON."""
    shares = [[None if math.isnan(v) else v for v in row] for row in overview.shares().T.tolist()]  # entries x groups
    return [{g: {"count": c, "share": s} for g, c, s in zip(overview.groups, counts, row, strict=True)}
            for counts, row in zip(overview.counts.T.tolist(), shares, strict=True)]


RAW = re.compile(r'"\\u0000(\d+)"')
"""Where to_json puts a piece it wrote itself: the JSON of the string "\0" and the piece's number."""


def to_json(overview: Overview) -> str:
    """Indented while small; beyond SMALL_JSON groups on one line, the `by` objects (groups x
    entries of them: 1,800,000 at 1,000,000 paragraphs by document) written as text directly:
    the same bytes json.dumps gives, without making a dict per cell first."""
    if len(overview.groups) <= SMALL_JSON:
        return json.dumps(to_dict(overview), ensure_ascii=False, indent=2) + "\n"
    data = to_dict(overview, grouped=False)
    keys = [encode_basestring(g) + ": " for g in overview.groups]
    pieces = [_by_text(keys, counts, shares)
              for counts, shares in zip(overview.counts.T.tolist(), overview.shares().T.tolist(), strict=True)]
    frequencies: list[dict[str, object]] = data["frequencies"]  # type: ignore[assignment]
    for number, row in enumerate(frequencies):
        row["by"] = f"\0{number}"
    columns = [np.asarray(c).tolist() for c in (overview.paragraphs, overview.done, overview.paragraphs - overview.done,
                                                overview.flagged, overview.missing_required)]
    template = '{{"paragraphs": {}, "done": {}, "not_done": {}, "flagged": {}, "missing_required": {}}}'
    pieces.append("{" + ", ".join(map(str.__add__, keys, map(template.format, *columns))) + "}")
    data["coverage"]["by"] = f"\0{len(pieces) - 1}"  # type: ignore[index]
    skeleton = json.dumps(data, ensure_ascii=False)
    parts = RAW.split(skeleton)  # text, number, text, number, ..., text
    if len(parts) // 2 != len(pieces):  # a name of the project's that looks like a mark: the slow way
        return json.dumps(to_dict(overview), ensure_ascii=False) + "\n"
    parts[1::2] = [pieces[int(number)] for number in parts[1::2]]
    return "".join(parts) + "\n"


def _by_text(keys: list[str], counts: list[int], shares: list[float]) -> str:
    """`{"group": {"count": c, "share": s}, ...}` as json.dumps writes it (NaN as null)."""
    share_text = ["null" if s != s else float.__repr__(s) for s in shares]
    template = '{{"count": {}, "share": {}}}'
    return "{" + ", ".join(map(str.__add__, keys, map(template.format, counts, share_text))) + "}"


def to_csv(overview: Overview) -> str:
    """One row per figure; text cells neutralised as every CSV Accord writes (exports/cells.py)."""
    written: dict[str, str] = {}

    def cell(text: str) -> str:
        # Each distinct cell neutralised and quoted once: a group's name, a count, a share
        # recur across 180,000 lines at 100,000 paragraphs by document.
        done = written.get(text)
        if done is None:
            done = written[text] = delimited_line([text], ",")[:-1]
        return done

    def line(cells: list[object]) -> str:
        return ",".join([cell("" if c is None else c if isinstance(c, str) else repr(c)) for c in cells]) + "\n"

    lines = [line(["section", "code", "level", "other", "group", "count", "share"])]
    # The groups' lines column by column: each group's cell made once, the counts' and shares'
    # once per distinct value (180,000 lines at 100,000 paragraphs by document).
    empty, names = cell(""), [cell(name) for name in COVERAGE]
    for n, (group, figures) in enumerate(coverage_rows(overview)):
        head, tail = f"{cell('coverage')},", f",{empty},{empty},{cell(group) if n else empty},"  # the first: all
        lines += [f"{head}{name}{tail}{cell(repr(value))},{empty}\n" for name, value in zip(names, figures, strict=True)]
    shares = overview.shares().T.tolist()  # Python numbers: a NumPy scalar per cell cost more than the line
    counts = overview.counts.T.tolist()
    done = int(overview.done.sum())
    group_cells = [cell(group) for group in overview.groups]
    for j, entry in enumerate(overview.entries):
        count = int(overview.total[j])
        lines.append(line(["frequency", entry.code, entry.level, None, "", count, count / done if done else None]))
        if not overview.groups:
            continue
        head = line(["frequency", entry.code, entry.level, None])[:-1] + ","
        count_cells = list(map(cell, map(repr, counts[j])))
        share_cells = [empty if s != s else cell(repr(s)) for s in shares[j]]
        lines += [f"{head}{g},{c},{s}\n" for g, c, s in zip(group_cells, count_cells, share_cells, strict=True)]
    jaccard = overview.jaccard()
    for i, a in enumerate(overview.codes):
        for k, b in enumerate(overview.codes):
            lines.append(line(["cooccurrence", a, None, b, "", int(overview.cooccurrence[i, k]),
                               _share(jaccard[i, k])]))
    return "".join(lines)


def percent(value: float) -> str:
    return "–" if value != value else f"{100 * value:.1f} %"


def matrix_cells(overview: Overview) -> list[list[str]]:
    """Each entry's "count (share)" in each group, as the tables show the code matrix: from
    Python numbers (a NumPy scalar per cell took most of a report's time by document)."""
    if not overview.groups:  # the arrays' one group is everything: no matrix
        return [[] for _ in overview.entries]
    # Each distinct (count, share) pair written once (by document most cells are "0 (0.0 %)"),
    # found by NumPy: the share by its bits, so that -0.0 and each NaN keep their own text.
    counts = np.ascontiguousarray(overview.counts.T, dtype=np.int64)
    shares = np.ascontiguousarray(overview.shares().T, dtype=np.float64)
    pairs = np.stack([counts.ravel(), shares.ravel().view(np.int64)], axis=1)
    distinct, back = np.unique(pairs, axis=0, return_inverse=True)
    texts = [f"{c:,} ({100 * s:.1f} %)" if s == s else f"{c:,} (–)"
             for c, s in zip(distinct[:, 0].tolist(), distinct[:, 1].copy().view(np.float64).tolist(), strict=True)]
    cells: list[list[str]] = np.array(texts, dtype=object)[back.reshape(-1)].reshape(counts.shape).tolist()
    return cells


def to_markdown(overview: Overview) -> str:
    # The one Markdown escaping of the reports, loaded here: the agreement report it lives in
    # brings the statistics modules, which no other overview format needs.
    from exports.agreement_report import _md as e
    from exports.report_columns import fmt  # with the statistics it formats: only Markdown needs it

    total = coverage(overview)
    lines = ["# Overview of the coded corpus", "",
             f"Project `{e(overview.project)}`, {e(overview.described())}"
             + (f", by {overview.by}" if overview.by else "") + ".", "",
             "## Coverage", "", "| group | " + " | ".join(COVERAGE) + " |", "|---|" + "---:|" * len(COVERAGE)]
    lines.append("| all | " + " | ".join(f"{total[k]:,}" for k in COVERAGE) + " |")
    for group, figures in coverage_rows(overview)[1:]:
        lines.append(f"| {e(group)} | " + " | ".join(f"{n:,}" for n in figures) + " |")
    done = int(overview.done.sum())
    lines += ["", "## Frequencies", "", "Paragraphs where each code applies (each level is given), and their share "
              "of the done ones" + (" in each group (the code matrix)." if overview.groups else "."), ""]
    header = ["code", "count", "share", *(e(g) for g in overview.groups)]
    lines += ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    matrix = matrix_cells(overview)
    for j, entry in enumerate(overview.entries):
        count = int(overview.total[j])
        cells = [f"{e(entry.label)} `{e(entry.name)}`", f"{count:,}", percent(count / done if done else math.nan)]
        lines.append("| " + " | ".join(cells + matrix[j]) + " |")
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
