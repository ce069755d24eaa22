"""What the commands share: where the project is, who codes, and whether a person is watching.

Light on purpose: `accord COMMAND --help` imports this module, so `store` loads only inside the
functions that need it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from store import Project

DEFAULT_PROJECT = "accord.db"
PROJECT_HELP = f"The project file (default: $ACCORD_PROJECT, then ./{DEFAULT_PROJECT})."

Command = TypeVar("Command", bound=Callable[..., object])


class Context:
    """What every command needs: where the project file is and who is coding."""

    def __init__(self, project: str | None = None) -> None:
        self.project = project
        """--project as given, before or after the command (None: not given)."""

    def choose_project(self, project: str) -> None:
        """Take --project given after the command; two different files are a usage error."""
        if self.project is not None and Path(self.project) != Path(project):
            raise click.UsageError(f"--project given twice, as {self.project} and as {project}: which one?")
        self.project = project

    @property
    def project_path(self) -> Path:
        """The project file: --project, then $ACCORD_PROJECT, then ./accord.db; never a folder."""
        path = Path(self.project or os.environ.get("ACCORD_PROJECT") or DEFAULT_PROJECT)
        if path.is_dir():
            raise click.ClickException(f"{path} is a folder, not a project file")
        return path


class WritesAFile(click.Command):
    """A command that writes its result to `-o FILE`: a file named without `-o` is refused with
    the hint to give it with `-o`, since a bare word there is almost always that mistake."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            stray = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if stray and not allowed and not ctx.resilient_parsing:
            if len(stray) > 1:
                ctx.fail(f"Got unexpected extra arguments ({' '.join(stray)})")
            import shlex

            ctx.fail(f"Got unexpected extra argument ({stray[0]}). "
                     f"To write a file, give it with -o: -o {shlex.quote(stray[0])}")
        return stray


@contextmanager
def checked_meanwhile(ctx: Context) -> Iterator[tuple[Project, Callable[[], None]]]:
    """The project, its pages checked in a thread while the block reads it (store.check_in_background,
    without the GIL), and `ready`, which awaits the verdict: call it before writing what cannot
    be taken back. The block's end, or an error in it, awaits it too: a damaged file stops the
    command in one line and is reported as such, not as whatever the damage broke in the reads."""
    from store import Project, check_in_background

    opened = Project.open(ctx.project_path, verify=False)  # missing or foreign files refused first
    verdict = check_in_background(ctx.project_path)
    try:
        with opened as project:
            yield project, verdict.result
    except Exception:
        verdict.result()
        raise
    verdict.result()


def project_option(command: Command) -> Command:
    """`--project PATH` after the command's name (`accord status --project X`), as before it."""

    def take(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.ensure_object(Context).choose_project(value)

    return click.option("--project", metavar="PATH", expose_value=False, callback=take,
                        help=f"{PROJECT_HELP} Also accepted before the command.")(command)


def open_project(ctx: Context) -> Project:
    """The project named by --project / $ACCORD_PROJECT / ./accord.db."""
    from store import Project

    return Project.open(ctx.project_path)


def output_format(output: Path | None, asked: str | None, extensions: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The format of `-o FILE`: `--format` if given, else the one its extension names (a
    contradiction or an unknown extension is a usage error, exit 2); `default` without a file."""
    from exports.files import format_of
    from store import AccordError

    try:
        return format_of(output, asked, extensions, default)
    except AccordError as error:
        raise click.UsageError(str(error)) from None


def whose_chosen(coder: str | None, **chosen: bool) -> str | None:
    """The one whose-codings option given (None for none or --coder); two of them are a usage
    error. `accord export`'s --coder/--consensus/--majority/--all, and every command that takes them."""
    given = (["--coder"] if coder else []) + [f"--{name}" for name, on in chosen.items() if on]
    if len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)} exclude each other: choose one")
    return next((name for name, on in chosen.items() if on), None)


def emit_report(text: str, output: Path | None, force: bool, holds: str) -> None:
    """A rendered report to stdout, or written whole to OUTPUT with one line on what it holds."""
    if output is None:
        from tui.safe_text import for_stdout

        click.echo(for_stdout(text), nl=False)
        return
    from exports.files import write_atomically
    from tui.console import err

    write_atomically(output, text, force)
    err.print(f"Wrote {output} ({holds}).", markup=False)


def default_codebook_file() -> Path:
    """./codebook.yaml when the researcher keeps one beside the project, else the shipped one."""
    from store import default_codebook_path

    local = Path("codebook.yaml")
    return local if local.is_file() else default_codebook_path()


def on_a_terminal() -> bool:
    """Whether a person sits at this command: stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def require_terminal(command: str) -> None:
    """Refuse to start a full-screen view where nobody can see it (a pipe, a script, cron)."""
    from store import AccordError

    if not on_a_terminal():
        raise AccordError(f"`accord {command}` is a full-screen view and needs a terminal; "
                          "its input or output is redirected here")


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


def coder_for(project_path: Path, explicit: str | None) -> str:
    """Who codes: --coder, then $ACCORD_CODER, then the coder a handed-out file was written
    for (so that alice opening accord-alice.db codes as alice), then the login name."""
    from store import handout_coder

    if explicit or os.environ.get("ACCORD_CODER"):
        return coder_name(explicit)
    return handout_coder(project_path) or coder_name(None)
