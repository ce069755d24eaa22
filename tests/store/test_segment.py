"""Segmentation of real UN Security Council records, of PDF-like page breaks, and of prose."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.intake.segment import segment, speaker_label
from tests.helpers import KAZAKHSTAN

EXPECTED_COUNTS = {
    "000_e1ec27461f4a9ba7.txt": {9},
    "001_d4ea41a10ebcdbe5.txt": {8},
    "002_b0601d0a2056250e.txt": {5, 6},
    "003_b358dbdd33e14572.txt": {8, 9},
    "004_ce1fb7fb2b5b11ec.txt": {10},
}


def statement(name: str) -> str:
    return (KAZAKHSTAN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_kazakhstan_statements_have_the_paragraphs_a_reader_counts(name: str) -> None:
    result = segment(statement(name))
    assert len(result.paragraphs) in EXPECTED_COUNTS[name]
    assert result.country == "Kazakhstan"
    assert all("\n" not in p and p == p.strip() for p in result.paragraphs)


def test_speakers_of_the_kazakhstan_statements() -> None:
    speakers = [segment(statement(name)).speaker for name in sorted(EXPECTED_COUNTS)]
    assert speakers == ["Mr. Abdrakhmanov", "Mr. Sadykov", "Ms. Alzhanova", "Mr. Sadykov", "Mr. Kazykhanov"]


def test_speaker_label_leaves_the_text_but_the_sentence_stays() -> None:
    first = segment(statement("001_d4ea41a10ebcdbe5.txt")).paragraphs[0]
    assert first.startswith("I thank the Under-Secretary-General and High Representative for Disarmament Affairs")
    assert "Sadykov" not in first


def test_paragraph_cut_by_a_page_break_is_healed_lowercase() -> None:
    paragraphs = segment(statement("002_b0601d0a2056250e.txt")).paragraphs
    assert paragraphs[0].startswith(
        "Let me start by expressing our gratitude to you, Sir, for convening this important debate "
        "on the problem of small arms. I would also like to commend Secretary-General Ban Ki-moon"
    )
    assert paragraphs[-1].startswith(
        "We express our hope that this open debate will significantly contribute to the productive work "
        "of the upcoming Third Biennial Meeting of States to consider the implementation of the Programme "
        "of Action to Prevent, Combat and Eradicate the Illicit Trade"
    )


def test_paragraph_cut_by_a_page_break_is_healed_even_before_a_capital() -> None:
    paragraphs = segment(statement("003_b358dbdd33e14572.txt")).paragraphs
    assert "Likewise, I offer our most sincere appreciation to the Chinese presidency for its very capable" in paragraphs[0]
    assert paragraphs[0].endswith("take the work of the Council forward.")


def test_short_last_line_ends_a_paragraph_without_blank_line() -> None:
    paragraphs = segment(statement("002_b0601d0a2056250e.txt")).paragraphs
    assert paragraphs[4].endswith("in order to reach consensus among Member States.")
    assert paragraphs[5].startswith("We express our hope")


def test_line_end_hyphen_is_kept_as_written() -> None:
    joined = " ".join(" ".join(segment(statement(name)).paragraphs) for name in EXPECTED_COUNTS)
    for word in ("post-conflict recovery", "Ban Ki-moon", "export-control programmes",
                 "well-coordinated law", "capacity-building between", "non-proliferation regime"):
        assert word in joined, word
    assert "post- conflict" not in joined and "postconflict" not in joined
    # A hyphen followed by a space inside a line is left alone too.
    assert "their weapon- storage sites" in joined


PAGED = """\
Mr. Nebenzia (Russian Federation) (spoke in Russian): We have listened carefully
to the briefing and would like to make three points about the situation in
the region, where the illicit flow of small arms and light weapons continues to
fuel the conflict and to undermine the work of the post-
17-44953                                                              9/31
S/PV.8140                     Small arms                        18/12/2017
conflict institutions that the Council has mandated. We call on all parties to
respect the arms embargo and to cooperate with the Panel of Experts on the
implementation of its mandate and the tracing of weapons found in the field.

