"""`accord suggest`: learn from the team's codings (train) and say how good that is (report)."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands.common import Context, WritesAFile, open_project, output_format, project_option
from tui.console import advance, err, out, progress_bar

FORMATS = ("table", "md", "html", "json")
EXTENSIONS = {"md": (".md",), "html": (".html",), "json": (".json",)}


def _names(values: tuple[str, ...]) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


@click.group()
def suggest() -> None:
    """Assisted coding: classifiers learnt from the team's own codings.

    \b
      accord suggest train --basis consensus   learn one model per code and variable
      accord suggest report                    how good each model is, by cross-validation
    """


@suggest.command()
@click.option("--basis", default="consensus", show_default=True, metavar="consensus|majority|CODER",
              help="Whose codings to learn from, by the rule of `accord export`: the consensus, the majority, "
                   "or one coder's done paragraphs.")
@click.option("--codes", multiple=True, metavar="IDS", help="Only these codes or variables (comma-separated).")
@click.option("--bootstrap", "replicates", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap samples for the 95 % intervals of alpha and F1 (0: none).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (folds of the curve, bootstrap).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes fitting the folds at once [default: the cores, up to 4, from 5,000 paragraphs]. "
                   "The models and the report are the same with any number.")
@project_option
@click.pass_obj
def train(ctx: Context, basis: str, codes: tuple[str, ...], replicates: int, seed: int, workers: int | None) -> None:
    """Train a classifier per code and variable and store it in the project file.

    Word and word-pair TF-IDF with a logistic regression, from the paragraphs the basis
    coded; judged by 5-fold cross-validation with folds grouped by document (from 25,000
    paragraphs only the first folds that hold 20,000 test paragraphs are scored). Codes with fewer
    than 10 paragraphs with them (or without them) are skipped and listed. Replaces the models
    trained before. Nothing is downloaded; no GPU.
    """
    from exports.suggest.training import train as run
    from store import plural

    with open_project(ctx) as project:
        chosen = _names(codes)
        total = len(chosen) if chosen else len([c for c in project.codes() if not c.retired])
        with progress_bar("Training", total) as bar:
            result = run(project, basis, chosen, replicates, seed, on_progress=lambda step: advance(bar, step),
                         workers=workers,
                         on_stage=lambda name: bar.update(bar.task_ids[0], description=f"Training: {name}"))
    err.print(f"Trained {plural(len(result.trained), 'model')} on {plural(result.paragraphs, 'paragraph')} "
              f"of the basis {basis}: {', '.join(result.trained) or 'none'}.", markup=False)
    for code, reason in result.skipped.items():
        err.print(f"Skipped {code}: {reason}.", markup=False)
    err.print("See how good they are: accord suggest report", markup=False)


@suggest.command(cls=WritesAFile)
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="table in the terminal (default without -o); md, html, json a report file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (.md .html .json; refuses to overwrite without --force).")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
@click.option("--bootstrap", "replicates", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap samples for the human coders' alpha interval (0: none).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the bootstrap.")
@project_option
@click.pass_obj
def report(ctx: Context, fmt: str | None, output: Path | None, force: bool, replicates: int, seed: int) -> None:
    """How good each model is: precision, recall, F1 and Krippendorff's alpha between the model's
    held-out predictions and the basis, beside the human coders' alpha on the same code, with
    95 % intervals, the positives, a learning curve, and the codes the machine may be trusted
    on (the verdict rule of `accord agree`)."""
    from exports.files import check_target
    from exports.suggest import report as text

    fmt = output_format(output, fmt, EXTENSIONS, "table")
    if output is not None:
        check_target(output, force)
    with open_project(ctx) as project:
        data = text.suggest_report(project, replicates, seed)
    if fmt == "table":
        from rich.table import Table

        table = Table(*text.COLUMNS, title="Assisted coding: how good the models are")
        for row in text.rows(data):
            table.add_row(*row)
        out.print(table)
        for line in text.summary(data):
            out.print(line, markup=False)
        return
    body = {"md": text.markdown, "html": text.html_page, "json": text.as_json}[fmt](data)
    if output is None:
        click.echo(body, nl=False)
    else:
        output.write_text(body, encoding="utf-8")
        err.print(f"Wrote {output}.", markup=False)
