"""The demo project: ten statements written for Accord, already coded by two demo coders.

`build_demo` makes a project that shows every part of Accord at once: the shipped codebook,
the demo statements imported through the ordinary importer, and the work of two demo coders
("amina" and "ben") who overlap on most paragraphs and disagree on some, so that agreement and
adjudication have something to show. The codings are simulated from keyword evidence with a
fixed seed: the same demo on every machine.
"""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from store.errors import AccordError
from store.project import Project
from store.intake.source import SourceDocument

DEMO_FILE = "accord-demo.db"
"""The demo project's file name inside the chosen directory."""

DEMO_PACKAGE_DIR = ("data", "demo")
"""Where the demo statements live inside the `store` package (shipped as package data)."""

MEETINGS = {
    "01_peru": ("S/PV.9521", "Small arms", "2024-02-13"),
    "02_nigeria": ("S/PV.9521", "Small arms", "2024-02-13"),
    "03_denmark": ("S/PV.9521", "Small arms", "2024-02-13"),
    "04_japan": ("S/PV.9547", "Non-proliferation", "2024-03-04"),
    "05_russia": ("S/PV.9602", "Small arms", "2024-05-14"),
    "06_france": ("S/PV.9568", "Non-proliferation", "2024-03-21"),
    "07_kenya": ("S/PV.9602", "Small arms", "2024-05-14"),
    "08_jordan": ("S/PV.9547", "Non-proliferation", "2024-03-04"),
    "09_mexico": ("S/PV.9602", "Small arms", "2024-05-14"),
    "10_china": ("S/PV.9547", "Non-proliferation", "2024-03-04"),
}
"""The (fictional) meeting each demo statement belongs to: symbol, short title, date."""


def demo_texts() -> dict[str, bytes]:
    """The shipped demo statements, file name -> raw bytes, in corpus order.

    Read through importlib.resources so that it works from a wheel as well as a checkout.
    """
    folder = resources.files("store").joinpath(*DEMO_PACKAGE_DIR)
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".txt")
    }


def build_demo(directory: Path, fresh: bool = False) -> Path:
    """Create the demo project in `directory` (or keep the one there), and return its path.

    An existing demo is reopened as it is, with whatever the user coded in it, unless `fresh`,
    which replaces it with a new one. The new project is built beside the old under a temporary
    name and renamed into place, so an interrupted build never leaves half a demo behind.

    Raises:
        ProjectError: an existing file at the demo's path is not an Accord project.
    """
    directory = Path(directory).expanduser()
    path = directory / DEMO_FILE
    if path.exists() and not fresh:
        Project.open(path).close()  # proves it is a project this Accord reads
        return path
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AccordError(f"cannot create the demo folder {directory}: {error.strerror}") from error
    _remove_stale_builds(directory)
    building = directory / f".{DEMO_FILE}.building-{os.getpid()}"
    _remove_database(building)
    try:
        _build(building)
        _remove_database(path)
        os.replace(building, path)
    finally:
        _remove_database(building)
    return path


STALE_BUILD_SECONDS = 600
"""A build takes seconds; a temporary file this old was left by a build that was killed."""


def _remove_stale_builds(directory: Path) -> None:
    for leftover in directory.glob(f".{DEMO_FILE}.building-*"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_BUILD_SECONDS:
                leftover.unlink()
        except OSError:  # another build removed it first, or it is not ours to remove
            pass


def _remove_database(path: Path) -> None:
    """Delete a SQLite file with its WAL and shared-memory files (a stale WAL would corrupt a new file)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build(path: Path) -> None:
    from store.codebook.parser import default_codebook_path, load_codebook
    from store.demo_coders import simulate_coders

    codebook = load_codebook(default_codebook_path())
    with Project.create(path, codebook) as project:
        project.import_documents(demo_documents())
        simulate_coders(project, codebook)


def demo_documents() -> list[SourceDocument]:
    """The demo statements read and segmented by the ordinary importer, with their meetings."""
    from store.intake.readers import read_paths

    folder = resources.files("store").joinpath(*DEMO_PACKAGE_DIR)
    with ExitStack() as stack:
        paths = [
            stack.enter_context(resources.as_file(folder.joinpath(name))) for name in demo_texts()
        ]
        documents, problems = read_paths(paths)
    if problems:
        raise AccordError(f"the demo statements shipped with Accord cannot be read: {problems[0]}")
    for document in documents:
        document.source = f"accord demo: {document.id}.txt"
        if document.id in MEETINGS:
            symbol, short_title, date = MEETINGS[document.id]
            document.title = f"{short_title} ({symbol})"
            document.date = date
            document.meta = {**document.meta, "meeting": symbol}
    return documents
