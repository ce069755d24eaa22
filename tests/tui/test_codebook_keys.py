"""`accord codebook keys`: keys proposed for the most used codes, and written into the YAML on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from benchmarks.big_codebook import big_codebook_yaml
from store import Project, load_codebook, parse_codebook
from store.codebook.keys import without_keys
from tests.helpers import documents
from tui.cli import main
from tui.keys import RESERVED_KEYS

COMMENTED = big_codebook_yaml(40).replace(
    "codes:\n", "# Our codebook, reviewed in March\ncodes:\n", 1).replace(
    "  - id: marking\n", "  # marking codes follow the 2019 guidance\n  - id: marking  # keep this id\n", 1).replace(
    "  - id: stance\n", "  - {id: salience, label: Salience, kind: ordinal, levels: [{value: low, label: Low}]}\n"
                        "  - id: stance\n", 1)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A project on a 40-code codebook without keys (a file with comments), where coders used
    brokering_funding most, then salience, then marking_risks."""
    yaml_file = tmp_path / "codebook.yaml"
    yaml_file.write_text(COMMENTED, encoding="utf-8")
    path = tmp_path / "accord.db"
    with Project.create(path, load_codebook(yaml_file)) as p:
        p.import_documents(documents(3))
        for paragraph in ("doc1:1", "doc1:2", "doc1:3"):
            p.set_coding(paragraph, "ann", "brokering_funding", 1)
        p.set_coding("doc1:1", "bob", "salience", "low")
        p.set_coding("doc1:2", "bob", "salience", "low")
        p.set_coding("doc1:1", "ann", "marking_risks", 1)
        p.set_coding("doc1:2", "ann", "border", 1)  # a digit code: it has a key already (1)
    return path, yaml_file


def test_it_proposes_keys_for_the_most_used_codes(project: tuple[Path, Path]) -> None:
    path, _ = project
    result = run("codebook", "keys", "--project", path, "--count", "5")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [row[1] for row in rows] == ["brokering_funding", "salience", "marking_risks",
                                        "border_policy", "border_practice"]  # then codebook order
    keys = [row[0] for row in rows]
    assert len(set(keys)) == 5 and not set(keys) & RESERVED_KEYS
    assert keys[0] == "b" and keys[1] == "s"  # a letter of the label when free
    assert "--write" in result.stderr


def test_write_adds_key_lines_and_keeps_the_rest_of_the_file(project: tuple[Path, Path]) -> None:
    path, yaml_file = project
    result = run("codebook", "keys", "--project", path, "--count", "12", "--write", yaml_file)
    assert result.exit_code == 0, result.output
    written = yaml_file.read_text(encoding="utf-8")
    added = [line for line in written.splitlines() if line not in COMMENTED.splitlines()]
    lines = [line for line in added if line.strip().startswith("key: ")]
    assert len(lines) == 11  # one line per block code; the flow mapping got its key inline
    assert [line for line in added if line not in lines] == [
        "  - {id: salience, key: s, label: Salience, kind: ordinal, levels: [{value: low, label: Low}]}"]
    assert "# Our codebook, reviewed in March" in written and "- id: marking  # keep this id" in written
    before, after = parse_codebook(COMMENTED, "before"), load_codebook(yaml_file, reserved_keys=RESERVED_KEYS)
    keyed = {code.id: code.key for code in after.walk() if code.key}
    assert len(keyed) == 12 and keyed["brokering_funding"] == "b"
    assert without_keys(after, keyed) == without_keys(before, keyed)
    assert run("codebook", "update", yaml_file, "--project", path).exit_code == 0
    again = run("codebook", "keys", "--project", path, "--count", "3")
    assert again.exit_code == 0 and "brokering_funding" not in again.stdout  # it has its key now


def test_write_refuses_a_file_that_is_not_the_projects_codebook(project: tuple[Path, Path], tmp_path: Path) -> None:
    path, _ = project
    other = tmp_path / "other.yaml"
    other.write_text(COMMENTED.replace("A large codebook", "Another codebook"), encoding="utf-8")
    result = run("codebook", "keys", "--project", path, "--write", other)
    assert result.exit_code == 1 and "not the project's current codebook" in result.stderr
    assert "Traceback" not in result.output
    assert other.read_text(encoding="utf-8") == COMMENTED.replace("A large codebook", "Another codebook")
    assert run("codebook", "keys", "--project", path, "--write", other, "--force").exit_code == 0
    assert "key: b" in other.read_text(encoding="utf-8")


def test_help_explains_write() -> None:
    result = run("codebook", "keys", "--help")
    assert result.exit_code == 0 and "--write" in result.output and "current codebook" in result.output
