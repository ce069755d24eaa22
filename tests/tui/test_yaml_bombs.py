"""YAML that a few hundred bytes make huge or endless (alias bombs, cycles, deep nesting), in
codebooks and in Markdown front matter: refused quickly with the file and line, through the CLI,
and one bad file never stops the other files of an import."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from store import Project
from tests.helpers import small_codebook
from tui.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def doubling_codebook(levels: int) -> str:
    """Each code's children are two aliases of the code before: 2**levels codes from a few
    hundred bytes."""
    lines = ["codebook: T", "codes:", "  - &l0 {id: x, label: X}"]
    lines += [f"  - &l{n} {{id: x, label: X, children: [*l{n - 1}, *l{n - 1}]}}" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_codebook_alias_bomb_is_refused_at_once_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(doubling_codebook(17))
    assert path.stat().st_size < 1000
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:")
    assert "YAML aliases expand past 10,000 entries" in first
    assert "Traceback" not in result.output


def test_a_shared_scale_reused_by_many_variables_is_still_a_codebook() -> None:
    from store.codebook.parser import parse_codebook

    lines = ["codebook: T", "codes: [{id: a, label: A}]", "variables:"]
    scale = "[{value: '1', label: Low}, {value: '2', label: Mid}, {value: '3', label: High}]"
    lines.append(f"  - {{id: v0, label: V, kind: ordinal, levels: &scale {scale}}}")
    lines += [f"  - {{id: v{n}, label: V, kind: ordinal, levels: *scale}}" for n in range(1, 200)]
    codebook = parse_codebook("\n".join(lines), "cb.yaml")
    assert len(codebook.variables) == 200 and len(codebook.variables[-1].levels) == 3


def deep_children(depth: int) -> str:
    lines = ["codebook: T", "codes:"]
    for n in range(depth):
        pad = "  " * (2 * n)
        lines += [f"{pad}  - id: c{n}", f"{pad}    label: C", f"{pad}    children:"]
    lines.append("  " * (2 * depth) + "  - {id: leaf, label: L}")
    return "\n".join(lines) + "\n"


def parent_chain(depth: int) -> str:
    lines = ["codebook: T", "codes:", "  - {id: c0, label: C}"]
    lines += [f"  - {{id: c{n}, label: C, parent: c{n - 1}}}" for n in range(1, depth)]
    return "\n".join(lines) + "\n"


def test_codes_nested_1200_deep_are_a_message_in_check_update_and_init(tmp_path: Path) -> None:
    db = tmp_path / "accord.db"
    Project.create(db, small_codebook()).close()
    for name, text in (("deep.yaml", deep_children(1200)), ("chain.yaml", parent_chain(1200))):
        path = tmp_path / name
        path.write_text(text)
        for args in (("codebook", "check", path), ("--project", db, "codebook", "update", path),
                     ("--project", tmp_path / f"new-{name}.db", "init", "--codebook", path)):
            result = run(*args)
            assert result.exit_code == 1, (args, result.output)
            assert "Traceback" not in result.output and "RecursionError" not in result.output
            assert f"{path}:" in result.stderr.splitlines()[0], (args, result.stderr)
            assert "nested" in result.stderr, result.stderr
        assert not (tmp_path / f"new-{name}.db").exists()


def bomb_front_matter(levels: int) -> str:
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]" for n in range(1, levels)]
    return "\n".join([*lines, "---", "", "Some text of the statement."]) + "\n"


def test_front_matter_bomb_and_cycle_are_refused_and_the_other_files_imported(tmp_path: Path) -> None:
    db = tmp_path / "accord.db"
    Project.create(db, small_codebook()).close()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_bomb.md").write_text(bomb_front_matter(6))
    (corpus / "b_cycle.md").write_text("---\ntitle: T\nloop: &l [1, *l]\n---\n\nText of the cycle file.\n")
    (corpus / "c_good.md").write_text("---\ntitle: Good\n---\n\nText of the good file.\n")
    result = CliRunner().invoke(main, ["--project", str(db), "import", str(corpus)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{corpus / 'a_bomb.md'}:5:" in result.stderr and "YAML aliases expand past" in result.stderr
    assert f"{corpus / 'b_cycle.md'}:3:" in result.stderr and "cycle" in result.stderr
    with Project.open(db) as project:
        assert [row["id"] for row in project.document_overview()] == ["c_good"]


def test_front_matter_with_a_small_alias_is_read(tmp_path: Path) -> None:
    from store.intake.readers import SourceFile, read_file

    path = tmp_path / "ok.md"
    path.write_text("---\ntitle: T\nparties: &p [A, B]\nsupporters: *p\n---\n\nThe text.\n")
    documents, problems = read_file(SourceFile(path, "ok"))
    assert problems == []
    assert documents[0].meta == {"parties": ["A", "B"], "supporters": ["A", "B"]}
