"""`accord doctor`: check the project file and say how to repair what is wrong."""

from __future__ import annotations

import click
from rich.text import Text

from tui.commands.common import Context, project_option
from tui.console import err, out


@click.command()
@click.option("--repair", is_flag=True,
              help="Apply the safe repairs (rebuild the search index, re-create missing coders, "
                   "drop rows that point at nothing, renumber paragraphs) in one transaction, "
                   "then check again.")
@project_option
@click.pass_obj
def doctor(ctx: Context, repair: bool) -> None:
    """Check the project file: integrity, schema version, orphan rows, codings for unknown
    codes, paragraphs edited outside Accord, the search index.

    Prints each problem with how to repair it; exits with 1 while problems remain.
    Back the file up before --repair.
    """
    from store import CHECKS, diagnose
    from store import repair as apply_repairs

    path = ctx.project_path
    findings = diagnose(path)
    if repair and any(f.repair for f in findings):
        for line in apply_repairs(path, findings):
            err.print(f"Repaired: {line}")
        findings = diagnose(path)
    failed = {f.check for f in findings}
    for name, what in CHECKS:
        mark = ("problem", "red") if name in failed else ("ok", "green")
        out.print(Text.assemble((f"{mark[0]:>7}", mark[1]), f"  {name:<14} {what}"))
    for finding in findings:
        hint = " (accord doctor --repair)" if finding.repair else ""
        out.print(Text.assemble("\n", (finding.check, "bold"), f": {finding.problem}"))
        out.print(Text(f"  repair: {finding.advice}{hint}"))
    if findings:
        raise SystemExit(1)
    err.print(f"{path}: no problems found.")
