"""The side panel: what the highlighted code means, what counts, what does not, an example."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from store import Code
from tui.safe_text import printable


def describe(code: Code) -> RenderableType:
    """Definition, include and exclude rules, the first example (all as plain text)."""
    parts: list[RenderableType] = [Text(printable(code.label), style="bold")]
    if code.definition:
        parts.append(Text(printable(code.definition.strip())))
    for title, items in (("Include", code.include), ("Exclude", code.exclude)):
        if items:
            parts.append(Text(title, style="bold"))
            parts.extend(Text(printable(f"• {item}")) for item in items)
    if code.levels:
        parts.append(Text("Levels", style="bold"))
        parts.extend(Text(printable(f"{i} {level.label}")) for i, level in enumerate(code.levels, start=1))
    if code.examples:
        parts.append(Text("Example", style="bold"))
        parts.append(Text(printable(f"“{code.examples[0].strip()}”"), style="italic"))
    return Group(*parts)


class CodePanel(Static):
    """Shows one code at a time: the one highlighted in the codebook list."""

    def show(self, code: Code | None) -> None:
        self.update(describe(code) if code else "")
