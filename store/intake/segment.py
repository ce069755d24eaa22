"""Paragraph segmentation for text extracted from PDF records, plain prose and Markdown.

The hard case is text extracted from the verbatim records of the Security Council: lines are
hard-wrapped at the column width, page breaks cut paragraphs in two and leave running headers
and footers (`S/PV.8140`, `17-44953`, `9/31`, date and short title) between the halves, and the
speaker's label opens the statement. `segment` turns such text into the paragraphs a reader
sees; plain prose (blank-line separated paragraphs) and Markdown come out sensibly too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.intake.running_heads import drop_running_heads

_SPACES = re.compile(r"[ \t\v]+")

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
    text: str
    """Its lines, joined by line ends (one string: most paragraphs are never split into lines)."""
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
    lines, dropped = drop_running_heads(lines)
    if _unwrapped(lines):
        lines = [piece for line in lines for piece in (line, "")]
    width = _column_width(lines)
    paragraphs = _heal(_paragraphs(lines, width, markdown), width)
    result = Segmented(paragraphs=[], dropped=dropped)
    if markdown and heading_title and paragraphs and paragraphs[0].heading:
        result.title = _join(paragraphs.pop(0).text)
    texts = [_join(p.text) for p in paragraphs]
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
    return list(map(str.strip, text.split("\n")))


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


def _unwrapped(lines: list[str]) -> bool:
    if not lines or max(map(len, lines)) <= UNWRAPPED_LINE:
        return False  # the median is no longer than the longest line: no need to sort
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


_BREAKS = re.compile(rf"\n(?:\n+|(?<=[{re.escape(_MAY_END)}]\n))")
"""Where plain text may break into paragraphs: a blank line (or several), or the end of a line
that may end a sentence. Found from the line end (a literal), looking back one character."""


def _paragraphs(lines: list[str], width: int | None, markdown: bool) -> list[_Para]:
    """Blocks between blank lines, split where a speaker label, a list item or a short last line
    shows that a new paragraph began without a blank line before it.

    Plain text is read as one string (a stripped line holds no line end, so the blank lines
    are the runs of line ends): one pattern finds the blank lines and the lines that may end a
    sentence, a search of the colons the lines that may hold a speaker's label, and only there
    is `_starts_paragraph` asked; no Python runs for the other lines, most of them (a test of
    each line took half of segmenting's time)."""
    if markdown:
        return _markdown_paragraphs(lines, width)
    text = "\n".join(lines).strip("\n")
    breaks = [match.span() for match in _BREAKS.finditer(text)]
    if ":" in text:
        breaks = _with_colon_lines(text, breaks)
    paragraphs: list[_Para] = []
    start = 0
    for at, end in breaks:
        if end - at == 1:  # a line end where a new paragraph may begin
            following = text.find("\n", end)
            line = text[end:] if following < 0 else text[end:following]
            if not _starts_paragraph(text[text.rfind("\n", 0, at) + 1:at], line, width, False):
                continue
        paragraphs.append(_Para(text[start:at]))
        start = end
    if text:
        paragraphs.append(_Para(text[start:]))
    return paragraphs


def _with_colon_lines(text: str, breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`breaks`, and the line end before each line with a colon (a speaker's label may open
    it) that is neither in a run of blank lines nor in `breaks` already, in order."""
    more = []
    at = text.find(":")
    while at >= 0:
        before = text.rfind("\n", 0, at)
        # A line end after a line end ends a run of blank lines; after a character that may end
        # a sentence, _BREAKS found it (the text does not open with a line end: before > 0).
        if before > 0 and text[before - 1] != "\n" and text[before - 1] not in _MAY_END:
            more.append((before, before + 1))
        after = text.find("\n", at)
        at = -1 if after < 0 else text.find(":", after)
    return sorted(breaks + more) if more else breaks


def _markdown_paragraphs(lines: list[str], width: int | None) -> list[_Para]:
    """_paragraphs of Markdown, a line at a time: headings, breaks and list items."""
    paragraphs: list[_Para] = []
    current: list[str] = []

    def close(heading: bool = False) -> None:
        if current:
            paragraphs.append(_Para("\n".join(current), heading))
            current.clear()

    for line in lines:
        if not line:
            close()
            continue
        if m := _MD_HEADING.match(line):
            close()
            current.append(m[1])
            close(heading=True)
            continue
        if current and _MD_SETEXT.match(line) and len(current) == 1:
            close(heading=True)
            continue
        if _MD_BREAK.match(line):
            close()
            continue
        if current and _starts_paragraph(current[-1], line, width, True):
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
            healed[-1].text += "\n" + para.text
        else:
            healed.append(para)
    return healed


def _continues(before: _Para, after: _Para, width: int | None) -> bool:
    last = before.text[before.text.rfind("\n") + 1:]
    first = after.text.partition("\n")[0]
    if before.heading or after.heading or _ends_sentence(last) or _opens_statement(first):
        return False
    if _MD_LIST.match(first):
        return False
    if last.endswith(":"):
        # A lead-in before a list of paragraphs, unless the sentence plainly runs on.
        return first[:1].islower()
    single_short = "\n" not in before.text and (width is None or len(last) < HEADING_LINE * width)
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


def _join(text: str) -> str:
    """Join wrapped lines (`text`'s): a space between words, none after a line-end hyphen or dash."""
    if not ("\u00ad" in text or "-\n" in text or "‐\n" in text or "‑\n" in text or "–\n" in text
            or "—\n" in text):  # _DASHES, written out: a generator per paragraph cost more than the tests
        return text.replace("\n", " ")  # most paragraphs: no line ends in a hyphen or dash
    lines = text.split("\n")
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
