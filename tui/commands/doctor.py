"""`accord doctor`: check the project file and say how to repair what is wrong."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
from rich.text import Text

from tui.commands.common import Context, project_option
from tui.console import err, out


@click.command()
@click.option("--repair", is_flag=True,
              help="Apply the safe repairs (rebuild the search index, re-create missing coders, "
                   "drop rows that point at nothing, renumber paragraphs) in one transaction, "
                   "then check again.")
@click.option("--salvage", "salvage_into", metavar="NEW", type=click.Path(path_type=Path),
              help="Copy every row still readable of a damaged project into the new file NEW "
                   "(the damaged file is only read), then check NEW with `accord doctor --project NEW`.")
@project_option
@click.pass_obj
def doctor(ctx: Context, repair: bool, salvage_into: Path | None) -> None:
    """Check the project file: integrity, schema version, orphan rows, codings for unknown
    codes, paragraphs edited outside Accord, the search index.

    Prints each check (ok, problem, or not run and why) and each problem with how to repair
    it; exits with 1 while problems remain. Back the file up before --repair.
    """
    from store import CHECKS, examine
    from store import repair as apply_repairs

    path = ctx.project_path
    if salvage_into is not None:
        _salvage(path, salvage_into)
        return
    diagnosis = examine(path)
    if repair and any(f.repair for f in diagnosis.findings):
        for line in apply_repairs(path, diagnosis.findings):
            err.print(f"Repaired: {line}", markup=False)
        diagnosis = examine(path)
    findings, not_run = diagnosis.findings, diagnosis.not_run
    failed = {f.check for f in findings}
    for name, what in CHECKS:
        mark = ("problem", "red") if name in failed else ("not run", "yellow") if name in not_run else ("ok", "green")
        out.print(Text.assemble((f"{mark[0]:>7}", mark[1]), f"  {name:<14} {what}"))
    for reason in dict.fromkeys(not_run[name] for name, _ in CHECKS if name in not_run and name not in failed):
        names = [name for name, _ in CHECKS if not_run.get(name) == reason and name not in failed]
        out.print(Text(f"\nnot run: {', '.join(names)}: {reason}"))
    for finding in findings:
        hint = f" (`accord doctor --repair --project {shlex.quote(str(path))}`)" if finding.repair else ""
        out.print(Text.assemble("\n", (finding.check, "bold"), f": {finding.problem}"))
        out.print(Text(f"  repair: {finding.advice}{hint}"))
    if findings or not_run:
        raise SystemExit(1)
    err.print(f"{path}: no problems found.", markup=False)


def _salvage(path: Path, target: Path) -> None:
    """`--salvage NEW`: the readable rows of `path` into the new file `target`."""
    from store import plural, reimport_commands, salvage_project

    report = salvage_project(path, target)
    say(f"Copied {plural(sum(report.rows.values()), 'readable row')} of {path} into {target} "
        f"({plural(report.rows.get('paragraphs', 0), 'paragraph')}, {plural(report.rows.get('codings', 0), 'coding')}).")
    if report.damaged:
        say(f"Rows were lost in: {', '.join(report.damaged)}.")
    if report.incomplete:
        commands, missing = reimport_commands(report.incomplete, target)
        say(f"{plural(len(report.incomplete), 'document')} lost paragraphs and were left out: import their "
            f"files again (same ids: their codings find them again) before any --repair:")
        for command in commands:
            say(f"  `{command}`")
        if missing:
            say(f"  not found where they were imported from: {', '.join(missing)}")
    say(f"Next: `accord doctor --project {shlex.quote(str(target))}`")


def say(message: str) -> None:
    """One line to stderr as written: paths and commands are not styled or wrapped."""
    err.print(message, markup=False, highlight=False, soft_wrap=True)
