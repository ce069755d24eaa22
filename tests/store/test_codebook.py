"""Codebook loading: every problem named with file, line and column; the real codebook loads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import Code, CodebookError, Level, Project
from store.codebook.parser import default_codebook_path, load_codebook, parse_codebook
from store.codebook.yaml_dump import dump_codebook
from tests.helpers import REPO, SMALL_YAML, documents, small_codebook


RESERVED_KEYS = frozenset("123456789") | {"u", "f", "e", "g", "q", "/", "?", "C"}
"""Keys a caller keeps from codes (the coding screen's, which tui/keys.py passes in)."""


def problems(text: str) -> list[str]:
    """The problems of `text` as the user sees them, one string each."""
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "cb.yaml", reserved_keys=RESERVED_KEYS)
    return [str(p) for p in caught.value.problems]


def one_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


HEAD = "codebook: T\ncodes:\n"


def test_small_codebook_parses_into_the_same_models_as_built_by_hand() -> None:
    assert parse_codebook(SMALL_YAML, "small.yaml") == small_codebook()


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = HEAD + "  - id: a\n    label: [unclosed\n"
    (found,) = problems(text)
    assert found.startswith("cb.yaml:4:12: YAML syntax: the '[' opened here is never closed"), found


def test_tab_indentation_is_a_syntax_error_with_its_place() -> None:
    found = one_problem(HEAD + "  - id: a\n\tlabel: A\n")
    assert found.startswith("cb.yaml:4:1: YAML syntax:")
    assert "tab" in found


def test_empty_file_and_wrong_shape() -> None:
    assert one_problem("") == "cb.yaml:1:1: the codebook is empty"
    assert one_problem("- a\n- b\n").startswith("cb.yaml:1:1: a codebook is a mapping")


def test_unknown_field_suggests_the_close_one() -> None:
    found = one_problem(HEAD + "  - id: a\n    lable: A\n")
    assert found == "cb.yaml:4:5: unknown field 'lable' in a code; did you mean 'label'?"


def test_unknown_top_field_lists_known_fields_when_nothing_is_close() -> None:
    found = one_problem("codebook: T\nzzz: 1\ncodes:\n  - {id: a, label: A}\n")
    assert found.startswith("cb.yaml:2:1: unknown field 'zzz' in the codebook; known fields: codebook, version")


def test_duplicate_field_in_one_mapping() -> None:
    found = one_problem(HEAD + "  - id: a\n    label: A\n    label: B\n")
    assert found == "cb.yaml:5:5: duplicate field 'label' in a code (first at line 4)"


def test_missing_id_and_label() -> None:
    assert problems(HEAD + "  - label: A\n  - id: b\n") == [
        "cb.yaml:3:5: code has no id (a snake_case name such as border_control)",
        "cb.yaml:4:5: code 'b' has no label",
    ]


def test_missing_title() -> None:
    assert one_problem("codes:\n  - {id: a, label: A}\n") == (
        "cb.yaml:1:1: missing field 'codebook' (the codebook's title)"
    )


@pytest.mark.parametrize("bad", ["Border", "border-control", "1st", "border control", "wmd.nuclear"])
def test_ids_must_be_snake_case(bad: str) -> None:
    found = one_problem(HEAD + f"  - id: '{bad}'\n    label: A\n")
    assert found.startswith(f"cb.yaml:3:9: id {bad!r} must be snake_case")


def test_ids_must_fit_export_column_names() -> None:
    long_id = "a" * 33
    assert "at most 32" in one_problem(HEAD + f"  - {{id: {long_id}, label: A}}\n")
    assert "exports already use" in one_problem(HEAD + "  - {id: text, label: A}\n")


def test_duplicate_id_anywhere_in_the_tree() -> None:
    text = HEAD + "  - id: a\n    label: A\n    children:\n      - {id: a, label: Again}\n"
    assert one_problem(text) == "cb.yaml:6:14: duplicate id 'a' (first at line 3)"


def test_duplicate_id_between_code_and_variable() -> None:
    text = HEAD + "  - {id: a, label: A}\nvariables:\n  - {id: a, label: V, kind: single, levels: [{value: x, label: X}]}\n"
    assert one_problem(text) == "cb.yaml:5:10: duplicate id 'a' (first at line 3)"


