"""`accord import-codings`: codings made elsewhere (a CSV or TSV file) come into the project."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands.common import Context, open_project, project_option
from tui.console import err


@click.command("import-codings")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--include-consensus", is_flag=True,
              help="Take rows of the coder 'consensus' too (another lead's decisions, imported on "
                   "purpose); without it such a file is refused.")
@project_option
@click.pass_obj
def import_codings(ctx: Context, file: Path, include_consensus: bool) -> None:
    """Import codings made elsewhere from a CSV FILE (or .tsv), so that they can be measured.

    \b
    Long layout, one row per applied code or set variable:
      paragraph_id,coder,code,value
      doc1:1,ann,border_control,1
      doc1:1,ann,stance,supports
      doc1:2,ann,,              (done, nothing applied)
    Wide layout, one row per paragraph and coder, one column per code or variable:
      paragraph_id,coder,border_control,wmd,stance
      doc1:1,ann,1,0,supports

    Every paragraph in the file becomes done by its coder, and the file is the whole truth for
    it: codes not applied there are absent. Unknown paragraphs, codes or levels are listed with
    their lines and nothing is imported, with the nearest code or level when one is close.
    The coder consensus is reserved for adjudication: its rows are refused unless
    --include-consensus.
    """
    from store import describe_gaps, handout_coder, plural

    with open_project(ctx) as project:
        result = project.import_codings(file, include_consensus=include_consensus)
    err.print(
        f"Imported {file} ({result.layout} layout): {plural(result.paragraphs, 'paragraph')} done by "
        f"{', '.join(result.coders) or 'nobody'}; {plural(result.changes, 'coding')} written.",
        markup=False,  # coder names are data: "[red]" is part of a name
    )
    if result.replaced:  # the file is the whole truth for its paragraphs: say what it overwrote
        err.print("Replaced codings " + ", ".join(f"{coder} already had on {plural(count, 'paragraph')}"
                                                   for coder, count in sorted(result.replaced.items()))
                  + " (the file's are kept).",
                  markup=False)
    if result.gaps:  # imported all the same: the coder's work is not lost
        err.print(f"Note: {describe_gaps(result.gaps)}; imported as done all the same: "
                  "set them with accord code, or in the file and import it again.", markup=False)
    coder = handout_coder(ctx.project_path)
    if coder:
        # A coder's handed-out file: agreement is measured on the lead's project, after merging.
        err.print(f"Next: hand {ctx.project_path} back to your lead, who merges it "
                  f"(accord merge {ctx.project_path}).", markup=False, highlight=False)
    else:
        err.print("Next: accord agree")
