"""The codebook as a methods appendix."""

from __future__ import annotations

import html.parser
from pathlib import Path

from click.testing import CliRunner

from exports.codebook_doc import Usage, codebook_html, codebook_markdown
from store import Code, Codebook, Level, Project, parse_codebook
from tests.helpers import code_two_coders
from tui.cli import main

RICH = Codebook(
    title="Appendix test",
    version="2.1",
    instructions="Read the whole statement first.\n\nThen code each paragraph.",
    codes=(
        Code("border_control", "Border control", key="b", definition="Measures at borders & <customs>.",
             include=("customs checks",), exclude=("internal policing: use `policing`",),
             examples=("We strengthened border controls.",), keywords=("border", "customs")),
        Code("wmd", "WMD", children=(Code("nuclear", "Nuclear", parent_id="wmd"),)),
    ),
    variables=(Code("stance", "Stance", kind="single", levels=(Level("support", "Supports"), Level("oppose", "Opposes"))),),
    source="x",
)


def test_markdown_lists_every_code_with_rules_and_usage(project: Project) -> None:
    usage = Usage.of(code_two_coders(project))
    text = codebook_markdown(RICH, usage, project_id="p-1", sha="abc")
    assert text.startswith("# Codebook: Appendix test\n")
    assert "- **Version:** 2.1" in text and "Codebook SHA-256:** abc" in text
    assert "### Border control (`border_control`)" in text
    assert "#### Nuclear (`nuclear`)" in text  # sub-code one level deeper
    assert "**Definition:** Measures at borders &amp; &lt;customs&gt;." in text  # HTML shows as text
    assert "- internal policing: use `policing`" in text
    # alice applied it on doc1:1 and doc1:2 (both done), bob on doc1:1; consensus did not.
    assert "**Applied:** 3 times by the coders: alice 2 of 3 done (67%), bob 1 of 2 done (50%)" in text
    assert "`support` Supports: 2 times by the coders: alice 1 of 3 done (33%), bob 1 of 2 done (50%)" in text
    assert "`oppose` Opposes: never applied" in text
    # wmd applied by alice on doc2:1 (done); her wmd on doc1:3 is not counted (not done)
    assert "### WMD (`wmd`)" in text and "alice 1 of 3 done" in text.split("### WMD")[1].split("####")[0]


def test_html_is_escaped_and_well_formed(project: Project) -> None:
    page = codebook_html(RICH, Usage.of(code_two_coders(project)))
    assert "Measures at borders &amp; &lt;customs&gt;." in page
    assert "<code>policing</code>" in page
    assert "<p>Then code each paragraph.</p>" in page

    class Checker(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in ("meta", "br", "!doctype"):
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack.pop() == tag

    checker = Checker()
    checker.feed(page)
    assert checker.stack == []


def test_markdown_escapes_html_from_the_codebook(tmp_path: Path) -> None:
    """A label, definition, example or level label carrying HTML reaches the appendix as text,
    never as markup a Markdown renderer would run."""
    script = "<script>alert(1)</script>"
    codebook = parse_codebook(f"""\
codebook: "T {script}"
instructions: "Read {script}"
codes:
  - id: wmd
    label: "WMD {script}"
    definition: "Def {script}"
    examples: ["Ex <img src=x onerror=alert(1)>"]
    keywords: ["{script}"]
variables:
  - id: stance
    label: Stance
    kind: single
    levels:
      - {{value: support, label: "Sup {script}"}}
""", "codebook.yaml")
    path = tmp_path / "p.db"
    Project.create(path, codebook).close()
    done = CliRunner().invoke(main, ["--project", str(path), "codebook", "export", "--format", "md"])
    assert done.exit_code == 0, done.output
    assert "<script" not in done.stdout and "<img" not in done.stdout
    assert "WMD &lt;script&gt;alert(1)&lt;/script&gt; (`wmd`)" in done.stdout
    assert "Ex &lt;img src=x onerror=alert(1)&gt;" in done.stdout
