"""store/intake/segment.py as it was before segmenting was sped up for issue 17, kept whole as
the reference the faster code must agree with, output for output (tests/store/test_segment_same.py):
a paragraph's text is its hash, and its hash identifies it in every coder's file handed out.

The hard case is text extracted from the verbatim records of the Security Council: lines are
hard-wrapped at the column width, page breaks cut paragraphs in two and leave running headers
and footers (`S/PV.8140`, `17-44953`, `9/31`, date and short title) between the halves, and the
speaker's label opens the statement. `segment` turns such text into the paragraphs a reader
sees; plain prose (blank-line separated paragraphs) and Markdown come out sensibly too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress

# --- running headers and footers ---------------------------------------------------------

_RECORD_SYMBOL = r"(?:[SA]/(?:\d+/)?PV\.\s?\d+(?:\s*\((?:Resumption|Resumed|Part)\s*\d*\))?)"
"""A verbatim record's symbol (S/PV.8140, A/60/PV.45, S/PV.5390 (Resumption 1))."""
_JOB_NUMBER = r"(?:\d{2}-\d{5}[A-Z]?(?:\s*\([A-Z]\))?|\*\d{7,}\*)"
"""The UN job number printed in the footer (17-44953, 06-26591 (E)) and its barcode text."""
_PAGE = r"(?:\d{1,3}/\d{1,3}|\d{1,3}|Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?)"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = (
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}"
    rf"|(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})"
)
_STRONG = re.compile(rf"(?<![\w(/.-])(?:{_RECORD_SYMBOL}|{_JOB_NUMBER})(?![\w/)-])")
"""Pieces that only a header or footer carries; a line with one of them may also hold a title."""
_WEAK = re.compile(rf"(?<![\w(/.-])(?:{_DATE}|{_PAGE})(?![\w/)-])")
"""Pieces that are a header only when nothing but other header pieces share their line."""
_DIGIT = re.compile(r"\d")
_WEAK_CHARS = re.compile(rf"(?:[\d\s/.,]|Page|of|{_MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)*")
"""What a line made of _WEAK pieces alone can hold: a line that is not all this is text, not a
header, unless it has a _STRONG piece (a quick test that spares most lines with digits two
substitutions)."""
_SPACES = re.compile(r"[ \t\v]+")
_TITLE = re.compile(r"[A-Z][^.?!;()]{0,99}")
"""What is left of a header line once its symbols are removed: the meeting's short title."""

# --- speakers, sentence ends, lists ------------------------------------------------------

