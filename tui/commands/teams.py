"""`accord handout`, `accord merge` and `accord adjudicate`: the team workflow."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from store import CONSENSUS
from tui.commands.common import Context, open_project, project_option, require_terminal
from tui.console import advance, err, out, progress_bar


def _names(value: str | None) -> list[str] | None:
    """A comma-separated option as a list (None when not given)."""
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


@click.command()
@click.option("--coders", required=True, metavar="A,B,C", help="Coders' names, comma-separated.")
@click.option("--overlap", type=float, default=None,
              help="Share of paragraphs that every coder codes, for agreement (default 0.2).")
@click.option("--per-unit", type=int, default=None, metavar="N",
              help="Instead of --overlap: every paragraph is coded by N coders.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random draw: same seed, same handout.")
@click.option("--stratify", type=click.Choice(["document", "none"]), default="document", show_default=True,
              help="Draw the shared sample as the same share of every document, or of the whole corpus.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the coders' files (default: beside the project).")
@click.option("--no-suggestions", is_flag=True,
              help="Turn the coding screen's model suggestions (accord suggest) off in every coder's file.")
@project_option
@click.pass_obj
def handout(ctx: Context, coders: str, overlap: float | None, per_unit: int | None, seed: int,
            stratify: str, out_dir: Path | None, no_suggestions: bool) -> None:
    """Hand the project out: one project file per coder, for blind coding on their own machine.

    Every paragraph without a coder gets one; a reproducible sample of them (--overlap, drawn
    per document) gets every coder, so agreement can be measured. Each file has the whole corpus
    and codebook, only that coder's assignments and none of the other coders' codings. This
    project records who codes what; run it again after importing more documents to hand out
    the new paragraphs only.

    \b
    Example:
      accord handout --coders alice,bob,carol --overlap 0.2 --seed 1
      (each coder:) accord --project accord-alice.db code
      accord merge accord-alice.db accord-bob.db accord-carol.db
    """
    from store import hand_out
    from store import plural

    names = _names(coders) or []
    if per_unit is None and overlap is None:
        overlap = 0.2
    with open_project(ctx) as project:
        target = out_dir or project.path.parent
        with progress_bar("Writing coders' files", len(names)) as bar:
            report = hand_out(project, names, target, overlap=overlap, per_unit=per_unit, seed=seed,
                              stratify=stratify, on_file=lambda _: advance(bar), suggestions=not no_suggestions)
    table = Table(title="Handout", title_justify="left")
    table.add_column("Coder")
    table.add_column("File", overflow="fold")
    table.add_column("Paragraphs", justify="right")
    for coder, path in report.files.items():
        table.add_row(escape(coder), escape(str(path)), f"{report.assigned[coder]:,}")
    out.print(table)
    err.print(f"{plural(report.new_paragraphs, 'paragraph')} handed out, {report.sample:,} of them to more than one coder "
              f"(the reliability sample).")
    err.print("Next: each coder codes their file (accord --project FILE code: the file knows its coder); "
              "then: accord merge FILE...")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what the merge would do and change nothing.")
@click.option("--include-consensus", is_flag=True,
              help="The files are another lead's project, merged on purpose: their consensus values "
                   "and their coders' work come in. Without it a file carrying consensus values is refused.")
@project_option
@click.pass_obj
def merge(ctx: Context, files: tuple[Path, ...], dry_run: bool, include_consensus: bool) -> None:
    """Merge coders' project files into this project.

    Codings, statuses, flags, notes and the event log of every coder come in. A value keeps its
    most recent version; nothing is ever deleted; merging a file twice changes nothing, and the
    order of the files does not matter. A file of another project, one whose paragraph texts
    differ, or a damaged file is refused and nothing changes. So is a file that carries
    consensus values (only adjudication writes them; --include-consensus for another lead's
    project), a handed-out file with another coder's work, and work dated more than a day in
    the future or before the project was created.
    """
    from store import describe_gaps, merge_files
    from store import plural

    with open_project(ctx) as project, progress_bar("Merging", len(files)) as bar:
        report = merge_files(project, list(files), dry_run=dry_run, on_file=lambda _: advance(bar),
                             include_consensus=include_consensus)
    table = Table(title="Merge (dry run: nothing changed)" if dry_run else "Merge", title_justify="left")
    for column in ("File", "Coders", "Codings added", "Statuses added", "Events added", "Values changed", "Conflicts"):
        table.add_column(column, justify="left" if column in ("File", "Coders") else "right")
    for item in report.files:
        table.add_row(escape(item.path.name), escape(", ".join(item.coders)) or "—", f"{item.added.get('codings', 0):,}",
                      f"{item.added.get('paragraph_status', 0):,}", f"{item.added.get('events', 0):,}",
                      f"{item.changed:,}", f"{len(item.conflicts):,}")
    out.print(table)
    conflicts = report.conflicts
    if conflicts:
        listing = Table(title="Conflicts: one coder's value differed on two machines (the most recent was kept)",
                        title_justify="left")
        for column in ("Paragraph", "Coder", "Code", "Kept", "Lost"):
            listing.add_column(column)
        for conflict in conflicts[:20]:
            listing.add_row(*(escape(str(cell)) for cell in (conflict.paragraph_id, conflict.coder_id, conflict.field,
                                                            repr(conflict.kept), repr(conflict.lost))))
        out.print(listing)
        if len(conflicts) > 20:
            err.print(f"… and {plural(len(conflicts) - 20, 'more conflict')}.")
    for item in report.files:
        if item.gaps:
            err.print(f"Note: {item.path.name}: {describe_gaps(item.gaps)}; merged all the same "
                      "(the coder can set them in accord code and hand the file in again).", markup=False)
    verb = "would add" if dry_run else "added"
    err.print(f"Coders seen: {', '.join(report.coders) or 'none'}; {verb} {plural(report.rows_added, 'row')}, "
              f"{plural(report.changed, 'value')} changed, {plural(len(conflicts), 'conflict')}.", markup=False)


@click.command()
@click.option("--codes", metavar="A,B", default=None, help="Only these codes (ids, comma-separated).")
@click.option("--blind", is_flag=True, help="Show coders as Coder 1, Coder 2… instead of their names.")
@click.option("--accept-unanimous", is_flag=True,
              help="Store every value all done coders agree on (a paragraph coded by one coder counts) "
                   "as the consensus, print how many, and exit.")
@click.option("--coder", default=CONSENSUS, show_default=True, help="Whose decisions these are.")
@project_option
@click.pass_obj
def adjudicate(ctx: Context, codes: str | None, blind: bool, accept_unanimous: bool, coder: str) -> None:
    """Settle disagreements: walk the paragraphs and codes on which done coders differ, see each
    coder's value and note, and pick the consensus value with a key.

    \b
    Keys: 1-9 pick a value · r give a reason first · left/right move · n next undecided
          u or ctrl+z undo · q quit
    """
    from store import accept_unanimous as accept, disagreements
    from store import plural

    code_list = _names(codes)
    with open_project(ctx) as project:
        if accept_unanimous:
            accepted = accept(project, coder, code_list)
            out.print(f"Accepted {plural(accepted.values, 'unanimous value')}; "
                      f"{plural(accepted.paragraphs, 'paragraph')} complete for {coder}.", markup=False)
            return
        items = disagreements(project, coder, code_list)
        path = project.path
    if not items:
        err.print("No disagreements among done coders: nothing to adjudicate.")
        return
    from tui.adjudicate_app import AdjudicateApp

    app = AdjudicateApp(path, coder=coder, codes=code_list, blind=blind)
    require_terminal("adjudicate")
    app.run()
    with open_project(ctx) as project:
        left = sum(not item.decided for item in disagreements(project, coder, code_list))
    decided = max(0, sum(not item.decided for item in items) - left)
    err.print(f"{coder}: {plural(decided, 'disagreement')} decided this session, {f'{left:,}' if left else 'none'} left",
              markup=False)
