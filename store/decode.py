"""Bytes of a text file to str: the encodings researchers' files actually come in."""

from __future__ import annotations

import codecs
import re

from store.errors import AccordError


class NotText(AccordError):
    """A file that cannot be read as text; the message says why, for the researcher."""


_MAGIC = (
    (b"%PDF", "a PDF file: extract its text first (`pdftotext FILE.pdf`) and import the .txt"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx file? give it the .docx extension)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file: save it as .docx or .csv"),
    (b"{\\rtf", "an RTF file: save it as .docx or .txt"),
    (b"\x89PNG", "an image, not text"),
    (b"\xff\xd8\xff", "an image, not text"),
)
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
    if b"\x00" in data[:8192]:
        raise NotText("binary file, not text (it contains NUL bytes; UTF-16 needs a byte-order mark)")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("cp1252"))
    except UnicodeDecodeError as error:
        raise NotText(
            f"not UTF-8, UTF-16 or Windows-1252 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8"
        ) from error


def _checked(text: str) -> str:
    if not text.strip():
        raise NotText("empty file")
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise NotText("binary file, not text (it is full of control characters)")
    return text
