"""How fast `accord import` reads, segments and stores a corpus of PDF-like text files.

Run: python -m benchmarks.import_files [FILES] [PARAGRAPHS_PER_FILE]

Writes FILES statements wrapped at 55 characters with page headers every 40 lines (as text
extracted from UN records looks), then times, side by side on the same files: only decoding
them, reading and segmenting them (store.intake.readers.read_paths), and importing the documents into
a new project; then `accord status` on that project.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.synthetic import documents
from store import Project
from store.intake.decoding import decode
from store.intake.readers import read_paths
from tests.helpers import small_codebook


def write_corpus(folder: Path, files: int, per_file: int) -> int:
    """Statements as PDF text: a speaker label, wrapped paragraphs, running heads; returns lines."""
    total = 0
    for number, document in enumerate(documents(files * per_file, files)):
        lines = []
        for i, paragraph in enumerate(document.paragraphs):
            text = f"{document.speaker} ({document.country}): {paragraph}" if i == 0 else paragraph
            lines.extend(textwrap.wrap(text, 55))
            lines.append("")
        paged = []
        for start in range(0, len(lines), 40):
            paged.extend(lines[start:start + 40])
            paged.extend(["", f"17-{44000 + number:05d}", "", "S/PV.8140 Small arms 18/12/2017", ""])
        (folder / f"{document.id}.txt").write_text("\n".join(paged), encoding="utf-8")
        total += len(paged)
    return total


def timed(label: str, work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<36}{seconds:8.2f} s")
    return seconds


def main(files: int = 2000, per_file: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        lines = write_corpus(folder, files, per_file)
        print(f"{files:,} files, {files * per_file:,} paragraphs, {lines:,} lines")
        paths = sorted(folder.iterdir())
        decoding = timed("decode only", lambda: [decode(p.read_bytes()) for p in paths])
        result: dict[str, object] = {}
        reading = timed("read + segment (read_paths)", lambda: result.update(read=read_paths([folder])))
        read_documents, problems = result["read"]  # type: ignore[misc]
        assert not problems and sum(len(d.paragraphs) for d in read_documents) == files * per_file
        project = Project.create(Path(tmp) / "accord.db", small_codebook())
        storing = timed("import into the project", lambda: project.import_documents(read_documents))
        again = timed("re-import, all unchanged", lambda: project.import_documents(read_documents))
        project.close()
        from click.testing import CliRunner

        from tui.cli import main as accord

        timed("accord status", lambda: CliRunner().invoke(accord, ["--project", str(Path(tmp) / "accord.db"), "status"]))
        print(f"segmenting costs {reading / decoding:.1f}x decoding; import {storing:.2f} s, "
              f"re-import {again:.2f} s; {files / (reading + storing):,.0f} files/s end to end")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
