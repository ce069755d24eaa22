"""`accord export`: the coded dataset for R, Stata, SPSS or pandas, or a REFI-QDA project."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from exports.writers import EXTENSIONS
from tui.commands.common import Context, WritesAFile, checked_meanwhile, open_project, output_format, project_option
from tui.commands.common import whose_chosen
from tui.console import advance, err, progress_bar
from tui.safe_text import stdout_for_data

if TYPE_CHECKING:
    from store import Project


@click.command(name="export", cls=WritesAFile)
@click.option("--format", "fmt", type=click.Choice(list(EXTENSIONS)),
              help="csv/tsv/jsonl (text), parquet (typed, codebook in the metadata), dta (Stata) and "
                   "sav (SPSS) with variable and value labels, qdpx (REFI-QDA project for NVivo, "
                   "ATLAS.ti, MAXQDA, QualCoder). Default: the extension of -o FILE; csv on stdout.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (written whole or not at all), in the format its extension names "
                   "(.csv .tsv .jsonl .parquet .dta .sav .qdpx). Text formats go to stdout without it.")
@click.option("--coder", metavar="NAME", help="Export this coder's codings.")
@click.option("--consensus", is_flag=True,
              help="Adjudicated values, falling back to values all coders agree on (two or more).")
@click.option("--majority", is_flag=True,
              help="For each code, the value more than half of the coders gave (two or more).")
@click.option("--all", "all_coders", is_flag=True, help="One row per paragraph and coder (for reliability work).")
@click.option("--long", "long_layout", is_flag=True, help="One row per paragraph and code instead of one per paragraph.")
@click.option("--unit", type=click.Choice(["paragraph", "document"]), default="paragraph", show_default=True,
              help="document: one row per document with paragraph counts, coded counts and shares per code.")
@click.option("--no-text", is_flag=True, help="Leave out the paragraph text.")
@click.option("--predicted", is_flag=True,
              help="Every paragraph: the chosen codings where they exist, else the model's (accord suggest "
                   "train), with each code's probability in CODE_p and a source column (human/machine).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--raw", is_flag=True, help="CSV/TSV: keep cells starting with = + - @ as they are "
                                          "(by default they get a leading ' so spreadsheets do not run them).")
@project_option
@click.pass_obj
def export(ctx: Context, fmt: str | None, output: Path | None, coder: str | None, consensus: bool, majority: bool,
           all_coders: bool, long_layout: bool, unit: str, no_text: bool, predicted: bool, force: bool,
           raw: bool) -> None:
    """Export the coded dataset.

    \b
    One row per paragraph of the corpus by default, with document metadata, one 0/1 column per
    code (retired codes too), one column per variable, the note and the flag. A paragraph the
    chosen coder has not marked done is missing (empty, NA, .), never 0. Without a choice of
    whose codings: the only coder's, or with several coders the consensus.

    \b
    Examples:
      accord export --coder alice -o alice.csv
      accord export --consensus -o consensus.dta
      accord export --all --no-text -o reliability.parquet
      accord export --consensus --unit document > documents.csv
      accord export -o project.qdpx
    """
    from exports.files import check_target
    from store import AccordError

    whose = whose_chosen(coder, consensus=consensus, majority=majority, all=all_coders)
    fmt = output_format(output, fmt, EXTENSIONS, "csv")
    if output is not None:
        check_target(output, force)
    if fmt == "qdpx":
        if coder or whose or long_layout or unit != "paragraph" or predicted:
            raise click.UsageError("a qdpx project carries every coder's work paragraph by paragraph: "
                                   "--coder, --consensus, --majority, --all, --long, --unit and --predicted do not apply")
        if output is None:
            raise AccordError("qdpx is a binary format: give a file with -o FILE")
        _export_qdpx(ctx, output, force)
        return
    with _opened(ctx, output is not None) as (project, ready), \
            progress_bar("Exporting", project.paragraph_count()) as bar:
        # Loaded once the check runs (about a second of imports at every export).
        from exports.datasets import DatasetSpec, build_dataset, resolve_whose
        from exports.writers import write_dataset
        from store import plural

        spec = DatasetSpec(whose=whose or "coder", coder=coder, long=long_layout, unit=unit, text=not no_text)
        chosen = resolve_whose(project, spec)
        if chosen != spec:
            err.print("Exporting " + (f"the codings of {chosen.coder}, the only coder" if chosen.whose == "coder" else
                      "the consensus (adjudicated values, else values all coders agree on); "
                      "--coder NAME, --majority or --all choose otherwise") + ".", markup=False)
        if predicted:
            from exports.suggest.predicted import predicted_dataset

            dataset, predictor = predicted_dataset(project, chosen, on_progress=lambda n: advance(bar, n))
            err.print("Machine rows: each code 1 at the probability threshold chosen on the cross-validation ("
                      + ", ".join(f"{c} {m.threshold:.2f}" for c, m in predictor.models.items() if not m.levels)
                      + "); a variable's most probable level.", markup=False)
            # A published dataset must not carry a weak model's guesses, or another basis's, unremarked.
            untrusted = sorted(code for code, model in predictor.models.items() if not model.trusted)
            if untrusted:
                err.print(f"Warning: the machine values of {plural(len(untrusted), 'code')} ({', '.join(untrusted)}) "
                          "come from models not trusted by the agreement report's verdict rule "
                          "(accord suggest report): say so where you publish them.", markup=False, style="bold red")
            basis = chosen.coder if chosen.whose == "coder" else chosen.whose
            if predictor.basis != basis:
                human = f"{basis}'s" if chosen.whose == "coder" else f"the {basis}"
                err.print(f"Warning: the models were trained on {predictor.basis}'s codings, the human rows are "
                          f"{human}: accord suggest train --basis {basis} to match.", markup=False, style="bold red")
        else:
            dataset = build_dataset(project, chosen, on_progress=lambda n: advance(bar, n))
        # On a terminal the text is shown printable (tui/safe_text.py); into a pipe, as it is.
        with stdout_for_data() as stdout:
            report = write_dataset(dataset, fmt, output, force=force, raw=raw, stream=None if output else stdout,
                                   ready=ready)
    for old, new in report.renames.items():
        err.print(f"Column {old!r} is named {new!r} in the {fmt} file (Stata/SPSS name rules).",
                  markup=False)
    for name, label in report.shortened_labels.items():
        err.print(f"Column {name!r} has the shorter label {label!r} in the {fmt} file (Stata allows 80 characters).",
                  markup=False)
    if output is not None:
        err.print(f"Wrote {plural(report.rows, 'row')} to {output}.", markup=False)
    else:
        sys.stdout.flush()
    if dataset.gaps.rows:
        verb = "misses" if dataset.gaps.rows == 1 else "miss"
        why = ("accord status lists them" if chosen.whose in ("coder", "all") else
               "their coders disagree on it or left it unset: accord status, accord adjudicate")
        first = ", ".join(dataset.gaps.first) + (" ..." if dataset.gaps.rows > len(dataset.gaps.first) else "")
        err.print(f"Note: {plural(dataset.gaps.rows, 'exported done paragraph')} {verb} a variable the codebook "
                  f"requires (required: in the codebook), first {first}; {why}.", markup=False)


@contextmanager
def _opened(ctx: Context, to_file: bool) -> Iterator[tuple[Project, Callable[[], None] | None]]:
    """For a file, the project with its pages checked while the export reads and writes (0.7-0.9 s
    of CPU at 1,000,000 paragraphs), the verdict awaited before the file is put in place, so a
    damaged project leaves no file. Rows for stdout go out as they are made and cannot be taken
    back: checked first, at open."""
    if to_file:
        with checked_meanwhile(ctx) as (project, ready):
            yield project, ready
        return
    with open_project(ctx) as project:
        yield project, None


def _export_qdpx(ctx: Context, output: Path, force: bool) -> None:
    from exports.refi import write_qdpx

    with open_project(ctx) as project, progress_bar("Exporting", project.paragraph_count()) as bar:
        summary = write_qdpx(project, output, force=force, on_progress=lambda n: advance(bar, n))
    err.print(f"Wrote {output}: {summary}.", markup=False)
