"""The `accord` command line: one click group; each command lives in a module of tui/commands,
imported only when it runs (or when `accord --help` lists it), so that start-up stays quick."""

from __future__ import annotations

import sys

import click

from tui.commands.common import PROJECT_HELP, Context
from tui.commands.lazy import LazyGroup

COMMANDS = {
    "init": "tui.commands.project:init",
    "import": "tui.commands.corpus:import_",
    "status": "tui.commands.project:status",
    "code": "tui.commands.coding:code",
    "codebook": "tui.commands.codebook:codebook",
    "demo": "tui.commands.demo:demo",
    "doctor": "tui.commands.doctor:doctor",
    "agree": "tui.commands.agreement:agree",
    "import-codings": "tui.commands.import_codings:import_codings",
    "export": "tui.commands.export:export",
    "overview": "tui.commands.overview:overview",
    "handout": "tui.commands.teams:handout",
    "merge": "tui.commands.teams:merge",
    "adjudicate": "tui.commands.teams:adjudicate",
    "notes": "tui.commands.notes:notes",
    "retrieve": "tui.commands.retrieve:retrieve",
    "suggest": "tui.commands.suggest:suggest",
}
"""Every command of `accord` and where it lives ("module:attribute")."""


class AccordGroup(LazyGroup):
    """Turns domain errors into a one-line message and exit code 1; tracebacks stay for bugs."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as error:
            # Only a command that loaded `store` can raise its errors; `--help` never loads it.
            errors = sys.modules.get("store.errors")
            if errors is not None and isinstance(error, errors.AccordError):
                from tui.safe_text import printable  # messages quote ids and names: data

                raise click.ClickException(printable(str(error))) from error
            raise


@click.group(cls=AccordGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    metavar="PATH",
    help=f"{PROJECT_HELP} Before or after the command.",
)
@click.version_option(package_name="accord")
@click.pass_context
def main(ctx: click.Context, project: str | None) -> None:
    """Accord: code a corpus paragraph by paragraph against a YAML codebook,
    merge coders, measure agreement and export datasets, from the terminal.

    \b
    A first session:
      accord init                      create ./accord.db with the default codebook
      accord import statements/        import .txt/.md/.csv/.tsv/.jsonl/.docx files
      accord code                      open the coding screen
      accord status                    see what is done

    \b
    Every command takes --project PATH, before or after the command's name:
      accord --project season.db status   is   accord status --project season.db
    """
    ctx.obj = Context(project)
