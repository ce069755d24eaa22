"""A large codebook, the same every time: parents of ten codes each, two variables, no `key:`.

Like a codebook brought over from MAXQDA or ATLAS.ti (hundreds of codes in a hierarchy, keys
nowhere): the coding screen's picker and folding, and `accord codebook keys`, are measured and
tested on it. `big_codebook_yaml(300)` is YAML text, so that it goes through the real parser.
"""

from __future__ import annotations

from store import Codebook, parse_codebook

THEMES = (
    "border", "stockpile", "brokering", "marking", "tracing", "export", "embargo", "sanctions", "gender",
    "children", "terrorism", "disarmament", "reintegration", "nuclear", "chemical", "biological", "delivery",
    "peacekeeping", "civilians", "legislation", "capacity", "cooperation", "assistance", "register",
    "treaty", "programme", "regional", "transparency", "verification", "destruction",
)
ASPECTS = (
    "policy", "practice", "funding", "training", "reporting", "oversight", "risks", "incidents", "partners",
    "outcomes", "gaps", "priorities", "records", "standards", "tools", "review", "support", "capacity",
    "awareness", "evidence",
)


def big_codebook_yaml(codes: int = 300, per_parent: int = 10) -> str:
    """YAML of a codebook with `codes` codes: parents (one per `per_parent` codes, counted
    among them) with their sub-codes, then a single and an ordinal variable."""
    lines = ["codebook: A large codebook", 'version: "1"', "codes:"]
    made = 0
    parent = 0
    while made < codes:
        theme = THEMES[parent % len(THEMES)]
        round_ = parent // len(THEMES)
        suffix = f"_{round_}" if round_ else ""
        parent_id = f"{theme}{suffix}"
        lines += [f"  - id: {parent_id}", f"    label: {theme.capitalize()}{f' {round_}' if round_ else ''}",
                  f"    definition: Statements about {theme}.", f"    keywords: [{theme}]"]
        made += 1
        children = min(per_parent - 1, codes - made)
        if children:
            lines.append("    children:")
        for child in range(children):
            aspect = ASPECTS[child % len(ASPECTS)]
            lines += [f"      - id: {parent_id}_{aspect}", f"        label: {theme.capitalize()} {aspect}",
                      f"        definition: The {aspect} of {theme}.", f"        keywords: [{aspect}]"]
            made += 1
        parent += 1
    lines += [
        "variables:",
        "  - id: stance", "    label: Stance", "    kind: single", "    levels:",
        "      - {value: support, label: Supports}", "      - {value: oppose, label: Opposes}",
        "  - id: tone", "    label: Tone", "    kind: ordinal", "    levels:",
        "      - {value: calm, label: Calm}", "      - {value: firm, label: Firm}", "      - {value: alarmed, label: Alarmed}",
    ]
    return "\n".join(lines) + "\n"


def big_codebook(codes: int = 300) -> Codebook:
    """The codebook of `big_codebook_yaml(codes)`, parsed."""
    return parse_codebook(big_codebook_yaml(codes), f"big-codebook-{codes}.yaml")
