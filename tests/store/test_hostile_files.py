"""Hostile files at the readers and the codebook parser: random bytes, malformed tables, broken
Word files, YAML of any shape. Each gives documents or Problems / CodebookError naming the file,
never another exception, and never half a document."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import CodebookError
from store.codebook.parser import parse_codebook
from store.errors import Problem
from store.intake.readers import SourceFile, read_file
from store.intake.segment import speaker_label
from store.intake.table_files import read_table

SUFFIXES = (".txt", ".md", ".csv", ".tsv", ".jsonl", ".docx")
files_settings = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read(tmp_path: Path, name: str, data: bytes) -> tuple[list, list[Problem]]:
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(SourceFile(path, path.stem))


def assert_clean(documents: list, problems: list[Problem], name: str) -> None:
    """Documents are whole (every paragraph a non-empty line of text) and problems name the file."""
    for document in documents:
        assert document.paragraphs and all(isinstance(p, str) and p.strip() for p in document.paragraphs)
        assert all("\n" not in p for p in document.paragraphs)
    for problem in problems:
        assert problem.file.endswith(name) and problem.message


@files_settings
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_in_any_format(tmp_path: Path, data: bytes, suffix: str) -> None:
    documents, problems = read(tmp_path, "f" + suffix, data)
    assert_clean(documents, problems, "f" + suffix)


@files_settings
@given(rows=st.lists(st.lists(st.text(max_size=40), min_size=1, max_size=5), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_any_table_of_text_cells(tmp_path: Path, rows: list[list[str]], delimiter: str) -> None:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["id", "text"], *rows])
    documents, problems = read(tmp_path, "t.csv", buffer.getvalue().encode())
    assert_clean(documents, problems, "t.csv")


@files_settings
@given(lines=st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["id", "text", "speaker", "date", "x"]),
                    st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                              st.lists(st.integers(), max_size=3),
                              st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))),
    st.integers(), st.text(max_size=20), st.lists(st.none(), max_size=2)), max_size=10))
def test_any_jsonl_values(tmp_path: Path, lines: list[object]) -> None:
    data = "\n".join(json.dumps(line) for line in lines).encode()
    documents, problems = read(tmp_path, "t.jsonl", data)
    assert_clean(documents, problems, "t.jsonl")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param("deep.jsonl", b'{"text": "fine"}\n' + b"[" * 100_000 + b"\n", "nested", id="deep-json"),
        pytest.param("nul.csv", b"id,text\n1,a\x00b\n", None, id="nul-in-csv"),
        pytest.param("quote.csv", b'id,text\n1,"never closed\n2,b\n', None, id="open-quote"),
        pytest.param("wide.csv", b"id,text\n1,a,b,c\n", "4 fields", id="wide-row"),
        pytest.param("notext.csv", b"id,body_text\n1,a\n", "no text column", id="no-text-column"),
        pytest.param("header.csv", b"id,text\n", None, id="header-only"),
        pytest.param("bom16.txt", b"\xff\xfe" + b"\x00\xd8", "UTF-16", id="bad-utf16"),
    ],
)
def test_malformed_tables_and_texts_are_problems(tmp_path: Path, name: str, data: bytes, expected: str | None) -> None:
    documents, problems = read(tmp_path, name, data)
    assert_clean(documents, problems, name)
    if expected:
        assert any(expected in str(p) for p in problems), problems


def test_one_megabyte_cell_is_one_document(tmp_path: Path) -> None:
    huge = " ".join(f"w{i}" for i in range(150_000)) + "."
    documents, problems = read(tmp_path, "big.csv", f"id,text\nbig,\"{huge}\"\n".encode())
    assert problems == [] and documents[0].paragraphs == [huge]


def docx_bytes(document_xml: bytes | None, drop: str | None = None) -> bytes:
    """A .docx package built by hand, with its main part replaced or a part left out."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Mr. Sadykov (Kazakhstan): A paragraph.")
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename == drop:
                continue
            content = source.read(item)
            if item.filename == "word/document.xml" and document_xml is not None:
                content = document_xml
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"PK\x03\x04 truncated zip", id="truncated-zip"),
        pytest.param(docx_bytes(b"<w:document><unclosed"), id="malformed-xml"),
        pytest.param(docx_bytes(None, drop="word/document.xml"), id="no-main-part"),
        pytest.param(docx_bytes(None, drop="[Content_Types].xml"), id="no-content-types"),
        pytest.param(docx_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'), id="entities"),
        pytest.param(docx_bytes(None)[: len(docx_bytes(None)) // 2], id="cut-in-half"),
    ],
)
def test_broken_word_files_are_problems(tmp_path: Path, data: bytes) -> None:
    documents, problems = read(tmp_path, "w.docx", data)
    assert documents == [] and len(problems) == 1
    assert problems[0].file.endswith("w.docx")


def test_speaker_labels_with_nested_parentheses() -> None:
    assert speaker_label("Mr. Llorentty Solíz (Bolivia (Plurinational State of)): We thank...") == (
        "Mr. Llorentty Solíz", "Bolivia (Plurinational State of)", "We thank...")
    assert speaker_label("Mr. Moncada (Venezuela (Bolivarian Republic of)) (spoke in Spanish): Gracias.") == (
        "Mr. Moncada", "Venezuela (Bolivarian Republic of)", "Gracias.")


# -- codebooks ---------------------------------------------------------------------------------

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["id", "label", "codes", "variables", "kind",
                                                                "levels", "value", "key", "children", "codebook",
                                                                "version", "retired", "x"]),
                                               children, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(value=yaml_values)
def test_codebook_of_any_shape(value: object) -> None:
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True)
    try:
        codebook = parse_codebook(text, "cb.yaml")
    except CodebookError as error:
        assert error.problems and all(p.file == "cb.yaml" for p in error.problems)
    else:
        assert codebook.codes or codebook.variables


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_codebook_of_any_text(text: str) -> None:
    try:
        parse_codebook(text, "cb.yaml")
    except CodebookError as error:
        assert error.problems


@pytest.mark.parametrize("bad_id", ["x; rm -rf ~", "'; drop table codes; --", "$(reboot)", "a b", "Ünï", "1abc", ""])
def test_code_ids_with_metacharacters_are_refused_with_line(bad_id: str) -> None:
    text = f"codebook: T\ncodes:\n  - id: {json.dumps(bad_id)}\n    label: L\n"
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "cb.yaml")
    assert any(p.line == 3 for p in caught.value.problems), caught.value


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    lines.append("codebook: T\ncodes: *i")
    with pytest.raises(CodebookError):
        parse_codebook("\n".join(lines), "bomb.yaml")


def test_table_reader_without_files() -> None:
    """The table reader itself on text that is not a table at all."""
    documents, problems = read_table("just one line of prose", "p.csv", "p")
    assert documents == [] and problems


@pytest.mark.parametrize("text", ["codebook: T\ncodes: []\n", "codebook: T\ncodes:\nvariables: []\n"])
def test_codebook_with_empty_code_lists_is_refused(text: str) -> None:
    with pytest.raises(CodebookError, match="both empty") as caught:
        parse_codebook(text, "cb.yaml")
    assert caught.value.problems[0].line == 2
