"""Two simulated coders for the demo project: plausible work, seeded, with honest disagreement.

They follow the codebook's instructions the way a careful but human coder does: a code for each
topic its keywords point to (the longest keyword wins, so "weapons of mass destruction" is WMD,
not stockpile destruction), the variables on every coded paragraph, a few codes overlooked, a
stray one now and then, a level off here and there. A fixed seed makes the demo the same on
every machine.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from store.codebook.model import Code, Codebook
from store.rows import Paragraph
from store.project import Project

SEED = 1540
"""Fixed seed of the simulated coders."""


@dataclass(frozen=True)
class DemoCoder:
    """How one simulated coder works: how much they do and how often they slip."""

    name: str
    share_done: float
    """Share of the corpus, from the start, this coder has worked through."""
    left_out: int
    """Paragraphs inside that share the coder has not done (to come back to later)."""
    miss: float
    """Chance of overlooking a code whose keywords occur once (squared for twice, and so on)."""
    extra: float
    """Chance, per paragraph, of applying one code the text does not support."""
    level_slip: float
    """Chance of putting a variable one level off (a nominal one: on another level)."""


DEMO_CODERS = (
    DemoCoder("amina", share_done=1.0, left_out=3, miss=0.1, extra=0.06, level_slip=0.12),
    DemoCoder("ben", share_done=0.72, left_out=1, miss=0.25, extra=0.15, level_slip=0.25),
)

REMARKS = (
    ("amina", "05_russia:3", False, "Transfers to Ukraine: arms trade or illicit trafficking? Coded what the text says."),
    ("amina", "07_kenya:2", False, "Ammunition depots: stockpile security (see the codebook's include rules)."),
    ("ben", "05_russia:3", True, "Diversion claim about another State's exports: illicit trafficking? Discuss."),
    ("ben", "06_france:3", False, "Accountability for chemical attacks: sanctions too, or only chemical?"),
)
"""(coder, paragraph, flag it, note): what a real pair of coders leaves for adjudication."""

STANCE_CUES = (
    ("opposes", re.compile(r"\bno need\b|\bimpose additional burdens\b", re.I)),
    ("conditional", re.compile(r"\bat the same time\b|\bmust not become\b|\bprovided\b", re.I)),
    ("supports", re.compile(r"\blegally binding (?:rules|norms|obligations|instrument)|\bState party\b"
                            r"|\bfirm supporter\b|\bratif", re.I)),
)
"""Cues of the speaker's own stance toward binding instruments, strongest first (level value, cue)."""

STANCE_CONFUSIONS = {
    "supports": ("conditional", "not_stated"),
    "conditional": ("supports", "opposes", "not_stated"),
    "opposes": ("conditional", "not_stated"),
    "not_stated": ("supports", "conditional"),
}
"""The levels a coder mistakes a stance for: neighbours in meaning, never the opposite."""

FORMULA_SPAN = 120
"""Characters within which sub-codes named together form one formula ("nuclear, chemical or
biological weapons"): the codebook codes such a formula as the parent."""


def simulate_coders(project: Project, codebook: Codebook, seed: int = SEED) -> None:
    """Code `project` as the demo coders would, through the Project API, in one transaction.

    Each coder works through the corpus in order up to their share and leaves a few paragraphs
    undone; then the notes and the flag of REMARKS. One transaction: one commit, not thousands.
    """
    rng = random.Random(seed)
    codes = [c for c in codebook.walk() if c.kind == "code" and not c.retired]
    variables = [c for c in codebook.variables if not c.retired]
    hints = _keyword_patterns(codes)
    paragraphs = project.paragraphs()
    with project.transaction():
        for coder in DEMO_CODERS:
            project.coder(coder.name)
            reached = paragraphs[: round(len(paragraphs) * coder.share_done)]
            # Never the first paragraph (the demo opens on work already done), nor one with a
            # remark (flagged paragraphs are for adjudication, which needs both coders).
            remarked = {paragraph_id for _, paragraph_id, _, _ in REMARKS}
            candidates = [i for i, p in enumerate(reached) if i > 0 and p.id not in remarked]
            left_out = set(rng.sample(candidates, min(coder.left_out, len(candidates))))
            for index, paragraph in enumerate(reached):
                if index not in left_out:
                    _code_paragraph(project, coder, paragraph, codes, variables, hints, rng)
            if reached:
                project.set_last_paragraph(coder.name, reached[-1].id)
        known = {p.id for p in paragraphs}
        for name, paragraph_id, flag, note in REMARKS:
            if paragraph_id in known:
                if flag:
                    project.set_flag(paragraph_id, name, True)
                project.set_note(paragraph_id, name, note)


