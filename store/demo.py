"""The demo project: ten statements written for Accord, already coded by two demo coders.

`build_demo` makes a project that shows every part of Accord at once: the shipped codebook,
the demo statements imported through the ordinary importer, and the work of two demo coders
("amina" and "ben") who overlap on most paragraphs and disagree on some, so that agreement and
adjudication have something to show. The codings are simulated from keyword evidence with a
fixed seed: the same demo on every machine.
"""

from __future__ import annotations

import os
import random
import re
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from store.codebook_model import Code, Codebook
from store.errors import AccordError
from store.models import Paragraph
from store.project import Project
from store.records import SourceDocument

DEMO_FILE = "accord-demo.db"
"""The demo project's file name inside the chosen directory."""

DEMO_PACKAGE_DIR = ("data", "demo")
"""Where the demo statements live inside the `store` package (shipped as package data)."""

SEED = 1540
"""Fixed seed of the simulated coders: the same demo everywhere."""

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


@dataclass(frozen=True)
class DemoCoder:
    """How one simulated coder works: how much they do and how often they slip."""

    name: str
    share_done: float
    """Share of the corpus, from the start, this coder has worked through."""
    left_out: int
    """Paragraphs inside that share the coder has not done (skipped or not reached)."""
    miss: float
    """Chance of overlooking a code the text supports."""
    extra: float
    """Chance, per paragraph, of applying one code the text does not support."""
    level_slip: float
    """Chance of putting a variable one level off (or, for a nominal one, on another level)."""


DEMO_CODERS = (
    DemoCoder("amina", share_done=1.0, left_out=3, miss=0.08, extra=0.06, level_slip=0.12),
    DemoCoder("ben", share_done=0.72, left_out=1, miss=0.2, extra=0.15, level_slip=0.25),
)


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
    building = directory / f".{DEMO_FILE}.building-{os.getpid()}"
    _remove_database(building)
    try:
        _build(building)
        _remove_database(path)
        os.replace(building, path)
    finally:
        _remove_database(building)
    return path


def _remove_database(path: Path) -> None:
    """Delete a SQLite file with its WAL and shared-memory files (a stale WAL would corrupt a new file)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build(path: Path) -> None:
    from store.codebook import default_codebook_path, load_codebook

    codebook = load_codebook(default_codebook_path())
    with Project.create(path, codebook) as project:
        project.import_documents(demo_documents())
        simulate_coders(project, codebook)


def demo_documents() -> list[SourceDocument]:
    """The demo statements read and segmented by the ordinary importer, with their meetings."""
    from store.readers import read_paths

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


# -- the simulated coders ---------------------------------------------------------------------


def simulate_coders(project: Project, codebook: Codebook, seed: int = SEED) -> None:
    """Code the project as the demo coders would: from keyword evidence, with seeded slips.

    Each coder works through the corpus in order up to their share, leaves a few paragraphs
    undone, overlooks some codes, adds a stray one now and then, and sets every variable.
    Written through the Project API in one transaction (one commit, not thousands).
    """
    rng = random.Random(seed)
    codes = [c for c in codebook.walk() if c.kind == "code" and not c.retired]
    variables = [c for c in codebook.variables if not c.retired]
    patterns = {code.id: _evidence_pattern(code) for code in codes}
    paragraphs = project.paragraphs()
    with project.db.atomic():
        for coder in DEMO_CODERS:
            project.coder(coder.name)
            reached = paragraphs[: round(len(paragraphs) * coder.share_done)]
            # Never the first paragraph: the demo should open on work already done.
            left_out = set(rng.sample(range(1, len(reached)), min(coder.left_out, len(reached) - 1)))
            for index, paragraph in enumerate(reached):
                if index in left_out:
                    continue
                evident = [c.id for c in codes if patterns[c.id] and patterns[c.id].search(paragraph.text)]
                applied = [code for code in evident if rng.random() >= coder.miss]
                if rng.random() < coder.extra:
                    applied.append(rng.choice(codes).id)
                for code_id in dict.fromkeys(applied):
                    project.set_coding(paragraph.id, coder.name, code_id, 1)
                for variable in variables:
                    level = _variable_level(variable, paragraph.text, len(evident), rng, coder.level_slip)
                    if level is not None:
                        project.set_coding(paragraph.id, coder.name, variable.id, level)
                project.set_status(paragraph.id, coder.name, "done")
            if reached:
                project.set_last_paragraph(coder.name, reached[-1].id)
        _notes_and_flags(project, paragraphs)


def _notes_and_flags(project: Project, paragraphs: list[Paragraph]) -> None:
    """A couple of notes and a flag, as a real pair of coders leaves them."""
    by_id = {p.id: p for p in paragraphs}
    remarks = [
        ("amina", "05_russia:3", "note", "Ukraine transfers: arms trade or illicit trafficking? Coded both."),
        ("amina", "07_kenya:2", "note", "Ammunition depots count as stockpile security (codebook example)."),
        ("ben", "05_russia:3", "flag", "Diversion claim: discuss whether this is illicit trafficking."),
        ("ben", "06_france:3", "note", "Accountability for chemical attacks: sanctions too, or only chemical?"),
    ]
    for coder, paragraph_id, kind, text in remarks:
        if paragraph_id not in by_id:
            continue
        if kind == "flag":
            project.set_flag(paragraph_id, coder, True)
        project.set_note(paragraph_id, coder, text)


def _evidence_pattern(code: Code) -> re.Pattern[str] | None:
    """A regex for a code's keyword hints: whole words, stems of 5+ letters match longer words,
    acronyms (all capitals) match only in capitals."""
    alternatives = []
    for keyword in code.keywords or (code.label,):
        word = re.escape(keyword.strip())
        if not word:
            continue
        tail = r"\w*" if len(keyword) >= 5 else r"\b"
        alternatives.append(("" if keyword.isupper() else "(?i:") + rf"\b{word}{tail}" + ("" if keyword.isupper() else ")"))
    return re.compile("|".join(alternatives)) if alternatives else None


STANCE_CUES = (
    ("oppos", re.compile(r"\bno need\b|\bnot the answer\b|\bimpose additional burdens\b", re.I)),
    ("condition", re.compile(r"\bat the same time\b|\bmust not become\b|\bwithin our capabilities\b", re.I)),
    ("support", re.compile(r"\blegally binding\b|\bbinding (rules|obligations|norms)\b|\bState party\b", re.I)),
)
"""Cues of a speaker's stance toward binding instruments, strongest first, matched to levels
whose value or label starts with the same stem."""


def _variable_level(variable: Code, text: str, evidence: int, rng: random.Random, slip: float) -> str | None:
    """The level a demo coder picks: salience-like ordinal variables from the amount of
    evidence, stance-like nominal ones from cues in the text; sometimes one level off."""
    values = [level.value for level in variable.levels]
    if not values:
        return None
    if variable.kind == "ordinal":
        index = min(len(values) - 1, round(min(evidence, 3) / 3 * (len(values) - 1)))
        if rng.random() < slip:
            index = max(0, min(len(values) - 1, index + rng.choice((-1, 1))))
        return values[index]
    chosen = _stance_level(variable, text)
    if chosen is None:
        return None
    if rng.random() < slip:
        return rng.choice(values)
    return chosen


def _stance_level(variable: Code, text: str) -> str | None:
    def level_for(stem: str) -> str | None:
        for level in variable.levels:
            if level.value.lower().startswith(stem) or level.label.lower().startswith(stem):
                return level.value
        return None

    for stem, cue in STANCE_CUES:
        if cue.search(text) and (level := level_for(stem)):
            return level
    return level_for("not") or level_for("none")