def test_duplicate_key() -> None:
    text = HEAD + "  - {id: a, label: A, key: b}\n  - {id: c, label: C, key: b}\n"
    assert one_problem(text) == "cb.yaml:4:28: duplicate key 'b': code 'a' uses it too (line 3)"


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
def test_reserved_screen_keys_are_refused(key: str) -> None:
    found = one_problem(HEAD + f"  - {{id: a, label: A, key: '{key}'}}\n")
    assert found.startswith(f"cb.yaml:3:28: key {key!r} of code 'a' is taken by the coding screen")


def test_key_must_be_one_letter() -> None:
    found = one_problem(HEAD + "  - {id: a, label: A, key: ab}\n")
    assert found == "cb.yaml:3:28: key 'ab' of code 'a' must be one letter, a-z or A-Z (with shift)"


def test_bad_kind() -> None:
    text = "codebook: T\nvariables:\n  - {id: v, label: V, kind: nominal, levels: [{value: x, label: X}]}\n"
    assert one_problem(text) == "cb.yaml:3:29: bad kind 'nominal' for variable 'v': variables are 'single' or 'ordinal'"
    text = HEAD + "  - {id: a, label: A, kind: single}\n"
    assert one_problem(text).startswith(
        "cb.yaml:3:29: bad kind 'single' for code 'a': codes have kind 'code'; variables go under variables:")


def test_variable_without_kind() -> None:
    text = "codebook: T\nvariables:\n  - {id: v, label: V, levels: [{value: x, label: X}]}\n"
    assert one_problem(text) == "cb.yaml:3:5: variable 'v' needs kind: single or kind: ordinal"


def test_levels_on_a_code() -> None:
    found = one_problem(HEAD + "  - {id: a, label: A, levels: [{value: x, label: X}]}\n")
    assert found.startswith("cb.yaml:3:31: code 'a' is a present/absent code and takes no levels")


def test_variable_without_levels_or_with_an_empty_list() -> None:
    assert one_problem("codebook: T\nvariables:\n  - {id: v, label: V, kind: single}\n") == (
        "cb.yaml:3:5: variable 'v' has no levels; list them as levels: [{value: ..., label: ...}]"
    )
    assert one_problem("codebook: T\nvariables:\n  - {id: v, label: V, kind: ordinal, levels: []}\n") == (
        "cb.yaml:3:46: variable 'v' has an empty level list; give it at least two levels"
    )


def test_duplicate_level_value_and_level_without_label() -> None:
    text = (
        "codebook: T\nvariables:\n  - id: v\n    label: V\n    kind: ordinal\n    levels:\n"
        "      - {value: low, label: Low}\n      - {value: low, label: Again}\n      - {value: high}\n"
    )
    assert problems(text) == [
        "cb.yaml:8:17: duplicate level value 'low' in variable 'v' (first at line 7)",
        "cb.yaml:9:9: level 'high' of variable 'v' has no label",
    ]


def test_too_many_levels_for_the_digit_keys() -> None:
    levels = ", ".join(f"{{value: l{i}, label: L{i}}}" for i in range(10))
    found = one_problem(f"codebook: T\nvariables:\n  - {{id: v, label: V, kind: single, levels: [{levels}]}}\n")
    assert "has 10 levels; at most 9" in found


def test_children_on_a_variable() -> None:
    text = ("codebook: T\nvariables:\n  - id: v\n    label: V\n    kind: single\n"
            "    levels: [{value: x, label: X}]\n    children: []\n")
    assert one_problem(text) == "cb.yaml:7:15: variable 'v' cannot have children; only codes have sub-codes"


def test_parent_reference_builds_the_tree() -> None:
    text = HEAD + "  - {id: wmd, label: WMD}\n  - {id: nuclear, label: Nuclear, parent: wmd}\n"
    codebook = parse_codebook(text, "cb.yaml")
    assert [c.id for c in codebook.codes] == ["wmd"]
    assert codebook.codes[0].children == (Code(id="nuclear", label="Nuclear", parent_id="wmd"),)