def _code_paragraph(project: Project, coder: DemoCoder, paragraph: Paragraph, codes: list[Code],
                    variables: list[Code], hints: list[tuple[re.Pattern[str], str]], rng: random.Random) -> None:
    found = evidence(paragraph.text, hints, {c.id: c.parent_id for c in codes if c.parent_id})
    # A passing mention is easy to overlook; a topic named three times is not.
    applied = [code for code in dict.fromkeys(found) if rng.random() >= coder.miss ** found.count(code)]
    if rng.random() < coder.extra:
        applied.append(rng.choice(codes).id)
    for code_id in dict.fromkeys(applied):
        project.set_coding(paragraph.id, coder.name, code_id, 1)
    if applied:  # the codebook: variables on every paragraph with a code, none on the others
        for variable in variables:
            level = _level(variable, paragraph.text, len(found), rng, coder.level_slip)
            if level is not None:
                project.set_coding(paragraph.id, coder.name, variable.id, level)
    project.set_status(paragraph.id, coder.name, "done")


def _keyword_patterns(codes: list[Code]) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, code id) for every keyword hint: whole words; acronyms only in capitals."""
    patterns = []
    for code in codes:
        for keyword in code.keywords:
            word = keyword.strip()
            if word:
                flags = 0 if word.isupper() else re.IGNORECASE
                patterns.append((re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags), code.id))
    return patterns


def evidence(text: str, hints: list[tuple[re.Pattern[str], str]], parents: dict[str, str]) -> list[str]:
    """The code of each keyword found in `text`, one entry per hit, in text order.

    Where keywords overlap, the longest wins: "non-proliferation" is not "proliferation".
    Three or more sub-codes of one parent named together count as the parent (`parents`:
    sub-code id -> parent id), as the codebook asks for "nuclear, chemical or biological weapons".
    """
    hits = [(m.start(), m.end(), code) for pattern, code in hints for m in pattern.finditer(text)]
    hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, code in hits:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, code))
    taken.sort()
    for index, (start, _, code) in enumerate(taken):
        parent = parents.get(code)
        if parent is None:
            continue
        together = [i for i in range(index, len(taken))
                    if taken[i][0] - start <= FORMULA_SPAN and parents.get(taken[i][2]) == parent]
        if len({taken[i][2] for i in together}) >= 3:
            for i in together:
                taken[i] = (taken[i][0], taken[i][1], parent)
    return [code for _, _, code in taken]


def _level(variable: Code, text: str, hits: int, rng: random.Random, slip: float) -> str | None:
    """The level a demo coder picks: an ordinal one (salience) from how much of the paragraph
    the coded topics fill, a nominal one (stance) from cues in the text; sometimes off."""
    values = [level.value for level in variable.levels]
    if not values:
        return None
    if variable.kind == "ordinal":
        index = min(len(values) - 1, hits // 3)
        if rng.random() < slip:
            index = max(0, min(len(values) - 1, index + rng.choice((-1, 1))))
        return values[index]
    chosen = next((value for value, cue in STANCE_CUES if value in values and cue.search(text)), None)
    chosen = chosen or next((v for v in values if v.startswith("not")), None)
    if chosen is not None and rng.random() < slip:
        mistaken = [v for v in STANCE_CONFUSIONS.get(chosen, values) if v in values and v != chosen]
        return rng.choice(mistaken) if mistaken else chosen
    return chosen
