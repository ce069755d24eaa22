"""Command families of the `accord` CLI. Each module exposes click commands; `register` attaches them."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add every command to the top-level group (imports stay light: no Textual here)."""
    from tui.commands.agreement import agree, import_codings
    from tui.commands.codebook import codebook
    from tui.commands.codebook_export import codebook_export
    from tui.commands.coding import code
    from tui.commands.corpus import import_
    from tui.commands.demo import demo
    from tui.commands.doctor import doctor
    from tui.commands.export import export
    from tui.commands.project import init, status
    from tui.commands.teams import adjudicate, handout, merge

    codebook.add_command(codebook_export)
    for command in (init, import_, status, code, codebook, demo, doctor, agree, import_codings, export, handout,
                    merge, adjudicate):
        group.add_command(command)