The Council should also consider how its sanctions regimes can support the
efforts of the countries of the region to secure their stockpiles and to mark
and trace their weapons, as the Programme of Action and the International
Tracing Instrument provide, and how assistance can reach the
\f
18/12/2017                    Small arms                         S/PV.8140
10/31                                                             17-44953
United Nations Development Programme and other partners that help States to
manage their national arsenals. We stand ready to contribute to that work.
"""


def test_running_headers_and_footers_are_dropped_and_the_paragraph_healed() -> None:
    result = segment(PAGED)
    assert result.speaker == "Mr. Nebenzia"
    assert result.country == "Russian Federation"
    assert len(result.paragraphs) == 2
    first, second = result.paragraphs
    assert "undermine the work of the post-conflict institutions that the Council has mandated." in first
    assert "how assistance can reach the United Nations Development Programme and other partners" in second
    for header in ("S/PV.8140", "17-44953", "9/31", "10/31", "18/12/2017", "Small arms"):
        assert header not in first + second
    assert first.startswith("We have listened carefully to the briefing")


PDFTOTEXT_RAW = """\
The President: I thank the representative of Kazakhstan for his statement and I
now give the floor to the representative of France, who wishes to make a further
statement on the issue of the transfer of small arms to non-State actors in the
17-44953

S/PV.8140

Small arms

18/12/2017

9/31

region and on the role of the Register of Conventional Arms.