def test_parent_cycle_is_reported() -> None:
    text = HEAD + "  - {id: a, label: A, parent: b}\n  - {id: b, label: B, parent: a}\n"
    assert one_problem(text) == "cb.yaml:3:31: parent cycle: a -> b -> a; a code cannot be its own ancestor"


def test_self_parent_and_unknown_parent() -> None:
    text = HEAD + "  - {id: a, label: A, parent: a}\n  - {id: wmd, label: W}\n  - {id: b, label: B, parent: wnd}\n"
    assert problems(text) == [
        "cb.yaml:3:31: parent cycle: a -> a; a code cannot be its own ancestor",
        "cb.yaml:5:31: parent 'wnd' of code 'b' is not a code in this codebook; did you mean 'wmd'?",
    ]


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = (
        "codebook: T\ncodez: []\ncodes:\n  - id: Bad\n    label: A\n    key: q\n"
        "  - id: b\n    kind: weird\n"
    )
    found = problems(text)
    assert [f.split(":")[1] for f in found] == ["2", "4", "6", "7", "8"]


def test_version_stays_text_and_single_strings_become_lists() -> None:
    text = 'codebook: T\nversion: 1.0\ncodes:\n  - {id: a, label: A, keywords: border, include: ""}\n'
    codebook = parse_codebook(text, "cb.yaml")
    assert codebook.version == "1.0"
    assert codebook.codes[0].keywords == ("border",)
    assert codebook.codes[0].include == ()


def test_load_names_the_file_and_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_bytes(b"codebook: T\ncodes:\n  - {id: a, label: \xe9t\xe9}\n")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == f"{path}:3: the codebook is not UTF-8 text; save it as UTF-8"
    with pytest.raises(CodebookError, match="cannot read the codebook"):
        load_codebook(tmp_path / "missing.yaml")


def test_load_accepts_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_bytes("\ufeffcodebook: Té\ncodes:\n  - {id: a, label: A}\n".encode())
    assert load_codebook(path).title == "Té"


# -- the real codebook --------------------------------------------------------------------------


def test_packaged_codebook_is_the_root_codebook() -> None:
    assert default_codebook_path().read_text(encoding="utf-8") == (REPO / "codebook.yaml").read_text(encoding="utf-8")


def test_real_codebook_loads_with_the_codes_the_issue_asks_for() -> None:
    codebook = load_codebook(REPO / "codebook.yaml")
    ids = codebook.by_id()
    for required in ("border_control", "stockpile_security", "ddr", "wmd", "gender", "arms_trade", "terrorism",
                     "sanctions", "instruments", "cooperation"):
        assert required in ids
    assert [c.id for c in ids["wmd"].children] == ["nuclear", "chemical", "biological", "means_of_delivery"]
    assert [c.id for c in ids["gender"].children] == ["women", "children", "gender_perspectives"]
    assert ids["stance"].kind == "single" and ids["salience"].kind == "ordinal"
    assert [level.value for level in ids["salience"].levels] == ["low", "medium", "high"]
    assert all(code.key for code in codebook.walk())


def test_real_codebook_round_trips_through_a_project(tmp_path: Path) -> None:
    codebook = load_codebook(REPO / "codebook.yaml")
    with Project.create(tmp_path / "p.db", codebook) as project:
        assert project.codebook() == codebook
        assert [row.id for row in project.codes()] == [code.id for code in codebook.walk()]
        assert project.levels("stance") == [(level.value, level.label) for level in codebook.by_id()["stance"].levels]


def test_project_codebook_keeps_retired_codes_marked(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        project.import_documents(documents(1))
        paragraph = project.paragraphs()[0]
        project.set_coding(paragraph.id, "ann", "nuclear", 1)
        nuclear = "    children:\n      - id: nuclear\n        label: Nuclear\n        key: n\n"
        smaller = parse_codebook(SMALL_YAML.replace(nuclear, ""), "v2.yaml")
        project.apply_codebook(smaller, retire=True)
        current = project.codebook()
        nuclear = current.by_id()["nuclear"]
        assert nuclear.retired and nuclear.parent_id == "wmd"
        assert current.by_id()["stance"].levels == (Level("support", "Supports"), Level("oppose", "Opposes"))
        assert not any(code.retired for code in current.walk() if code.id != "nuclear")


def test_every_exclude_rule_of_the_real_codebook_says_which_code_to_use() -> None:
    codebook = load_codebook(REPO / "codebook.yaml")
    ids = set(codebook.by_id())
    for code in codebook.walk():
        if code.kind != "code":
            continue
        for rule in code.exclude:
            assert "→" in rule, f"{code.id}: {rule}"
            after = rule.split("→", 1)[1]
            named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]{3,}\b", after)) & ids
            named |= set(re.findall(r"\b[a-z]+_[a-z_]+\b", after))
            assert named <= ids, f"{code.id}: unknown code in {rule!r}"
            assert named or "no code" in after or "sub-code" in after or "WMD codes" in after, f"{code.id}: {rule}"


