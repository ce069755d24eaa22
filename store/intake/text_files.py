"""Reading plain text and Markdown files (and splitting documents at their speakers): the
paragraphs come from store/intake/segment.py, a Markdown file's metadata from its front matter."""

from __future__ import annotations

import re

import yaml

from store.errors import Problem
from store.intake.decoding import decode
from store.intake.segment import Segmented, segment, split_statements
from store.intake.source import BadFile, ReadOptions, SourceDocument, SourceFile
from store.intake.table_files import FIELDS
from store.yaml_limits import YamlLimit, check_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def read_text_file(source: SourceFile, options: ReadOptions) -> tuple[list[SourceDocument], list[Problem]]:
    """A `.txt` file's document(s)."""
    text = decode(source.path.read_bytes())
    return documents(source, *_read_text(source, text, markdown=False), options.split_speakers), []


def read_markdown_file(source: SourceFile, options: ReadOptions) -> tuple[list[SourceDocument], list[Problem]]:
    """A `.md` file's document(s), its front matter giving title, speaker, country, date and meta."""
    text = decode(source.path.read_bytes())
    return documents(source, *_read_text(source, text, markdown=True), options.split_speakers), []


def _read_text(source: SourceFile, text: str, markdown: bool) -> tuple[Segmented, dict[str, str], dict[str, object]]:
    """A text or Markdown file's paragraphs, and the fields and meta of its front matter."""
    fields: dict[str, str] = {}
    meta: dict[str, object] = {}
    if markdown and (match := _FRONT_MATTER.match(text)):
        fields, meta = _front_matter(match[1], str(source.path))
        text = text[match.end():]
    # A title in the front matter leaves an opening heading in the text: no text is lost.
    result = segment(text, markdown=markdown, heading_title=not fields.get("title"))
    if not result.paragraphs:
        raise BadFile(Problem(str(source.path), None, None, "no text to import (only headings, markup or headers)"))
    return result, fields, meta


def documents(
    source: SourceFile, result: Segmented, fields: dict[str, str], meta: dict[str, object], split_speakers: bool
) -> list[SourceDocument]:
    """One document for the file, or one per statement when a record is split at its speakers."""
    statements = split_statements(result) if split_speakers else [result]
    if len(statements) > 1:  # front matter names the file's speaker, not each statement's
        fields = {key: value for key, value in fields.items() if key not in ("speaker", "country")}
    return [
        SourceDocument(
            id=source.id if len(statements) == 1 else f"{source.id}-{number:03d}",
            paragraphs=statement.paragraphs,
            source=str(source.path),
            title=fields.get("title") or result.title,
            speaker=fields.get("speaker") or statement.speaker,
            country=fields.get("country") or statement.country,
            date=fields.get("date"),
            meta=meta,
        )
        for number, statement in enumerate(statements, start=1)
    ]


def _front_matter(block: str, file: str) -> tuple[dict[str, str], dict[str, object]]:
    """A Markdown file's YAML front matter: title, speaker, country, date, and the rest as meta."""
    try:
        # Before building anything: aliases can make a few lines stand for millions of values,
        # or for a value that contains itself (which no JSON can hold).
        check_yaml(block)
        data = yaml.safe_load(block)
    except YamlLimit as error:
        raise BadFile(Problem(file, error.line + 2, error.column + 1, f"front matter: {error.message}")) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else None  # +1 for 1-based, +1 for the opening ---
        raise BadFile(Problem(file, line, mark.column + 1 if mark else None,
                               f"front matter is not valid YAML: {getattr(error, 'problem', error)}")) from error
    if not isinstance(data, dict):
        raise BadFile(Problem(file, 2, None, "front matter must be `key: value` lines"))
    fields = {key: str(value) for key, value in data.items() if key in FIELDS and value is not None}
    meta = {str(key): _plain(value) for key, value in data.items() if key not in FIELDS}
    return fields, meta


def _plain(value: object) -> object:
    """YAML values as JSON can keep them (dates become ISO strings)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
