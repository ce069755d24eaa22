"""Reading real files of every supported format and encoding, and reporting bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from store.intake.readers import read_paths
from tests.helpers import KAZAKHSTAN

STATEMENT = (
    "Mr. Sadykov (Kazakhstan): Kazakhstan calls for closer collaboration, transparency, enhanced\n"
    "legislation and stricter control of small arms and light weapons, including their post-\n"
    "conflict collection and destruction.\n"
    "\n"
    "We also underscore the gender-based implications of the illegal trade in small arms — and the\n"
    "need for a regional approach in Central Asia, with the aim of enacting inter-State legislation.\n"
)
PARAGRAPHS = [
    "Kazakhstan calls for closer collaboration, transparency, enhanced legislation and stricter control "
    "of small arms and light weapons, including their post-conflict collection and destruction.",
    "We also underscore the gender-based implications of the illegal trade in small arms — and the need "
    "for a regional approach in Central Asia, with the aim of enacting inter-State legislation.",
]


def test_kazakhstan_corpus_folder(tmp_path: Path) -> None:
    documents, problems = read_paths([KAZAKHSTAN])
    assert problems == []
    assert [d.id for d in documents] == sorted(p.stem for p in KAZAKHSTAN.glob("*.txt"))
    assert [len(d.paragraphs) for d in documents] == [9, 8, 6, 8, 10]
    assert {d.country for d in documents} == {"Kazakhstan"}
    assert documents[1].speaker == "Mr. Sadykov"
    assert documents[0].source == str(KAZAKHSTAN / "000_e1ec27461f4a9ba7.txt")


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-16", "\r\n"),  # Python writes the byte-order mark
        ("utf-16-be", "\n"),  # with a BOM written by hand below
        ("cp1252", "\r"),
    ],
)
def test_text_file_encodings_and_line_ends(tmp_path: Path, encoding: str, newline: str) -> None:
    text = STATEMENT.replace("\n", newline)
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "statement.txt").write_bytes(data)
    documents, problems = read_paths([tmp_path / "statement.txt"])
    assert problems == []
    [document] = documents
    assert document.id == "statement"
    assert document.paragraphs == PARAGRAPHS
    assert (document.speaker, document.country) == ("Mr. Sadykov", "Kazakhstan")


def test_cp1252_quotes_and_accents(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_bytes("M. Delattre\u2019s \u201cd\u00e9marche\u201d \u2013 caf\u00e9.\n".encode("cp1252"))
    documents, problems = read_paths([tmp_path / "fr.txt"])
    assert problems == []
    assert documents[0].paragraphs == ["M. Delattre\u2019s \u201cd\u00e9marche\u201d \u2013 caf\u00e9."]


def test_folder_recursive_sorted_with_relative_ids(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "2017/s-pv-8140.txt", "2016/x.txt", ".hidden/y.txt", ".DS_Store", "~$lock.docx"):
        path = tmp_path / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Some text about border control.\n")
    documents, problems = read_paths([tmp_path / "corpus"])
    assert problems == []
    assert [d.id for d in documents] == ["2016/x", "2017/s-pv-8140", "a", "b"]


def test_markdown_front_matter_and_headings(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "---\ntitle: Open debate on small arms\nspeaker: Ms. Alzhanova\ncountry: Kazakhstan\n"
        "date: 2008-06-30\nmeeting: S/PV.5390\n---\n"
        "# A heading, kept as a paragraph: front matter gives the title\n\nWe support the *Programme of Action*.\n",
        encoding="utf-8",
    )
    [document], problems = read_paths([tmp_path / "note.md"])
    assert problems == []
    assert document.title == "Open debate on small arms"
    assert (document.speaker, document.country, document.date) == ("Ms. Alzhanova", "Kazakhstan", "2008-06-30")
    assert document.meta == {"meeting": "S/PV.5390"}
    assert document.paragraphs == ["A heading, kept as a paragraph: front matter gives the title",
                                   "We support the Programme of Action."]


def test_markdown_heading_is_the_title_only_without_one_in_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T1\n---\n# Heading\n\nFirst paragraph.\n\nSecond one.\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nspeaker: Mr. B\n---\n# Heading\n\nFirst paragraph.\n", encoding="utf-8")
    (a, b), problems = read_paths([tmp_path / "a.md", tmp_path / "b.md"])
    assert problems == []
    assert a.title == "T1" and a.paragraphs == ["Heading", "First paragraph.", "Second one."]
    assert b.title == "Heading" and b.paragraphs == ["First paragraph."]


def test_markdown_front_matter_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    documents, [problem] = read_paths([tmp_path / "bad.md"])
    assert documents == []
    assert problem.file == str(tmp_path / "bad.md")
    assert problem.line is not None and "front matter" in problem.message


def test_csv_one_row_one_document_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "speeches.csv"
    path.write_text(
        "id,speaker,country,date,meeting,text\r\n"
        'S-PV-8140-KAZ,Mr. Sadykov,Kazakhstan,2017-12-18,8140,"First paragraph\r\nwrapped.\r\n\r\nSecond, with ""quotes""."\r\n'
        "S-PV-8140-FRA,Mr. Delattre,France,2017-12-18,8140,France supports the draft.\r\n",
        encoding="utf-8-sig",
    )
    documents, problems = read_paths([path])
    assert problems == []
    assert [d.id for d in documents] == ["S-PV-8140-KAZ", "S-PV-8140-FRA"]
    first = documents[0]
    assert first.paragraphs == ["First paragraph wrapped.", 'Second, with "quotes".']
    assert (first.speaker, first.country, first.date) == ("Mr. Sadykov", "Kazakhstan", "2017-12-18")
    assert first.meta == {"meeting": "8140"}
    assert first.source == f"{path}:2"
    assert documents[1].source == f"{path}:6"


def test_csv_rows_grouped_by_document_id_are_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "paragraphs.tsv"
    path.write_text(
        "record\tpara\tcountry\tbody\n"
        "8140\t1\tKazakhstan\tMr. Sadykov (Kazakhstan): I thank the Under-Secretary-General.\n"
        "8140\t2\tKazakhstan\tSmall arms must be considered by the Council.\n"
        "8141\t1\tFrance\tThe President: The meeting is adjourned.\n"
        "8140\t3\tKazakhstan\tThe President (spoke in French): I now give the floor.\n",
        encoding="utf-8",
    )
    documents, problems = read_paths([path], text_column="BODY", id_column="record")
    assert problems == []
    assert [d.id for d in documents] == ["8140", "8141"]
    kaz = documents[0]
    assert kaz.paragraphs == [
        "I thank the Under-Secretary-General.",
        "Small arms must be considered by the Council.",
        "The President (spoke in French): I now give the floor.",
    ]
    assert (kaz.speaker, kaz.country) == ("Mr. Sadykov", "Kazakhstan")
    assert kaz.meta == {"para": "1"}


def test_semicolon_csv_without_id_column_numbers_rows(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("Speaker;Text\nM. Rivi\u00e8re;Premier.\n;\nMs. Doe;Second.\n".encode("cp1252"))
    documents, problems = read_paths([path])
    assert problems == []
    assert [(d.id, d.speaker, d.paragraphs) for d in documents] == [
        ("excel-1", "M. Rivi\u00e8re", ["Premier."]),
        ("excel-3", "Ms. Doe", ["Second."]),
    ]


def test_csv_without_the_text_column_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "meta.csv").write_text("id,speaker\n1,Mr. A\n", encoding="utf-8")
    documents, [problem] = read_paths([tmp_path / "meta.csv"])
    assert documents == []
    assert str(problem) == f"{tmp_path / 'meta.csv'}: no text column; name it with --text-column (columns: id, speaker)"
    _, [problem] = read_paths([tmp_path / "meta.csv"], text_column="speech")
    assert "no column 'speech'" in problem.message


def test_csv_row_with_too_many_fields_is_named(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("id,text\n1,Good row.\n2,Bad, row, here.\n3,Good too.\n", encoding="utf-8")
    documents, [problem] = read_paths([tmp_path / "t.csv"])
    assert [d.id for d in documents] == ["1", "3"]
    assert (problem.line, "4 fields" in problem.message) == (3, True)


def test_jsonl_with_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "First statement.", "speaker": "Mr. A", "year": 2017, "tags": ["salw"]}),
        '{"id": "b", "text": "unterminated',
        "",
        json.dumps({"id": "c", "text": "Third statement with U+2028\u2028inside."}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"id": "d", "text": ["Mr. B (Chile): One.", "Two,\nwrapped.", ""]}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents, problems = read_paths([path])
    assert [d.id for d in documents] == ["a", "c", "d"]
    assert (documents[2].paragraphs, documents[2].country) == (["One.", "Two, wrapped."], "Chile")
    assert documents[0].meta == {"year": 2017, "tags": ["salw"]}
    assert documents[0].speaker == "Mr. A"
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "not valid JSON"), (5, "a JSON list, not an object; line skipped")]


def test_docx_written_with_python_docx(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_heading("Statement by Kazakhstan", level=1)
    word.add_paragraph("Mr. Kazykhanov (Kazakhstan): Before I start, I would like to thank you.")
    word.add_paragraph("")
    para = word.add_paragraph("We view the draft resolution as an essential instrument")
    para.add_run().add_break()
    para.add_run("for the non-proliferation regime.")
    word.add_paragraph("   ")
    word.add_paragraph("Kazakhstan renounced its nuclear inheritance.")
    word.save(str(tmp_path / "kaz.docx"))
    [document], problems = read_paths([tmp_path / "kaz.docx"])
    assert problems == []
    assert document.id == "kaz"
    assert document.title == "Statement by Kazakhstan"
    assert (document.speaker, document.country) == ("Mr. Kazykhanov", "Kazakhstan")
    assert document.paragraphs == [
        "Before I start, I would like to thank you.",
        "We view the draft resolution as an essential instrument for the non-proliferation regime.",
        "Kazakhstan renounced its nuclear inheritance.",
    ]


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Good text.\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("\n  \n")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "undecodable.txt").write_bytes(b"Line one\nCaf\xc3 \x81\x8d\x90 bytes")
    (corpus / "damaged-utf8.txt").write_bytes("Déjà vu\nun café\n".encode() + b"\xff\n")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.7\n...")
    (corpus / "fake.docx").write_text("not a zip")
    (corpus / "statement.pdf.txt").write_bytes(b"%PDF-1.4 binary")
    documents, problems = read_paths([corpus, tmp_path / "missing.txt"])
    assert [d.id for d in documents] == ["good"]
    reasons = {Path(p.file).name: p.message for p in problems}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert "not UTF-8, UTF-16 or Windows-1252" in reasons["undecodable.txt"]
    assert reasons["damaged-utf8.txt"].startswith("UTF-8 text with an invalid byte 0xff")
    lines = {Path(p.file).name: p.line for p in problems}
    assert (lines["undecodable.txt"], lines["damaged-utf8.txt"]) == (2, 3)
    assert "pdftotext" in reasons["scan.pdf"]
    assert "pdftotext" in reasons["statement.pdf.txt"]
    assert "not a readable Word .docx file" in reasons["fake.docx"]
    assert reasons["missing.txt"] == "no such file or folder"
    assert len(problems) == 9


def test_two_files_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "s.txt").write_text("One.\n")
    (tmp_path / "s.md").write_text("Two.\n")
    documents, [problem] = read_paths([tmp_path / "a", tmp_path / "s.md"])
    assert [d.paragraphs for d in documents] == [["One."]]
    assert "already read from" in problem.message and problem.file == str(tmp_path / "s.md")


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("One.\n")
    documents, problems = read_paths([tmp_path, tmp_path / "s.txt", tmp_path / "." / "s.txt"])
    assert problems == [] and [d.id for d in documents] == ["s"]


def test_a_link_to_a_file_of_the_folder_is_read_once_and_links_to_folders_are_not_followed(tmp_path: Path) -> None:
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "2017").mkdir(parents=True)
    elsewhere.mkdir()
    (corpus / "2017" / "s.txt").write_text("One.\n")
    (elsewhere / "e.txt").write_text("Elsewhere.\n")
    (corpus / "a-link.txt").symlink_to(corpus / "2017" / "s.txt")
    (corpus / "b-link.txt").symlink_to(elsewhere / "e.txt")
    (corpus / "folder-link").symlink_to(elsewhere, target_is_directory=True)
    documents, problems = read_paths([corpus, elsewhere / "e.txt"])
    assert problems == []
    # Sorted by path inside the folder; a file reached twice keeps the id it was first found under.
    assert [(d.id, d.paragraphs) for d in documents] == [("2017/s", ["One."]), ("b-link", ["Elsewhere."])]


RECORD = """\
United Nations
S/PV.8140
Security Council
Seventy-second year
8140th meeting
Monday, 18 December 2017, 10 a.m.