_TITLES = (
    "Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Baron|Prince|Princess|Sheikh|Sheikha|"
    "Archbishop|Monsignor|Msgr|Cardinal|Bishop|Judge|Ambassador|Professor|Prof|"
    "Rev|Reverend|Emir|Crown Prince"
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|de|da|del|della|der|di|dos|du|van|von|bin|bint|ibn|al|el|la|le|y))*"
_SPEAKER = re.compile(
    rf"^(?P<speaker>(?:(?:{_TITLES})\.?\s+{_NAME})"
    r"|The\s+(?:President|Acting President|Secretary-General|Deputy Secretary-General|Chair|Chairman|Chairperson|Vice-President))"
    # One level of nesting: UN names such as `Bolivia (Plurinational State of)`.
    r"\s*(?:\((?!(?:spoke|interpretation|in)\b)(?P<country>[^()]{2,80}(?:\([^()]{2,40}\))?)\))?"
    r"\s*(?:\((?:spoke|interpretation|in)\b[^()]*\))?"
    r"\s*:\s*"
)
"""The label that opens a statement: `Mr. Sadykov (Kazakhstan):`, `The President (spoke in French):`."""
_DASHES = "-‐‑–—"
_HYPHEN_END = re.compile(rf"\w[{_DASHES}]$")
_CLOSERS = "\"”’')]"
"""Quotes and brackets that may close a sentence after its full stop."""
_MAY_END = ".?!…" + _CLOSERS
"""The last character of a line that may end a sentence."""
_STARTS_NEW = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_BREAK = re.compile(r"^(?:(?:[-*_]\s*){3,}|```.*|~~~.*)$")
"""A thematic break or a code fence: a boundary between paragraphs, not text."""
_MD_LIST = re.compile(r"^(?:[-*+]\s+|\d{1,3}[.)]\s+)")
_MD_BULLET = re.compile(r"^[-*+]\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

MIN_LINES_FOR_WIDTH = 8
"""Below this many lines the column width cannot be estimated; no length-based decisions then."""
SHORT_LINE = 0.8
"""A sentence-final line this much shorter than the column ended its paragraph on the page."""
UNWRAPPED_LINE = 160
"""Lines this long (the median) were never wrapped at a column: each line is a paragraph, as
word processors and scraped tables write them."""
HEADING_LINE = 0.6
"""A lone line this much shorter than the column, without a full stop, is a heading."""


@dataclass
class Segmented:
    """The paragraphs of one text and what its opening told about it."""

    paragraphs: list[str]
    speaker: str | None = None
    """From the opening label (`Mr. Sadykov (Kazakhstan): ...`), without the country."""
    country: str | None = None
    title: str | None = None
    """A Markdown document's first heading."""
    dropped: list[str] = field(default_factory=list)
    """Running header and footer lines removed."""


@dataclass
class _Para:
    lines: list[str]
    heading: bool = False
    """A Markdown heading: never joined with its neighbours."""


def segment(text: str, markdown: bool = False, speaker: bool = True, heading_title: bool = True) -> Segmented:
    """Split `text` into paragraphs, each one line of clean text.

    Blank lines (and form feeds) separate blocks; the hard-wrapped lines of a block join into
    one paragraph; a block that does not end a sentence continues in the next one (a page break
    cut it), unless it is a heading. Running headers and footers are dropped, a line-end hyphen
    is kept (`post-` + `conflict` gives `post-conflict`), and an opening speaker label fills
    `speaker` and `country` and leaves the text.

    Args:
        text: The whole text; any line ends.
        markdown: Treat `#` headings, list items and emphasis as Markdown.
        speaker: Read an opening speaker label into `speaker` and `country` (False: leave it in
            the text, as for the later rows of a document split over several table rows).
        heading_title: Make a Markdown document's opening heading its `title` (False when the
            title comes from elsewhere, e.g. front matter: the heading then stays a paragraph).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\u00a0", " ")
    if markdown:
        text = _MD_COMMENT.sub("", text)
    lines = _lines(text)
    if markdown:
        lines = [re.sub(r"^>\s?", "", line) for line in lines]
    lines, dropped = _drop_running_heads(lines)
    if _unwrapped(lines):
        lines = [piece for line in lines for piece in (line, "")]
    width = _column_width(lines)
    paragraphs = _heal(_paragraphs(lines, width, markdown), width)
    result = Segmented(paragraphs=[], dropped=dropped)
    if markdown and heading_title and paragraphs and paragraphs[0].heading:
        result.title = _join(paragraphs.pop(0).lines)
    texts = [_join(p.lines) for p in paragraphs]
    if markdown:
        texts = [_plain_markdown(t) for t in texts]
    if speaker and texts and (label := speaker_label(texts[0])):
        result.speaker, result.country, texts[0] = label
    result.paragraphs = [t for t in texts if t]
    return result


def _lines(text: str) -> list[str]:
    """The lines of `text`, each stripped, runs of spaces and tabs made one space."""
    if "\t" in text or "\v" in text or "  " in text:  # one pass over the text, not one per line
        text = _SPACES.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


def speaker_label(line: str) -> tuple[str, str | None, str] | None:
    """(speaker, country, the rest of the line) for a line opening with a speaker's label, else None."""
    match = _SPEAKER.match(line)
    if not match:
        return None
    country = match["country"].strip() if match["country"] else None
    return re.sub(r"\s+", " ", match["speaker"]), country, line[match.end():]


def split_statements(result: Segmented) -> list[Segmented]:
    """A whole meeting record as one Segmented per statement: each paragraph that opens with a
    speaker's label starts the next one. Text before the first label is a statement without a
    speaker (the record's cover page and agenda), kept so that nothing is lost."""
    statements = [Segmented(paragraphs=[], speaker=result.speaker, country=result.country, title=result.title)]
    for position, text in enumerate(result.paragraphs):
        label = speaker_label(text) if position else None
        if label:
            speaker, country, rest = label
            statements.append(Segmented(paragraphs=[rest] if rest else [], speaker=speaker, country=country))
        else:
            statements[-1].paragraphs.append(text)
    return [statement for statement in statements if statement.paragraphs]


def _drop_running_heads(lines: list[str]) -> tuple[list[str], list[str]]:
    """Blank out header and footer lines; a blank keeps the page break visible to `_heal`."""
    titles: set[str] = set()
    heads: set[int] = set()
    lone: list[int] = []
    # Every header piece has a digit; most text lines none: those are passed over in C.
    for i in compress(range(len(lines)), map(_DIGIT.search, lines)):
        line = lines[i]
        strong = _STRONG.search(line)
        if not strong and not _WEAK_CHARS.fullmatch(line):
            continue  # neither a header line nor a lone page number or date
        rest = _WEAK.sub(" ", _STRONG.sub(" ", line)).strip()
        if not rest:
            if strong or len(_WEAK.findall(line)) > 1:
                heads.add(i)
            elif _WEAK.fullmatch(line):
                lone.append(i)
        elif strong and _TITLE.fullmatch(rest) and _at_an_edge(line):
            heads.add(i)
            titles.add(rest)
    # A page number or date alone is a header when the page break shows beside it; between
    # two lines of a paragraph it is text ("adopted on / 18 December 2017 / by consensus").
    for i in lone:
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if any(not lines[j] or j in heads or j in lone for j in beside) or len(beside) < 2:
            heads.add(i)
    # pdftotext may put the short title on a line of its own between the symbol and the date:
    # the next non-blank line after a header, when the next one after it is a header too.
    if len(heads) > 1:
        for before in list(heads):
            i = _next_filled(lines, before)
            after = _next_filled(lines, i)
            if after < len(lines) and after in heads and i not in heads and _TITLE.fullmatch(lines[i]):
                titles.add(lines[i])
    if titles and not titles.isdisjoint(lines):
        heads.update(i for i, line in enumerate(lines) if line in titles)
    if not heads:
        return lines, []
    kept = list(lines)
    for i in heads:
        kept[i] = ""
    return kept, [lines[i] for i in sorted(heads)]


def _next_filled(lines: list[str], i: int) -> int:
    """The index of the first non-blank line after line `i`, or len(lines)."""
    i += 1
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _at_an_edge(line: str) -> bool:
    """Header pieces stand at the ends of the line, the title between them."""
    pieces = [m.span() for m in _STRONG.finditer(line)] + [m.span() for m in _WEAK.finditer(line)]
    return any(start == 0 for start, _ in pieces) and any(end == len(line) for _, end in pieces)


def _unwrapped(lines: list[str]) -> bool:
    lengths = sorted(filter(None, map(len, lines)))
    return bool(lengths) and lengths[len(lengths) // 2] > UNWRAPPED_LINE


def _column_width(lines: list[str]) -> int | None:
    """The width the text was wrapped at (90th percentile of line lengths), or None if unwrapped."""
    lengths = list(map(len, lines))
    # A line counts when a line above or below it is not blank (0 stands for beyond either end).
    wrapped = [n for above, n, below in zip([0, *lengths], lengths, [*lengths[1:], 0], strict=False) if n and (above or below)]
    if len(wrapped) < MIN_LINES_FOR_WIDTH:
        return None
    wrapped.sort()
    return wrapped[int(0.9 * (len(wrapped) - 1))]


def _paragraphs(lines: list[str], width: int | None, markdown: bool) -> list[_Para]:
    """Blocks between blank lines, split where a speaker label, a list item or a short last line
    shows that a new paragraph began without a blank line before it."""
    paragraphs: list[_Para] = []
    current: list[str] = []

    def close(heading: bool = False) -> None:
        if current:
            paragraphs.append(_Para(list(current), heading))
            current.clear()

    for line in lines:
        if not line:
            close()
            continue
        if markdown and (m := _MD_HEADING.match(line)):
            close()
            current.append(m[1])
            close(heading=True)
            continue
        if markdown and current and _MD_SETEXT.match(line) and len(current) == 1:
            close(heading=True)
            continue
        if markdown and _MD_BREAK.match(line):
            close()
            continue
        # Most lines continue their paragraph: the cheap tests (no colon for a speaker's label,
        # no full stop ending the line before) rule them out without a call.
        if (current and (":" in line or markdown or (width is not None and current[-1][-1] in _MAY_END))
                and _starts_paragraph(current[-1], line, width, markdown)):
            close()
        current.append(line)
    close()
    return paragraphs


def _starts_paragraph(previous: str, line: str, width: int | None, markdown: bool) -> bool:
    if _opens_statement(line) or (markdown and _MD_LIST.match(line)):
        return True
    if width is None or not _ends_sentence(previous) or not _STARTS_NEW.match(line):
        return False
    # The line after would have fitted on this one: the break was the author's, not the wrap's.
    return len(previous) + 1 + len(line.split(" ", 1)[0]) < SHORT_LINE * width


def _heal(paragraphs: list[_Para], width: int | None) -> list[_Para]:
    """Join a paragraph that does not end a sentence with the next one: a page break cut it."""
    healed: list[_Para] = []
    for para in paragraphs:
        if healed and _continues(healed[-1], para, width):
            healed[-1].lines.extend(para.lines)
        else:
            healed.append(para)
    return healed


def _continues(before: _Para, after: _Para, width: int | None) -> bool:
    last = before.lines[-1]
    if before.heading or after.heading or _ends_sentence(last) or _opens_statement(after.lines[0]):
        return False
    if _MD_LIST.match(after.lines[0]):
        return False
    if last.endswith(":"):
        # A lead-in before a list of paragraphs, unless the sentence plainly runs on.
        return after.lines[0][:1].islower()
    single_short = len(before.lines) == 1 and (width is None or len(last) < HEADING_LINE * width)
    return not single_short


def _ends_sentence(line: str) -> bool:
    """The line ends with a full stop, question or exclamation mark or ellipsis, perhaps followed
    by closing quotes and brackets."""
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in ".?!…"


def _opens_statement(line: str) -> bool:
    """The line opens with a speaker's label (which always holds a colon: most lines are
    passed over without running the long pattern)."""
    return ":" in line and _SPEAKER.match(line) is not None


def _join(lines: list[str]) -> str:
    """Join wrapped lines: a space between words, none after a line-end hyphen or dash."""
    text = "\n".join(lines)
    if "\u00ad" not in text and not any(dash + "\n" in text for dash in _DASHES):
        return text.replace("\n", " ")  # most paragraphs: no line ends in a hyphen or dash
    parts = [lines[0]]
    for line in lines[1:]:
        previous = parts[-1]
        if previous.endswith("\u00ad"):  # a soft hyphen marks a word the PDF broke: rejoin it
            parts[-1] = previous[:-1]
        elif not _HYPHEN_END.search(previous[-2:]):
            parts.append(" ")
        parts.append(line)
    return "".join(parts).replace("\u00ad", "")


def _plain_markdown(text: str) -> str:
    """Markdown inline markup removed: links keep their words, emphasis its text, bullets go."""
    text = _MD_BULLET.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return text.strip()
