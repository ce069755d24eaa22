"""The benchmark corpus generator: realistic PDF artefacts, recoverable paragraphs, chosen agreement."""

from __future__ import annotations

import random
import re
from pathlib import Path

import krippendorff
import numpy as np

from benchmarks.synthetic import add_codings, documents, pdf_text, speeches, write_corpus
from store import Project
from tests.helpers import small_codebook


def test_pdf_text_carries_the_artefacts_of_verbatim_records() -> None:
    rng = random.Random(3)
    texts = [pdf_text(speech, rng) for speech in speeches(3000)]
    joined = "\n".join(texts)
    assert re.search(r"^S/PV\.\d{4} .+ \d\d/\d\d/\d{4}$", joined, re.M)  # header, title, date
    assert re.search(r"^\d\d-\d{5} \d+/\d+$", joined, re.M)  # job number, page counter
    assert "\f" in joined
    assert re.search(r"\w-\n\w", joined)  # a compound word split at its hyphen
    assert max(len(line) for line in joined.splitlines()) <= 80
    # Page breaks cut paragraphs mid-sentence: the line before a footer often runs on.
    before_footer = re.findall(r"([^\n]+)\n\n\d\d-\d{5} \d+/\d+\n", joined)
    assert any(not line.endswith((".", "?")) for line in before_footer)
    assert all(re.match(r"Mr\. [^:]+\s\([^:]+\):\s", text) for text in texts)


def test_corpus_files_hold_every_paragraph(tmp_path: Path) -> None:
    written = write_corpus(tmp_path, 1200)
    files = sorted(tmp_path.rglob("*.txt"))
    assert len(files) == len(written) and sum(len(s.paragraphs) for s in written) == 1200
    text = files[5].read_text()
    for paragraph in written[5].paragraphs:
        assert paragraph.split()[-1] in text


def test_codings_reach_the_chosen_agreement(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        project.import_documents(documents(3000))
        add_codings(project, ["a", "b", "c"], alpha=0.6, prevalence=0.3, seed=2)
        ids = [p.id for p in project.paragraphs()]
        for code in ("border_control", "wmd"):
            applied = set(project.db.execute(
                "select coder_id, paragraph_id from codings where code_id = ? and value = 1", [code]).fetchall())
            data = np.array([[(coder, pid) in applied for pid in ids] for coder in "abc"], dtype=float)
            alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            assert abs(alpha - 0.6) < 0.05, (code, alpha)
        assert project.progress("a").done == 3000


def test_documents_spread_evenly_when_asked() -> None:
    docs = list(documents(1000, 20))
    assert sum(len(d.paragraphs) for d in docs) == 1000
    assert len({d.id for d in docs}) == len(docs)
    assert len({p for d in docs for p in d.paragraphs}) == 1000  # no two paragraphs alike


def test_importing_the_generated_files_recovers_every_paragraph(tmp_path: Path) -> None:
    """The generator and the importer agree: page artefacts dropped, broken paragraphs healed,
    speaker and country read from the label (UN names like `Bolivia (Plurinational State of)`)."""
    from store.intake.readers import read_paths

    written = write_corpus(tmp_path / "corpus", 3000, seed=5)
    found, problems = read_paths([tmp_path / "corpus"])
    assert problems == []
    by_id = {doc.id.rsplit("/", 1)[-1]: doc for doc in found}
    assert len(by_id) == len(written)
    for speech in written:
        doc = by_id[speech.id]
        assert (doc.speaker, doc.country) == (speech.speaker, speech.country), speech.id
        assert doc.paragraphs == speech.paragraphs, speech.id


def test_parallel_reading_gives_the_same_documents_in_order(tmp_path: Path, monkeypatch) -> None:
    import store.intake.readers
    from store.intake.readers import find_files, read_files

    write_corpus(tmp_path / "corpus", 600, seed=2)
    (tmp_path / "corpus" / "bad.txt").write_bytes(b"\x00\x01binary")
    files, _ = find_files([tmp_path / "corpus"])
    sequential = list(read_files(files, workers=1))
    monkeypatch.setattr(store.intake.readers, "PARALLEL_FROM", 2)
    # Small tasks and a short read-ahead: the workers wait for the caller, results stay in order.
    monkeypatch.setattr(store.intake.readers, "CHUNK", 3)
    monkeypatch.setattr(store.intake.readers, "AHEAD", 1)
    monkeypatch.setattr(store.intake.readers, "READ_AHEAD", 1)  # and no more once counted
    parallel = list(read_files(files, workers=2))
    assert parallel == sequential
    assert any(problems for _, problems in parallel)