The President (spoke in Japanese): I welcome the Under-Secretary-General.
I now give her the floor.

Ms. Nakamitsu: The illicit trade in small arms fuels armed conflict. The
Secretary-General's report makes that clear.

It also makes recommendations.

Mr. Sadykov (Kazakhstan): I thank the Under-Secretary-General for her
briefing.
"""


def test_split_speakers_makes_one_document_per_statement(tmp_path: Path) -> None:
    (tmp_path / "S-PV-8140.txt").write_text(RECORD)
    [whole], _ = read_paths([tmp_path / "S-PV-8140.txt"])
    assert whole.id == "S-PV-8140" and whole.speaker is None and len(whole.paragraphs) == 6
    documents, problems = read_paths([tmp_path / "S-PV-8140.txt"], split_speakers=True)
    assert problems == []
    assert [(d.id, d.speaker, d.country, len(d.paragraphs)) for d in documents] == [
        ("S-PV-8140-001", None, None, 2),  # the cover page, kept
        ("S-PV-8140-002", "The President", None, 1),
        ("S-PV-8140-003", "Ms. Nakamitsu", None, 2),
        ("S-PV-8140-004", "Mr. Sadykov", "Kazakhstan", 1),
    ]
    assert documents[1].paragraphs == ["I welcome the Under-Secretary-General. I now give her the floor."]
    assert documents[3].paragraphs == ["I thank the Under-Secretary-General for her briefing."]


def test_split_speakers_leaves_single_statements_alone(tmp_path: Path) -> None:
    documents, problems = read_paths([KAZAKHSTAN], split_speakers=True)
    assert problems == [] and [len(d.paragraphs) for d in documents] == [9, 8, 6, 8, 10]
    assert documents[0].id == "000_e1ec27461f4a9ba7"


def test_a_subfolder_that_cannot_be_listed_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.intake.readers

    for name in ("open/a.txt", "locked/b.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("Some text.\n")
    scandir = store.intake.readers.os.scandir

    def refusing(path):  # tests run as root, where chmod cannot lock a folder
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(store.intake.readers.os, "scandir", refusing)
    documents, problems = read_paths([tmp_path])
    assert problems == [] and [d.id for d in documents] == ["open/a"]
