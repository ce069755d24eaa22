"""The `accord` command line: one click group, one module per command family in tui/commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from store import AccordError

DEFAULT_PROJECT = "accord.db"


def on_a_terminal() -> bool:
    """Whether a person sits at this command: stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def require_terminal(command: str) -> None:
    """Refuse to start a full-screen view where nobody can see it (a pipe, a script, cron)."""
    if not on_a_terminal():
        raise AccordError(f"`accord {command}` is a full-screen view and needs a terminal; "
                          "its input or output is redirected here")


class Context:
    """What every command needs: where the project file is and who is coding."""

    def __init__(self, project: str | None) -> None:
        self.project_path = Path(project or os.environ.get("ACCORD_PROJECT") or DEFAULT_PROJECT)


class AccordGroup(click.Group):
    """Turns domain errors into a one-line message and exit code 1; tracebacks stay for bugs."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AccordError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    metavar="PATH",
    help=f"The project file (default: $ACCORD_PROJECT, then ./{DEFAULT_PROJECT}).",
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
    """
    ctx.obj = Context(project)


def coder_name(explicit: str | None) -> str:
    """The coder's name: --coder, then $ACCORD_CODER, then the login name."""
    if explicit:
        return explicit
    if os.environ.get("ACCORD_CODER"):
        return os.environ["ACCORD_CODER"]
    try:
        return os.getlogin()
    except OSError:
        import getpass

        return getpass.getuser()


def _register() -> None:
    """Attach every command family; each lives in its own module under tui/commands."""
    from tui.commands import register

    register(main)


_register()
