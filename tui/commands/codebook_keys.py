"""`accord codebook keys`: propose keys for the most used codes, and write them into the YAML."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from tui.commands.common import Context, open_project, project_option
from tui.console import err, out
from tui.safe_text import printable


@click.command(name="keys", short_help="Propose keys for the most used codes; --write adds them.")
@click.option("--count", default=20, show_default=True, type=click.IntRange(1, 52),
              help="How many codes to give keys, the most used first.")
@click.option("--write", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Add the proposed keys to this codebook YAML file (a `key:` line after each code's "
                   "`id:`; comments and layout stay). It must be the project's current codebook.")
@click.option("--force", is_flag=True, help="With --write: write even if FILE is not the project's current codebook.")
@project_option
@click.pass_obj
def codebook_keys(ctx: Context, count: int, file: Path | None, force: bool) -> None:
    """Propose keys for the codes that have none, the most used first.

    Keys 1-9 toggle the first nine top-level codes; beyond them a code needs a `key:` in the
    codebook (or the picker, `:` on the coding screen). This ranks the other codes and variables
    by how many paragraphs the project's coders gave them (ties in codebook order) and proposes
    a letter for each: one of its label when free, never a key the coding screen uses or the
    codebook already gives. Printed as a table; nothing changes without --write.

    \b
    Examples:
      accord codebook keys
      accord codebook keys --count 30 --write codebook.yaml
      accord codebook update codebook.yaml      then apply the file with its keys
    """
    from exports.files import write_atomically
    from store import AccordError, plural, sha256_text
    from store.codebook.keys import keyed_text, propose_keys
    from tui.keys import RESERVED_KEYS

    with open_project(ctx) as project:
        codebook = project.codebook()
        proposals = propose_keys(codebook, project.coding_counts(), RESERVED_KEYS, count)
        current = project.codebook_sha256()
    if not proposals:
        err.print("Every code has a key already (or every letter is taken): nothing to propose.", markup=False)
        return
    table = Table("key", "code", "label", "codings", box=None, header_style="bold")
    for proposal in proposals:
        table.add_row(proposal.key, printable(proposal.code.id), printable(proposal.code.label), f"{proposal.codings:,}")
    out.print(table)
    if file is None:
        err.print("Add them with --write FILE (the codebook YAML), then `accord codebook update FILE`.", markup=False)
        return
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AccordError(f"{file} is not UTF-8 text; nothing written") from error
    if sha256_text(text) != current and not force:
        raise AccordError(f"{file} is not the project's current codebook (apply it first with `accord codebook "
                          "update`, or pass --force); nothing written")
    written = keyed_text(text, str(file), {p.code.id: p.key for p in proposals}, RESERVED_KEYS)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    write_atomically(file, (bom + written).encode("utf-8"), force=True)
    err.print(f"Added {plural(len(proposals), 'key')} to {file}; apply it with `accord codebook update {file}`.",
              markup=False)
