"""`accord demo`: build (or reopen) the demo project and open the coding screen on it."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from tui.commands.common import Context, coder_name, on_a_terminal
from tui.console import err


def user_data_dir(
    platform: str = sys.platform, env: Mapping[str, str] = os.environ, home: Path | None = None
) -> Path:
    """Accord's folder for per-user data, where each system expects it (no extra dependency).

    Linux and others: $XDG_DATA_HOME/accord, else ~/.local/share/accord; macOS:
    ~/Library/Application Support/accord; Windows: %APPDATA%\\accord.
    """
    home = home or Path.home()
    if platform.startswith("win"):
        base = env.get("APPDATA")
        return Path(base) / "accord" if base else home / "AppData" / "Roaming" / "accord"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "accord"
    xdg = env.get("XDG_DATA_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    return Path(xdg) / "accord" if xdg and Path(xdg).is_absolute() else home / ".local" / "share" / "accord"


def coding_app_available() -> bool:
    """Whether this Accord has the coding screen (tui.app) to open."""
    return importlib.util.find_spec("tui.app") is not None


@click.command(short_help="Open the demo project: ten statements, two demo coders.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo project (default: your data folder, e.g. ~/.local/share/accord).")
@click.option("--fresh", is_flag=True, help="Throw away the demo project there and build it anew.")
@click.option("--coder", help="Who codes (default: $ACCORD_CODER, then your login name).")
@click.option("--no-open", is_flag=True, help="Build the demo and print its status; do not open the coding screen.")
@click.pass_obj
def demo(ctx: Context, directory: Path | None, fresh: bool, coder: str | None, no_open: bool) -> None:
    """Open the demo project: ten Security Council statements written for Accord, coded by the
    demo coders "amina" and "ben" (all but a few paragraphs, and about 70 %).

    The first run builds it; later runs reopen it with everything you coded in it, until
    --fresh. Without a terminal, or with --no-open, it prints the project's status instead.
    """
    from store import DEMO_FILE, build_demo

    directory = directory or user_data_dir()
    existed = (directory / DEMO_FILE).exists()
    path = build_demo(directory, fresh=fresh)
    verb = "Rebuilt" if existed and fresh else "Reopened" if existed else "Built"
    # Paths stay on one line and free of markup: users copy them into their shell.
    err.print(f"{verb} the demo project: {path}", markup=False)
    if not no_open and on_a_terminal() and coding_app_available():
        from tui.app import AccordApp

        AccordApp(path, coder_name(coder)).run()
        err.print(f"Your work is saved in {path}; reopen it with: accord --project {_shell_quote(path)} code",
                  markup=False)
        return
    from store import Project, project_status
    from tui.commands.project import print_status

    with Project.open(path) as project:
        print_status(project, project_status(project))
    err.print(f"Open it with: accord --project {_shell_quote(path)} code", markup=False)


def _shell_quote(path: Path) -> str:
    """The path as a user can paste it into their shell (macOS's data folder has a space)."""
    import shlex

    text = str(path)
    if sys.platform.startswith("win"):
        return f'"{text}"' if " " in text else text
    return shlex.quote(text)
