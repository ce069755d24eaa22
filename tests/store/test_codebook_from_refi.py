"""Ids for the codes of another program's codebook, and the text of its sources."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest

from store import code_ids
from store.intake.refi import RefiCode, RefiError, RefiProject, read_qdpx
from store.refi_import import paragraph_spans


def project_of(*codes: tuple[str, str, str | None]) -> RefiProject:
    refi = RefiProject()
    for guid, name, parent in codes:
        refi.codes[guid] = RefiCode(guid, name, "", True, parent)
        if parent:
            refi.codes[parent].children.append(guid)
    return refi


def test_ids_are_snake_case_unique_short_and_stable() -> None:
    long_name = "Perceptions of the national government's response to the flood of 2021"
    refi = project_of(("a", "Économie", None), ("b", "Other", "a"), ("c", "Politik", None), ("d", "Other", "c"),
                      ("e", "Other", "c"), ("f", long_name, None), ("g", long_name, None), ("h", "Other", None))
    ids = code_ids(refi)
    assert ids == {"a": "economie", "b": "other", "c": "politik", "d": "politik_other", "e": "other_2",
                   "f": "perceptions_of_the_national_gove", "g": "perceptions_of_the_national_go_2", "h": "other_3"}
    assert all(len(i) <= 32 for i in ids.values()) and len(set(ids.values())) == len(ids)
    assert code_ids(refi) == ids  # the same file, the same ids


def test_accord_marks_keep_their_ids_before_any_name_takes_them() -> None:
    refi = project_of(("a", "Stance", None), ("b", "Border", None))
    refi.codes["b"].description = "Accord code: stance"
    assert code_ids(refi) == {"a": "stance_2", "b": "stance"}


def qdpx(path: Path, members: dict[str, bytes], text_path: str) -> Path:
    qde = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
           f'<TextSource guid="s" name="doc" plainTextPath="{text_path}"/></Sources></Project>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("data", [
    "Grüße\r\nzwei".encode(), codecs.BOM_UTF8 + "Grüße\r\nzwei".encode(),
    codecs.BOM_UTF16_LE + "Grüße\r\nzwei".encode("utf-16-le"), codecs.BOM_UTF16_BE + "Grüße\r\nzwei".encode("utf-16-be"),
])
def test_source_files_in_the_encodings_programs_write(tmp_path: Path, data: bytes) -> None:
    for folder, reference in (("SOURCES", "internal://a.txt"), ("sources", "internal://a.txt"),
                              ("Sources", "internal://Sources/a.txt")):
        refi = read_qdpx(qdpx(tmp_path / f"{folder}.qdpx", {f"{folder}/a.txt": data}, reference))
        assert refi.sources[0].text == "Grüße\r\nzwei"
        assert [span[0] for span in paragraph_spans(refi.sources[0].text)] == ["Grüße", "zwei"]


def test_a_source_file_in_another_encoding_is_named(tmp_path: Path) -> None:
    archive = qdpx(tmp_path / "x.qdpx", {"sources/a.txt": "Café".encode("cp1252")}, "internal://a.txt")
    with pytest.raises(RefiError, match=r"source file sources/a.txt is not UTF-8 text"):
        read_qdpx(archive)


def test_paragraphs_are_blocks_between_blank_lines_else_lines() -> None:
    assert [s[0] for s in paragraph_spans("One\ntwo.\n\nThree")] == ["One two.", "Three"]
    assert [s[0] for s in paragraph_spans("One.\r\nTwo.\r\n\r\nThree.")] == ["One. Two.", "Three."]
    assert [s[0] for s in paragraph_spans("One.\nTwo.\nThree.")] == ["One.", "Two.", "Three."]


def test_many_codes_of_one_name_are_numbered_in_one_pass() -> None:
    refi = project_of(*((str(n), "Other", None) for n in range(3000)))
    ids = code_ids(refi)
    assert len(set(ids.values())) == 3000 and ids["2999"] == "other_3000"


def test_a_colour_is_optional_and_checked() -> None:
    from store import CodebookError, parse_codebook

    good = parse_codebook("codebook: T\ncodes:\n- {id: a, label: A, color: '#1F77B4'}\n- {id: b, label: B}\n", "c.yaml")
    assert [code.color for code in good.codes] == ["#1f77b4", None]
    with pytest.raises(CodebookError, match=r"c.yaml:3:28: color 'red' of code 'a' must be #rrggbb"):
        parse_codebook("codebook: T\ncodes:\n- {id: a, label: A, color: red}\n", "c.yaml")


def test_a_long_parent_id_still_gives_a_valid_id() -> None:
    parent = "Theme 1.1 — Gesundheitsversorgung und Prävention"
    refi = project_of(("a", "Mixed or unclear", None), ("p", parent, None), ("b", "Mixed or unclear", "p"))
    assert code_ids(refi) == {"a": "mixed_or_unclear", "p": "theme_1_1_gesundheitsversorgung",
                              "b": "mixed_or_unclear_2"}  # the parent's id leaves no room: numbered
