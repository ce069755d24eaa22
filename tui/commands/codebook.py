"""`accord codebook check|show|update`: validate a codebook file, see the project's, apply a new one.

`accord codebook export` lives in tui/commands/codebook_export.py; the group loads it when asked.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

import click
from rich.text import Text
from rich.tree import Tree

from tui.commands.common import Context, default_codebook_file, open_project, project_option
from tui.commands.lazy import LazyGroup
from tui.console import out
from tui.safe_text import printable

if TYPE_CHECKING:
    from store import Code, Codebook

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(cls=LazyGroup, lazy_commands={"export": "tui.commands.codebook_export:codebook_export",
                                             "keys": "tui.commands.codebook_keys:codebook_keys"},
             short_help="Check, show and update the codebook.")
@project_option
def codebook() -> None:
    """Check a codebook file, show the project's codebook, apply a new version.

    \b
    The codebook is a YAML file (see the shipped codebook.yaml for every field), or the
    codebook of another program as a REFI-QDA .qdc or .qdpx (MAXQDA, ATLAS.ti, NVivo, QualCoder):
      accord codebook check codebook.yaml     every problem with file:line:column
      accord codebook show                    the project's codebook as a tree
      accord codebook update codebook.yaml    apply a new version to the project
      accord codebook update project.qdpx     take the codebook of another program's project
      accord codebook export --format yaml -o codebook.yaml   the project's codebook as YAML
      accord codebook keys [--write FILE]     keys for the most used codes that have none
    """


def load_or_report(path: Path, current: Codebook | None = None) -> Codebook:
    """The codebook at `path` (YAML, or the codes of a REFI-QDA .qdc or .qdpx, keeping the keys
    of `current`); on problems, print each as file:line:col: message and exit 1."""
    from store import CodebookError
    from store import read_codebook
    from store import plural
    from tui.keys import RESERVED_KEYS

    try:
        return read_codebook(path, current, reserved_keys=RESERVED_KEYS)
    except CodebookError as error:
        for problem in error.problems:
            click.echo(printable(str(problem)), err=True)
        count = len(error.problems)
        click.echo(f"{plural(count, 'problem')} in {path}", err=True)
        raise click.exceptions.Exit(1) from error


def summary(codebook: Codebook) -> str:
    """One line: how many codes, sub-codes and variables, and the version."""
    from store import plural

    codes = [code for code in codebook.walk() if code.kind == "code"]
    subcodes = sum(1 for code in codes if code.parent_id)
    version = f", version {codebook.version}" if codebook.version else ""
    return (f"{plural(len(codes), 'code')} ({subcodes} of them sub-codes), "
            f"{plural(len(codebook.variables), 'variable')}{version}")


@codebook.command(short_help="List every problem in a codebook file.")
@click.argument("file", required=False, type=FILE)
def check(file: Path | None) -> None:
    """Validate a codebook FILE and list every problem (exit code 1 when there are any).

    FILE is YAML, or a REFI-QDA .qdc or .qdpx (its codebook). FILE defaults to ./codebook.yaml,
    else the codebook shipped with Accord (as `accord init`).
    Problems go to stderr as FILE:LINE:COLUMN: MESSAGE, one per line, which editors can jump to.
    """
    path = file or default_codebook_file()
    loaded = load_or_report(path)
    click.echo(f"{path}: OK, {summary(loaded)}", err=True)


@codebook.command(short_help="The codebook as a tree.")
@click.argument("file", required=False, type=FILE)
@click.option("--brief", is_flag=True, help="Keys and labels only, without definitions.")
@project_option
@click.pass_obj
def show(ctx: Context, file: Path | None, brief: bool) -> None:
    """Show the project's codebook as a tree: keys, labels, ids, kinds, levels and definitions.

    With FILE, show that codebook file instead (no project needed). Retired codes (kept for their
    codings, hidden while coding) are marked.
    """
    if file is not None:
        shown = load_or_report(file)
    else:
        with open_project(ctx) as project:
            shown = project.codebook()
    out.print(codebook_tree(shown, brief), soft_wrap=False)


def codebook_tree(codebook: Codebook, brief: bool = False) -> Tree:
    """The codebook as a Rich tree; text is never read as markup (definitions hold brackets)."""
    title = Text(codebook.title, style="bold")
    if codebook.version:
        title.append(f"  version {codebook.version}", style="dim")
    tree = Tree(title)
    digits = {code.id: str(i) for i, code in enumerate((c for c in codebook.codes if not c.retired), start=1) if i <= 9}
    count = sum(1 for code in codebook.walk() if code.kind == "code")
    codes = tree.add(Text(f"Codes ({count})", style="bold"))
    for code in codebook.codes:
        _add_code(codes, code, digits, brief)
    if codebook.variables:
        variables = tree.add(Text(f"Variables ({len(codebook.variables)})", style="bold"))
        for variable in codebook.variables:
            _add_code(variables, variable, digits, brief)
    return tree


def _add_code(branch: Tree, code: Code, digits: dict[str, str], brief: bool) -> None:
    keys = " ".join(k for k in (digits.get(code.id), code.key) if k)
    line = Text()
    line.append(f"{keys:>3}  ", style="bold cyan")
    line.append(code.label, style="dim strike" if code.retired else "bold")
    line.append(f"  {code.id}", style="dim")
    if code.kind != "code":
        line.append(f"  ({code.kind})", style="magenta")
    if code.retired:
        line.append("  retired", style="red")
    node = branch.add(line)
    if code.definition and not brief:
        node.add(Text(code.definition, style="italic"))
    for i, level in enumerate(code.levels, start=1):
        node.add(Text.assemble((f"{i}  ", "bold cyan"), level.label, (f"  {level.value}", "dim")))
    for child in code.children:
        _add_code(node, child, digits, brief)


@codebook.command(short_help="Apply a new codebook version.")
@click.argument("file", type=FILE)
@click.option("--retire", is_flag=True,
              help="Retire codes that the new version drops but that have codings: they stay in the "
                   "project and its exports, hidden while coding. Without it such an update is refused.")
@project_option
@click.pass_obj
def update(ctx: Context, file: Path, retire: bool) -> None:
    """Apply a new version of the codebook FILE (YAML, or a REFI-QDA .qdc or .qdpx) to the project.

    A .qdc or .qdpx keeps the other program's hierarchy, descriptions (as definitions) and
    colours; ids are made from the code names (snake_case, unique, at most 32 characters, the
    same for the same file), and keys come from the project's current codebook.

    New codes appear, changed labels, keys and definitions update, dropped codes without codings
    are removed. Dropping a code that has codings is refused unless --retire. Every version
    applied is kept in the project's `codebooks` table.
    """
    with open_project(ctx) as project:
        new = load_or_report(file, project.codebook())
        before = project.codebook_sha256()
        change = project.apply_codebook(new, retire=retire)
        after = project.codebook_sha256()
    for verb, ids in (("Added", change.added), ("Updated", change.updated), ("Restored", change.restored),
                      ("Retired", change.retired), ("Removed", change.removed)):
        if ids:
            click.echo(printable(f"{verb} ({len(ids)}): {', '.join(ids)}"), err=True)
    if change.reordered:
        click.echo("Reordered: codes changed places; keys 1-9 follow the new order.", err=True)
    if change.changed:
        click.echo(f"{ctx.project_path} now uses {file}: {summary(new)}.", err=True)
    elif before != after:
        click.echo(f"Codebook text updated from {file} (instructions, rules, examples, keywords or required:); "
                   "no code changed.", err=True)
    else:
        click.echo(f"{file} is already the project's codebook; nothing changed.", err=True)
