"""REFI-QDA: files validate against the published schemas, offsets are right, the round trip
keeps every coding, and hostile archives are refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from exports.datasets import DatasetSpec, build_dataset
from exports.refi import qdc_bytes, write_qdc, write_qdpx
from store import Project
from store.intake.refi import PROJECT_NS, RefiError, read_qdc, read_qdpx
from store.codebook.from_refi import codebook_from_refi
from store.refi_import import import_qdpx, paragraph_spans
from tests.helpers import REFI_SCHEMAS, code_two_coders, documents, small_codebook

NS = {"q": PROJECT_NS}


def schema(name: str) -> etree.XMLSchema:
    """A published REFI-QDA schema, from tests/data/refi-qda."""
    return etree.XMLSchema(etree.parse(str(REFI_SCHEMAS / name)))


def qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_qdpx_validates_and_selections_cover_the_paragraphs(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "p.qdpx"
    summary = write_qdpx(project, target)
    assert summary.startswith("2 documents, 7 coded paragraphs, 8 codings, 1 note, 3 coders")
    root = qde(target)
    project_schema = schema("Project.xsd")
    assert project_schema.validate(root), project_schema.error_log
    assert [u.get("name") for u in root.iterfind("q:Users/q:User", NS)] == ["alice", "bob", "consensus"]
    with zipfile.ZipFile(target) as archive:
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode()
            for selection in source.iterfind("q:PlainTextSelection", NS):
                paragraph = selection.get("name").split(" ")[0]
                covered = text[int(selection.get("startPosition")):int(selection.get("endPosition"))]
                assert covered == project.paragraph(paragraph).text
    nuclear = root.find(".//q:Code[@name='WMD']/q:Code", NS)
    assert nuclear.get("name") == "Nuclear"  # hierarchy kept
    note = root.find("q:Notes/q:Note/q:PlainTextContent", NS)
    assert note.text == '=HYPERLINK("x")'


def test_offsets_count_characters_not_bytes(tmp_path: Path) -> None:
    from store.intake.source import SourceDocument

    project = Project.create(tmp_path / "p.db", small_codebook())
    project.import_documents([SourceDocument("d", ["Ça va — déjà vu.", "Второй абзац 🙂.", "Third."])])
    project.set_coding("d:3", "ana", "wmd", 1)
    project.set_status("d:3", "ana", "done")
    write_qdpx(project, tmp_path / "p.qdpx")
    selection = qde(tmp_path / "p.qdpx").find(".//q:PlainTextSelection", NS)
    start = len("Ça va — déjà vu.") + 2 + len("Второй абзац 🙂.") + 2
    assert (int(selection.get("startPosition")), int(selection.get("endPosition"))) == (start, start + 6)
    project.close()


def test_qdc_validates_against_the_codebook_schema(project: Project, tmp_path: Path) -> None:
    root = etree.fromstring(qdc_bytes(project))
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(root), codebook_schema.error_log
    # The repaired schema still bites: a code without isCodable, or with a malformed GUID, fails.
    broken = etree.fromstring(qdc_bytes(project).replace(b' isCodable="true"', b"", 1))
    assert not codebook_schema.validate(broken)
    assert not codebook_schema.validate(etree.fromstring(qdc_bytes(project).replace(b'guid="', b'guid="x', 1)))
    write_qdc(project, tmp_path / "c.qdc")
    assert [c.name for c in read_qdc(tmp_path / "c.qdc").roots] == ["Border control", "WMD", "Stance"]


def test_round_trip_keeps_every_coding(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    write_qdpx(project, tmp_path / "p.qdpx")
    fresh = Project.create(tmp_path / "fresh.db", small_codebook())
    report = import_qdpx(fresh, tmp_path / "p.qdpx", include_consensus=True)
    assert report.documents.added == ["doc1", "doc2"] and report.unknown_codes == []
    assert sorted(report.coders) == ["alice", "bob", "consensus"]
    for whose in ("all", "consensus"):
        before = pd.concat(build_dataset(project, DatasetSpec(whose=whose)).chunks, ignore_index=True)
        after = pd.concat(build_dataset(fresh, DatasetSpec(whose=whose)).chunks, ignore_index=True)
        pd.testing.assert_frame_equal(before, after)
    # Importing the same file again changes nothing.
    again = import_qdpx(fresh, tmp_path / "p.qdpx", include_consensus=True)
    assert again.documents.unchanged == ["doc1", "doc2"]
    fresh.close()


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="nvivo">
  <Users><User guid="11111111-1111-1111-1111-111111111111" name="Nadia"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-2222-2222-2222-222222222222" name="border control" isCodable="true"/>
    <Code guid="33333333-3333-3333-3333-333333333333" name="Gender" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="44444444-4444-4444-4444-444444444444" name="speech.txt">
      <PlainTextContent>First paragraph
wrapped.

Second paragraph.

Third.</PlainTextContent>
      <PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="20" endPosition="40"
          creatingUser="11111111-1111-1111-1111-111111111111">
        <Coding guid="66666666-6666-6666-6666-666666666666"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding>
        <Coding guid="77777777-7777-7777-7777-777777777777"><CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def make_qdpx(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_foreign_selection_codes_every_paragraph_it_covers(project: Project, tmp_path: Path) -> None:
    foreign = FOREIGN.replace("</Sources>", '<PDFSource guid="12121212-1212-1212-1212-121212121212" name="scan.pdf"/>'
                                            "</Sources>")
    archive = make_qdpx(tmp_path / "nvivo.qdpx", {"project.qde": foreign})
    report = import_qdpx(project, archive)
    assert report.other_sources == ["scan.pdf"]
    assert project.paragraphs("speech.txt")[0].text == "First paragraph wrapped."
    # 20-40 reaches from the end of paragraph 1 into paragraph 2.
    for position in (1, 2):
        assert project.codings(f"speech.txt:{position}", "Nadia") == {"border_control": 1}
        assert project.status(f"speech.txt:{position}", "Nadia").status == "done"
    assert project.status("speech.txt:3", "Nadia").status is None
    assert report.unknown_codes == ["Gender"]


def test_ids_made_from_names() -> None:
    from store.codebook.from_refi import slug

    assert slug("Gender & women") == "gender_women"
    assert slug("Désarmement (DDR)") == "desarmement_ddr"
    assert slug("1540 Committee") == "c_1540_committee"
    assert slug("Text") == "text_code"  # `text` is an export column


def test_paragraph_spans_point_into_the_text() -> None:
    text = "  One\nline.\n\n\n Two. \n \nThree"
    spans = paragraph_spans(text)
    assert [s[0] for s in spans] == ["One line.", "Two.", "Three"]
    assert [text[s[1]:s[2]] for s in spans] == ["One\nline.", "Two.", "Three"]


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil", "sources/../../evil", "C:/evil", "a\\..\\evil"])
def test_archive_members_leaving_the_folder_are_refused(tmp_path: Path, member: str) -> None:
    archive = make_qdpx(tmp_path / "bad.qdpx", {"project.qde": FOREIGN, member: "x"})
    with pytest.raises(RefiError, match="leave the archive's folder"):
        read_qdpx(archive)


def test_source_paths_leaving_the_archive_are_refused(tmp_path: Path) -> None:
    for reference, message in (("internal://../../etc/passwd", "leave the archive"),
                               ("file:///etc/passwd", "outside the archive"),
                               ("relative://notes.txt", "outside the archive")):
        text = FOREIGN.replace('name="speech.txt">', f'name="speech.txt" plainTextPath="{reference}">')
        text = re.sub(r"<PlainTextContent>.*</PlainTextContent>", "", text, flags=re.S)
        archive = make_qdpx(tmp_path / "bad.qdpx", {"project.qde": text})
        with pytest.raises(RefiError, match=message):
            read_qdpx(archive)


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    hostile = FOREIGN.replace('<?xml version="1.0" encoding="utf-8"?>',
                              f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>')
    hostile = hostile.replace("Third.", "Third &x;")
    archive = make_qdpx(tmp_path / "xxe.qdpx", {"project.qde": hostile})
    with pytest.raises(RefiError, match="DTD"):
        read_qdpx(archive)
    (tmp_path / "x.qdc").write_text('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(RefiError, match="DTD"):
        read_qdc(tmp_path / "x.qdc")


def test_not_a_zip_and_no_project_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "x.qdpx").write_text("hello")
    with pytest.raises(RefiError, match="is not a REFI-QDA project"):
        read_qdpx(tmp_path / "x.qdpx")
    with pytest.raises(RefiError, match=r"no project\.qde"):
        read_qdpx(make_qdpx(tmp_path / "y.qdpx", {"other.txt": "x"}))


def test_codebook_from_qdc_keeps_ids_levels_and_adds_new_codes(project: Project, tmp_path: Path) -> None:
    write_qdc(project, tmp_path / "c.qdc")
    text = (tmp_path / "c.qdc").read_text().replace(
        "</Codes>", '<Code guid="88888888-8888-8888-8888-888888888888" name="Gender &amp; women" isCodable="true">'
                    "<Description>Women's participation.</Description></Code></Codes>")
    (tmp_path / "c.qdc").write_text(text)
    codebook = codebook_from_refi(tmp_path / "c.qdc", small_codebook())
    assert [c.id for c in codebook.walk()] == ["border_control", "wmd", "nuclear", "gender_women", "stance"]
    stance = codebook.by_id()["stance"]
    assert stance.kind == "single" and [lv.value for lv in stance.levels] == ["support", "oppose"]
    assert codebook.by_id()["border_control"].key == "b"  # kept from the current codebook
    assert codebook.by_id()["gender_women"].definition == "Women's participation."
    change = project.apply_codebook(codebook)
    assert change.added == ["gender_women"]
    assert "gender_women" in codebook.source and "Accord code" not in codebook.source


def test_large_corpus_streams_through_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exports.refi

    monkeypatch.setattr(exports.refi, "CHUNK_PARAGRAPHS", 3)
    project = Project.create(tmp_path / "p.db", small_codebook())
    project.import_documents(documents(4, 5, 1))
    for pid in ("doc1:4", "doc2:1", "doc2:5", "doc3:1"):
        project.set_coding(pid, "ana", "border_control", 1)
        project.set_status(pid, "ana", "done")
    write_qdpx(project, tmp_path / "p.qdpx")
    fresh = Project.create(tmp_path / "fresh.db", small_codebook())
    import_qdpx(fresh, tmp_path / "p.qdpx", include_consensus=True)
    for pid in ("doc1:4", "doc2:1", "doc2:5", "doc3:1"):
        assert fresh.codings(pid, "ana") == {"border_control": 1}
    assert fresh.progress("ana").done == 4


def test_guids_are_uuid5_of_the_project() -> None:
    import uuid

    from store.intake.refi import guid

    project_id = str(uuid.uuid4())
    assert guid(project_id, "code", "wmd") == str(uuid.uuid5(uuid.UUID(project_id), "code\x1fwmd"))
    assert guid(project_id, "user", "Ünï") == str(uuid.uuid5(uuid.UUID(project_id), "user\x1fÜnï"))


def test_documents_whose_text_differs_keep_their_codings_out(project: Project, tmp_path: Path) -> None:
    from store.intake.source import SourceDocument

    code_two_coders(project)
    write_qdpx(project, tmp_path / "p.qdpx")
    other = Project.create(tmp_path / "other.db", small_codebook())
    other.import_documents([SourceDocument("doc1", ["A different first paragraph.", "And a second."])])
    report = import_qdpx(other, tmp_path / "p.qdpx", include_consensus=True)
    assert report.documents.changed == ["doc1"] and report.skipped_documents == ["doc1"]
    assert other.codings("doc1:1", "alice") == {}  # not mapped onto text it was not made for
    assert other.codings("doc2:1", "alice") == {"wmd": 1, "nuclear": 1}
    other.close()


def test_document_metadata_travels_with_its_types(tmp_path: Path) -> None:
    from store.intake.source import SourceDocument

    project = Project.create(tmp_path / "p.db", small_codebook())
    project.import_documents([
        SourceDocument("a", ["One."], speaker="Ms. A", country="Chile", date="2024-01-02",
                       meta={"meeting": "S/PV.9521", "year": 2024, "share": 0.00001, "vetoed": False}),
        SourceDocument("b", ["Two."], meta={"year": 2023, "share": 2}),
    ])
    project.set_status("a:1", "ana", "done")
    write_qdpx(project, tmp_path / "p.qdpx")
    root = qde(tmp_path / "p.qdpx")
    assert schema("Project.xsd").validate(root)
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert kinds == {"title": "Text", "speaker": "Text", "country": "Text", "date": "Text", "meeting": "Text",
                     "year": "Integer", "share": "Float", "vetoed": "Boolean"}
    fresh = Project.create(tmp_path / "fresh.db", small_codebook())
    import_qdpx(fresh, tmp_path / "p.qdpx", include_consensus=True)
    a = fresh.document("a")
    assert (a.speaker, a.country, a.date) == ("Ms. A", "Chile", "2024-01-02")
    import json

    assert json.loads(a.meta) == {"meeting": "S/PV.9521", "year": 2024, "share": 0.00001, "vetoed": False}
    assert json.loads(fresh.document("b").meta) == {"year": 2023, "share": 2.0}
    project.close()
    fresh.close()
