"""The command palette (ctrl+p) offers the coding screen's actions (from tui/keys.py, each with
its key) and every code by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import palette_commands


class CodingCommands(Provider):
    """Commands of the coding screen, and `Code: <label>` to toggle a code."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from tui.screens.coding import CodingScreen

        screen = self.screen
        if not isinstance(screen, CodingScreen):
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            (title, partial(screen.run_action, action), keys) for title, action, keys in palette_commands("coding")
        ]
        for row in screen.codebook.rows:
            verb = "Toggle" if row.code.kind == "code" else "Set"
            commands.append((f"{verb} code: {row.code.label}", partial(screen.apply, row.code.id),
                             row.code.definition.strip().split("\n")[0][:80]))
        return commands

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
