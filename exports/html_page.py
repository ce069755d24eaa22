"""What every HTML report shares: its style sheet and its head.

One self-contained file: inline CSS, charts as inline SVG (exports/svg.py), nothing fetched
when it is opened.
"""

from __future__ import annotations

from html import escape

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 64rem;
       color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f6f8fa; }
.verdict { font-weight: 600; }
.meta { color: #57606a; } code { font-size: .9em; }
.split { margin: .4rem 0; } .split q { color: #57606a; }
figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
"""


def page_head(title: str) -> list[str]:
    """The opening lines of a report page, up to and including <body>."""
    return ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style></head><body>"]