Mr. Delattre (France) (spoke in French): France supports the draft resolution.
It calls on States to strengthen their controls on the transfer of small arms
and light weapons, in particular on brokering and on end-use certificates.
"""


def test_header_pieces_on_lines_of_their_own_are_dropped() -> None:
    result = segment(PDFTOTEXT_RAW)
    assert result.speaker == "The President"
    assert result.country is None
    assert result.paragraphs[0].endswith(
        "to non-State actors in the region and on the role of the Register of Conventional Arms.")
    assert set(result.dropped) == {"17-44953", "S/PV.8140", "Small arms", "18/12/2017", "9/31"}
    # A later speaker's label opens a paragraph of its own and stays in its text.
    assert result.paragraphs[1].startswith("Mr. Delattre (France) (spoke in French): France supports")
    assert len(result.paragraphs) == 2


def test_long_meeting_titles_in_headers() -> None:
    body = "Peace and security in Africa: the threat that small arms pose\nto the States of the region, " * 4
    text = (body + "and to the\n\n"
            "18/12/2017   Non-proliferation/Democratic People's Republic of Korea: briefing   S/PV.8140\n\n"
            "Sahel region.\n")
    result = segment(text)
    assert result.dropped == ["18/12/2017 Non-proliferation/Democratic People's Republic of Korea: briefing S/PV.8140"]
    assert len(result.paragraphs) == 1 and result.paragraphs[0].endswith("and to the Sahel region.")


def test_a_date_or_number_alone_inside_a_paragraph_stays() -> None:
    text = "The resolution was adopted on\n18 December 2017\nby consensus, in paragraph\n12\nof the text.\n\n7\n"
    assert segment(text).paragraphs == [
        "The resolution was adopted on 18 December 2017 by consensus, in paragraph 12 of the text."]


def test_a_lead_in_ending_with_a_colon_keeps_its_list_apart() -> None:
    text = ("We propose three measures:\n\nFirst, better stockpile management.\n\n"
            "Secondly, the measures\nlisted in:\n\nresolution 2370 (2017), which we support.\n")
    assert segment(text).paragraphs == [
        "We propose three measures:",
        "First, better stockpile management.",
        "Secondly, the measures listed in: resolution 2370 (2017), which we support.",
    ]


def test_document_symbols_inside_sentences_stay() -> None:
    text = ("The Secretary-General's report (S/2017/1025) and the record S/PV.8140 of\n"
            "18 December 2017 are before the Council.\n")
    assert segment(text).paragraphs == [
        "The Secretary-General's report (S/2017/1025) and the record S/PV.8140 of 18 December 2017 are before the Council."
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Mr. Sadykov (Kazakhstan): I thank", ("Mr. Sadykov", "Kazakhstan")),
        ("Mrs. Haley (United States of America): Thank you", ("Mrs. Haley", "United States of America")),
        ("Ms. DiCarlo (United States of America) (spoke in French): Merci", ("Ms. DiCarlo", "United States of America")),
        ("The President (spoke in Spanish): I now", ("The President", None)),
        ("The Secretary-General: I thank", ("The Secretary-General", None)),
        ("Sir Emyr Jones Parry (United Kingdom): We", ("Sir Emyr Jones Parry", "United Kingdom")),
        ("Baroness Anelay of St Johns (United Kingdom): We", ("Baroness Anelay of St Johns", "United Kingdom")),
        ("Mr. Al-Mouallimi (Saudi Arabia) (spoke in Arabic): At", ("Mr. Al-Mouallimi", "Saudi Arabia")),
        ("Mr. President, I thank you: the Council", None),
        ("Ms. Nakamitsu, for her briefing", None),
    ],
)
def test_speaker_labels(line: str, expected: tuple[str, str | None] | None) -> None:
    label = speaker_label(line)
    assert (label[:2] if label else None) == expected


def test_plain_prose_with_blank_lines_and_a_heading() -> None:
    text = (
        "Statement on small arms\n\n"
        "The first paragraph is written on one long line, as word processors save it, and it ends here.\n\n"
        "The second paragraph\nis wrapped by hand\nover three lines.\n\n\n"
        "A third one.\n"
    )
    assert segment(text).paragraphs == [
        "Statement on small arms",
        "The first paragraph is written on one long line, as word processors save it, and it ends here.",
        "The second paragraph is wrapped by hand over three lines.",
        "A third one.",
    ]


def test_unwrapped_lines_are_paragraphs_even_without_blank_lines() -> None:
    first = "Kazakhstan calls for closer collaboration, transparency, enhanced legislation and stricter control " * 3
    second = "We also underscore the gender-based implications of the illegal trade in small arms and light weapons " * 2
    text = f"{first.strip()}.\n{second.strip()}.\nShort closing line.\n"
    assert segment(text).paragraphs == [f"{first.strip()}.", f"{second.strip()}.", "Short closing line."]


def test_symbol_with_a_space_and_a_heading_between_wrapped_paragraphs() -> None:
    body = "the Council has before it a report on the illicit trade in small arms and\nlight weapons and"
    text = (
        "Conventional arms\n\n"
        + "\n".join([body] * 4) + " its\n\nS/PV. 5390\n\n" + "\n".join([body] * 4) + " ends here.\n"
    )
    result = segment(text)
    assert result.paragraphs[0] == "Conventional arms"
    assert len(result.paragraphs) == 2 and "S/PV" not in result.paragraphs[1]
    assert " and its the Council has" in result.paragraphs[1]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends(newline: str) -> None:
    text = "One line\nwrapped.\n\nTwo.\n".replace("\n", newline)
    assert segment(text).paragraphs == ["One line wrapped.", "Two."]


def test_markdown_headings_lists_and_emphasis() -> None:
    text = (
        "# Statement by Kazakhstan\n\n"
        "Mr. Sadykov (Kazakhstan): We **strongly** support the [Arms Trade Treaty](https://thearmstradetreaty.org).\n\n"
        "## Measures\n\n"
        "We call for:\n"
        "- better stockpile management;\n"
        "- stricter border_control at customs posts.\n\n"
        "> Quoted text of a resolution\n> that wraps.\n"
        "<!-- a note for the editors -->\n\n"
        "* * *\n\n"
        "Closing\n=======\n\n"
        "Thank you.\n"
    )
    result = segment(text, markdown=True)
    assert result.title == "Statement by Kazakhstan"
    assert (result.speaker, result.country) == ("Mr. Sadykov", "Kazakhstan")
    assert result.paragraphs == [
        "We strongly support the Arms Trade Treaty.",
        "Measures",
        "We call for:",
        "better stockpile management;",
        "stricter border_control at customs posts.",
        "Quoted text of a resolution that wraps.",
        "Closing",
        "Thank you.",
    ]


def test_empty_and_blank_text_have_no_paragraphs() -> None:
    assert segment("").paragraphs == []
    assert segment("\n \n\t\n\f").paragraphs == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcXY .,-?\n\n\n\t\r\f\u00a0")), max_size=400))
def test_segmentation_never_loses_or_invents_text(text: str) -> None:
    # No digits, slashes or colons: nothing here is a running header or a speaker label.
    paragraphs = segment(text).paragraphs
    assert re.sub(r"\s", "", "".join(paragraphs)) == re.sub(r"\s", "", text)
    assert all(p and p == p.strip() and "\n" not in p and "  " not in p for p in paragraphs)
