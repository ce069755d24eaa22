"""`accord codebook export`: the codebook as a methods appendix (md, html), a REFI-QDA .qdc, or
the YAML the project keeps (a codebook.yaml for version control)."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands.common import Context, WritesAFile, open_project, project_option
from tui.console import err


@click.command(name="export", cls=WritesAFile, short_help="The codebook as a methods appendix, a .qdc or YAML.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "qdc", "yaml"]), default="md", show_default=True,
              help="md or html: every code with definition, rules, examples and how often each coder "
                   "applied it; qdc: REFI-QDA codebook for NVivo, ATLAS.ti, MAXQDA, QualCoder; yaml: the "
                   "project's codebook as a codebook.yaml (ids, keys, colours), which `accord codebook "
                   "update` takes back without a change.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (written whole or not at all); md and html go to stdout without it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@project_option
@click.pass_obj
def codebook_export(ctx: Context, fmt: str, output: Path | None, force: bool) -> None:
    """Export the project's codebook.

    \b
    Examples:
      accord codebook export > appendix.md
      accord codebook export --format html -o appendix.html
      accord codebook export --format qdc -o codebook.qdc
      accord codebook export --format yaml -o codebook.yaml
    """
    from exports.codebook_doc import Usage, codebook_html, codebook_markdown
    from exports.refi import qdc_bytes
    from exports.files import check_target, write_atomically
    from store import AccordError

    if output is not None:
        check_target(output, force)
    elif fmt == "qdc":
        raise AccordError("qdc is a file for other programs: give one with -o FILE")
    with open_project(ctx) as project:
        if fmt == "qdc":
            data = qdc_bytes(project)
        elif fmt == "yaml":
            # The text of the version applied last, byte for byte: applying it again changes nothing.
            data = project.codebook_yaml().encode("utf-8")
        else:
            render = codebook_markdown if fmt == "md" else codebook_html
            data = render(project.codebook(), Usage.of(project), project.project_id,
                          project.codebook_sha256()).encode("utf-8")
    if output is None:
        from tui.safe_text import for_stdout

        click.echo(for_stdout(data.decode("utf-8")), nl=False)
        return
    write_atomically(output, data, force=force)
    err.print(f"Wrote {output}.", markup=False)
