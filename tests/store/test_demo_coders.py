"""How the simulated demo coders read a paragraph: keyword evidence as the codebook's rules want it."""

from __future__ import annotations

from store import Code
from store.demo_coders import _keyword_patterns, evidence

CODES = [
    Code(id="stockpile_security", label="Stockpiles", keywords=("stockpile", "destruction")),
    Code(id="illicit_trafficking", label="Illicit", keywords=("proliferation", "illicit")),
    Code(id="instruments", label="Instruments", keywords=("ATT", "resolution 1540")),
    Code(id="wmd", label="WMD", keywords=("weapons of mass destruction", "non-proliferation")),
    Code(id="nuclear", label="Nuclear", keywords=("nuclear",), parent_id="wmd"),
    Code(id="chemical", label="Chemical", keywords=("chemical",), parent_id="wmd"),
    Code(id="biological", label="Biological", keywords=("biological",), parent_id="wmd"),
]
HINTS = _keyword_patterns(CODES)
PARENTS = {c.id: c.parent_id for c in CODES if c.parent_id}


def found(text: str) -> list[str]:
    return evidence(text, HINTS, PARENTS)


def test_the_longest_keyword_wins_where_keywords_overlap() -> None:
    assert found("the spread of weapons of mass destruction") == ["wmd"]
    assert found("the destruction of surplus stocks") == ["stockpile_security"]
    assert found("the non-proliferation regime") == ["wmd"]
    assert found("illicit proliferation") == ["illicit_trafficking", "illicit_trafficking"]


def test_keywords_match_whole_words_and_acronyms_only_in_capitals() -> None:
    assert found("a nuclear-weapon-free zone and the ATT") == ["nuclear", "instruments"]
    assert found("an attack on the stockpiles") == []
    assert found("Resolution 1540 obliges States") == ["instruments"]


def test_sub_codes_named_together_count_as_their_parent() -> None:
    formula = "non-State actors acquiring nuclear, chemical or biological weapons"
    assert found(formula) == ["wmd", "wmd", "wmd"]
    apart = "nuclear tests. " + "x" * 200 + " chemical attacks. " + "y" * 200 + " biological agents"
    assert found(apart) == ["nuclear", "chemical", "biological"]
    assert found("nuclear and chemical weapons") == ["nuclear", "chemical"]
