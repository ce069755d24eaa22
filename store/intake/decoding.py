"""Bytes of a text file to str: the encodings researchers' files actually come in."""

from __future__ import annotations

import codecs
import re

from store.errors import AccordError


class NotText(AccordError):
    """A file that cannot be read as text; the message says why, for the researcher."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        """1-based line of the first bad byte, where there is one."""


_MAGIC = (
    (b"%PDF", "a PDF file: extract its text first (`pdftotext FILE.pdf`) and import the .txt"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx file? give it the .docx extension)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file: save it as .docx or .csv"),
    (b"{\\rtf", "an RTF file: save it as .docx or .txt"),
    (b"\x89PNG", "an image, not text"),
    (b"\xff\xd8\xff", "an image, not text"),
)
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A multi-byte UTF-8 character: Windows-1252 text almost never holds one (it would read `Ã©`)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Decode a text file: UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows-1252.

    Raises:
        NotText: the file is empty, binary, or none of these encodings fits.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise NotText(f"starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                              f"(bad bytes at offset {error.start})") from error
            return _checked(text)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotText(f"this is {what}")
    if (at := data.find(b"\x00", 0, 8192)) >= 0:
        raise NotText("binary file, not text: it contains a NUL byte (UTF-16 needs a byte-order mark)",
                      _line(data, at))
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data):
            # UTF-8 with a damaged byte: reading it as Windows-1252 would garble every accent.
            raise NotText(f"UTF-8 text with an invalid byte 0x{data[error.start]:02x}; fix it or save "
                          "the file again as UTF-8", _line(data, error.start)) from error
    try:
        return _checked(data.decode("cp1252"))
    except UnicodeDecodeError as error:
        raise NotText(f"not UTF-8, UTF-16 or Windows-1252 text (byte 0x{data[error.start]:02x}); "
                      "save it as UTF-8", _line(data, error.start)) from error


_CONTROL_BYTES = bytes([*range(0x09), 0x0b, *range(0x0e, 0x20), 0x7f])
"""_CONTROL's characters, as bytes."""


def _controls(text: str) -> int:
    """How many _CONTROL characters `text` holds. An ASCII text (most files) is counted as
    bytes, with `bytes.translate`, several times faster than the pattern over 8,192 characters."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _CONTROL_BYTES))
    return len(_CONTROL.findall(text))


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _checked(text: str) -> str:
    if not text.strip():
        raise NotText("empty file")
    if _controls(text[:8192]) > 8:
        raise NotText("binary file, not text (it is full of control characters)")
    if (at := text.find("\x00")) >= 0:
        # Anywhere, not only where binary files are looked for: Stata and SPSS files end a text
        # at its first NUL while CSV keeps the rest, so one dataset would say two things.
        raise NotText("contains a NUL byte; remove it (a text file has none) and import again",
                      text.count("\n", 0, at) + 1)
    return text
