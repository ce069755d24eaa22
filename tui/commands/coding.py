"""`accord code`: open the coding screen on the project."""

from __future__ import annotations

import click

from tui.commands.common import Context, coder_for, project_option, require_terminal


@click.command()
@click.option("--coder", metavar="NAME",
              help="Who is coding (default: $ACCORD_CODER, then the coder a handed-out file was "
                   "written for, then the login name). Each coder sees only their own codings.")
@project_option
@click.pass_obj
def code(ctx: Context, coder: str | None) -> None:
    """Code the paragraphs of the project from the keyboard.

    \b
    1-9 or a code's key  toggle a code      enter    done, next not done
    left / right         move               u        undo
    f flag   e note   / search   g documents   ? help   q quit
    Every change is saved to the project file at once; reopening resumes where you left.
    """
    from tui.app import AccordApp  # Textual loads only for the screens, never for data commands

    app = AccordApp(ctx.project_path, coder_for(ctx.project_path, coder))
    require_terminal("code")
    app.run()
    if app.return_code:  # the file was found damaged after opening: the app said why
        raise SystemExit(app.return_code)