def test_every_code_of_the_real_codebook_is_fully_documented() -> None:
    for code in load_codebook(REPO / "codebook.yaml").walk():
        assert code.definition and code.examples and code.key, code.id
        if code.kind == "code":
            assert code.include and code.exclude and code.keywords, code.id
        for keyword in code.keywords:
            assert len(keyword.split()) <= 5, f"{code.id}: {keyword!r} is a sentence, not a hint"


# -- hostile input ------------------------------------------------------------------------------


def test_a_code_that_contains_itself_through_an_alias_is_a_problem_not_a_crash() -> None:
    text = HEAD + "  - &loop\n    id: a\n    label: A\n    children: [*loop]\n"
    assert one_problem(text) == "cb.yaml:3:5: code 'a' contains itself through a YAML alias"


def test_non_text_values_are_named() -> None:
    text = HEAD + "  - id: a\n    label: {x: 1}\n    keywords: {x: 1}\n  - 7\n"
    assert problems(text) == [
        "cb.yaml:4:12: label must be text, not a mapping",
        "cb.yaml:5:15: keywords must be a list of texts, not a mapping",
        "cb.yaml:6:5: each entry of codes must be a mapping (id:, label:, ...), not a text",
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    *"abc:-{}[] \n\t'\"&*!#|>?,19_",
    "  - ", "id: ", "label: ", "codes:", "children:", "levels:", "kind: ", "key: ", "parent: ", "value: ",
    "    ", "\n  ", "&x ", "*x", "single", "ordinal",
]), max_size=60).map("".join))
def test_any_text_gives_a_codebook_or_located_problems(text: str) -> None:
    try:
        parse_codebook(SMALL_YAML + text, "cb.yaml")
    except CodebookError as error:
        assert error.problems and all(p.file == "cb.yaml" for p in error.problems)


# -- writing YAML back ----------------------------------------------------------------------------


def test_dumped_real_codebook_reads_back_the_same() -> None:
    codebook = load_codebook(REPO / "codebook.yaml")
    text = dump_codebook(codebook)
    assert replace(parse_codebook(text, "dumped.yaml"), source="") == replace(codebook, source="")
    assert "instructions: |\n  What you are coding." in text


def test_a_codebook_built_in_code_is_kept_as_yaml_in_the_project(tmp_path: Path) -> None:
    built = replace(small_codebook(), source="")
    with Project.create(tmp_path / "p.db", built) as project:
        (stored,) = project.db.execute("select yaml from codebooks").fetchone()
        assert stored == dump_codebook(built)
        assert replace(project.codebook(), source="") == built


# -- packaging --------------------------------------------------------------------------------


def test_the_package_build_carries_the_codebook_itself(tmp_path: Path) -> None:
    """store/data/codebook.yaml is a symlink to the root file; what setuptools builds (and
    wheels are zipped from) must hold the file's contents, not a link."""
    tree = tmp_path / "src"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "codebook.yaml"):
        shutil.copy2(REPO / name, tree / name)
    for package in ("store", "tui", "exports"):
        shutil.copytree(REPO / package, tree / package, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    assert (tree / "store" / "data" / "codebook.yaml").is_symlink()
    build = tmp_path / "build"
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import setup; "
         f"sys.argv = ['setup.py', '-q', 'build_py', '--build-lib', {str(build)!r}]; setup()"],
        cwd=tree, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    shipped = build / "store" / "data" / "codebook.yaml"
    assert not shipped.is_symlink()
    assert shipped.read_text(encoding="utf-8") == (REPO / "codebook.yaml").read_text(encoding="utf-8")
