"""`accord import` gives the same paragraphs as it always did: texts, boundaries, order, ids and
stored hashes, pinned in tests/data/import-golden.json.

A paragraph's hash identifies it across coders' files: a coder's file handed out before a
change to segmenting must still merge after it, so any change here is a change of behaviour,
to be made on purpose (regenerate with `python -m tests.tui.test_import_golden`, and say why).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmarks.synthetic import write_corpus
from store import Project
from tests.helpers import DATA, KAZAKHSTAN, small_codebook
from tui.cli import main

GOLDEN = DATA / "import-golden.json"
HASH_CHARS = 16
"""Of each paragraph's stored hash (which pins its text): 64 bits tell any change."""
SYNTHETIC_PARAGRAPHS = 3500
"""About 230 files: more than store.intake.readers.PARALLEL_FROM, so the reading workers run."""


def _corpora(root: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Each corpus pinned: (folder, extra `accord import` options)."""
    markdown = root / "markdown"
    markdown.mkdir()
    for path in sorted(KAZAKHSTAN.glob("*.txt")):
        shutil.copyfile(path, markdown / f"{path.stem}.md")
    synthetic = root / "synthetic"
    write_corpus(synthetic, SYNTHETIC_PARAGRAPHS)
    return {
        "kazakhstan": (KAZAKHSTAN, ()),
        "kazakhstan-split-speakers": (KAZAKHSTAN, ("--split-speakers",)),
        "kazakhstan-as-markdown": (markdown, ()),
        "synthetic-records": (synthetic, ()),
    }


def _imported(root: Path, folder: Path, options: tuple[str, ...]) -> dict[str, Any]:
    """What `accord import` stored: every document's fields and every paragraph's row."""
    db = root / f"{folder.name}{''.join(options)}.db"
    Project.create(db, small_codebook()).close()
    result = CliRunner().invoke(main, ["--project", str(db), "import", *options, str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as connection:
        documents = connection.execute(
            "select id, title, speaker, country, sha256 from documents order by position").fetchall()
        paragraphs = connection.execute(
            "select p.id, p.document_id, p.position, p.seq, p.text, p.sha256 from paragraphs p "
            "join documents d on d.id = p.document_id order by d.position, p.position").fetchall()
    hashes: dict[str, list[str]] = {document[0]: [] for document in documents}
    for seq, (pid, document, position, stored_seq, text, digest) in enumerate(paragraphs, start=1):
        assert digest == hashlib.sha256(text.encode("utf-8")).hexdigest()  # the stored hash is the text's
        assert (pid, position, stored_seq) == (f"{document}:{len(hashes[document]) + 1}", len(hashes[document]) + 1, seq)
        hashes[document].append(digest[:HASH_CHARS])
    return {"documents": [[*row, hashes[row[0]]] for row in documents]}


def _snapshot(root: Path) -> dict[str, Any]:
    return {name: _imported(root, folder, options) for name, (folder, options) in _corpora(root).items()}


@pytest.mark.parametrize("name", ["kazakhstan", "kazakhstan-split-speakers", "kazakhstan-as-markdown", "synthetic-records"])
def test_import_gives_the_pinned_paragraphs_and_hashes(tmp_path: Path, name: str) -> None:
    folder, options = _corpora(tmp_path)[name]
    got = _imported(tmp_path, folder, options)["documents"]
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]["documents"]
    assert [row[0] for row in got] == [row[0] for row in want]
    for document, pinned in zip(got, want, strict=True):
        assert document == pinned


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        pinned = json.dumps(_snapshot(Path(scratch)), ensure_ascii=False, separators=(",", ":"))
        GOLDEN.write_text(pinned.replace("]],[", "]],\n[") + "\n", encoding="utf-8")  # a document a line
    print(f"wrote {GOLDEN}")
