"""`accord code`: open the coding screen on the project."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tui.commands.common import Context, coder_for, project_option, require_terminal

if TYPE_CHECKING:
    from store import Progress, Project


@click.command()
@click.option("--coder", metavar="NAME",
              help="Who is coding (default: $ACCORD_CODER, then the coder a handed-out file was "
                   "written for, then the login name). Each coder sees only their own codings.")
@click.option("--order", type=click.Choice(["corpus", "uncertain"]), default="corpus", show_default=True,
              help="uncertain: your paragraphs not done that the models (accord suggest train) are least sure "
                   "about first; the reliability sample comes after them, in corpus order.")
@project_option
@click.pass_obj
def code(ctx: Context, coder: str | None, order: str) -> None:
    """Code the paragraphs of the project from the keyboard.

    \b
    1-9 or a code's key  toggle a code      enter    done, next not done
    left / right         move               u        undo
    f flag   e note   / search   g documents   ? help   q quit
    Every change is saved to the project file at once; reopening resumes where you left.
    """
    from tui.app import AccordApp  # Textual loads only for the screens, never for data commands

    from store import Project
    from tui.console import err

    app = AccordApp(ctx.project_path, coder_for(ctx.project_path, coder), order)
    require_terminal("code")
    before = app.session.progress()  # counted once: the screen's header starts from it
    app.run()
    if app.return_code:  # the file was found damaged after opening: the app said why
        raise SystemExit(app.return_code)
    with Project.open(ctx.project_path, verify=False) as project:
        err.print(summary(before, progress(project, app.session.coder)), markup=False)


def progress(project: Project, coder: str) -> Progress:
    """How far the coder is: out of their assignment in a handed-out file, else out of the corpus."""
    return project.progress(coder, assigned=project.assigned(coder) > 0)


def summary(before: Progress, after: Progress) -> str:
    """The line left on the terminal after the screen closes: this session's work, what is left."""
    from store import plural

    done = max(0, after.done - before.done)  # undoing an earlier session's `done` is not negative work
    return (f"{after.coder}: {plural(done, 'paragraph')} done this session, "
            f"{after.total - after.done:,} of {after.total:,} left")
