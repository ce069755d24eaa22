"""Reading Word `.docx` files: their non-empty paragraphs, a leading Title or Heading as the title."""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING

from store.errors import Problem
from store.intake.segment import Segmented, speaker_label
from store.intake.source import BadFile, ReadOptions, SourceDocument, SourceFile
from store.intake.text_files import documents

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def read_word_file(source: SourceFile, options: ReadOptions) -> tuple[list[SourceDocument], list[Problem]]:
    """A `.docx` file's document(s)."""
    return documents(source, read_docx(source), {}, {}, options.split_speakers), []


def read_docx(source: SourceFile) -> Segmented:
    """A Word document: its non-empty paragraphs; a leading Title/Heading paragraph is the title."""
    import docx  # python-docx loads lxml: only pay for it when there is a .docx
    from docx.opc.exceptions import PackageNotFoundError

    from lxml.etree import XMLSyntaxError

    file = str(source.path)
    try:
        document = docx.Document(str(source.path))
        title = (document.core_properties.title or "").strip() or None
        body = list(document.paragraphs)
    # python-docx trusts the package: broken XML, or XML that is not WordprocessingML (no
    # body: AttributeError), surface as the parser's own exceptions.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError,
            AttributeError) as error:
        raise BadFile(Problem(file, None, None, f"not a readable Word .docx file ({error})")) from error
    result = Segmented(paragraphs=[], title=title)
    for para in body:
        text = re.sub(r"\s+", " ", para.text).strip()
        if not text:
            continue
        # Only the first paragraph can be the title, so only its style is looked up: python-docx
        # takes 1.26 ms a lookup, which made a .docx of 109,227 paragraphs take 257 s.
        if not result.paragraphs and result.title is None and _style_name(para).startswith(("Title", "Heading")):
            result.title = text
            continue
        result.paragraphs.append(text)
    if not result.paragraphs:
        raise BadFile(Problem(file, None, None, "the Word document has no text"))
    if label := speaker_label(result.paragraphs[0]):
        result.speaker, result.country, rest = label
        result.paragraphs[0:1] = [rest] if rest else []
    return result


def _style_name(para: Paragraph) -> str:
    """The name of a paragraph's style ("Heading 1"), "" when it has none."""
    return (para.style.name if para.style is not None else "") or ""
