"""Retrieval by code: the paragraphs whose chosen codings apply some codes and not others.

SQL (store/retrieval.py) finds the candidates; the chosen values are then those of `accord
export` (exports/datasets.py `values`, the one rule for --coder, --consensus and --majority),
so a retrieval is exactly the export filtered by hand. A paragraph not done is missing: it
matches nothing, and is not "without" a code either. Columns are named as in the export.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
import numpy as np

from exports.cells import delimited_line
from exports.cells import md_cell as _md
from exports.dataset_columns import DOCUMENT_FIELDS, Column, document_field_columns
from exports.votes import (Chosen, CodeSpec, CodingRows, Grid, StatusRows, coder_places, factorize, flag_numbers,
                           object_table)
from exports.whose import DatasetSpec, chosen_coders, code_specs, resolve_whose, values
from store import AccordError, Project, Scope, Term, candidate_rows, candidate_seqs, document_fields, keyword_pattern

CHUNK_PARAGRAPHS = 20_000
"""Candidates read at a time: bounds memory on a 1,000,000-paragraph corpus."""


@dataclass(frozen=True)
class Query:
    """What to retrieve: codes as the command line names them (`code` or `variable=level`)."""

    codes: tuple[str, ...]
    any_: bool = False
    """One of `codes` is enough (default: all of them)."""
    exclude: tuple[str, ...] = ()
    """None of these may apply (their chosen value must be known: 0, or another level)."""
    scope: Scope = field(default_factory=Scope)
    keywords: bool = True
    """Find the codes' keywords to mark (it reads the codebook's YAML: a CSV does without)."""


@dataclass
class Table:
    """Rows as columns of Python values (None where missing), named as in the export."""

    columns: dict[str, list[object]]

    def __getitem__(self, name: str) -> list[object]:
        return self.columns[name]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def records(self) -> Iterator[dict[str, object]]:
        names = list(self.columns)
        for row in zip(*self.columns.values(), strict=True):
            yield dict(zip(names, row, strict=True))


@dataclass
class Retrieved:
    """The matching paragraphs, one row each in corpus order, and how to show them."""

    columns: list[Column]
    rows: Table
    whose: DatasetSpec
    """Whose codings were chosen (after resolve_whose)."""
    keywords: re.Pattern[str] | None
    """The matched codes' codebook keywords, for marking in the text."""
    seqs: list[int] = field(default_factory=list)
    """Each row's place in the corpus (`seq`), for a screen to jump to."""


def parse_terms(names: Iterable[str], codes: list[CodeSpec]) -> list[Term]:
    """`code` or `variable=level` as terms; an unknown one is an AccordError naming the nearest."""
    by_id = {code.id: code for code in codes}
    terms = []
    for name in names:
        code_id, equals, level = (part.strip() for part in name.partition("="))
        code = by_id.get(code_id)
        if code is None:
            addresses = [c.id for c in codes if c.is_code] + [f"{c.id}={v}" for c in codes for v, _ in c.levels]
            near = difflib.get_close_matches(name, addresses, n=3, cutoff=0.5) or [c.id for c in codes][:5]
            raise AccordError(f"no code or variable {code_id!r} in the codebook (nearest: {', '.join(near)}); "
                              "`accord codebook show` lists them")
        levels = [value for value, _ in code.levels]
        if code.is_code:
            if equals:
                raise AccordError(f"{code_id!r} is a code, not a variable: write --code {code_id}")
            terms.append(Term(code_id, 1))
        elif level not in levels:
            said = f"no level {level!r}" if equals else "a level to be named"
            raise AccordError(f"variable {code_id!r} needs {said}: write {code_id}=LEVEL with one of "
                              f"{', '.join(levels)}")
        else:
            terms.append(Term(code_id, level))
    return terms


def retrieve(project: Project, query: Query, spec: DatasetSpec) -> Retrieved:
    """The paragraphs of `query`, with the codings `spec` chooses (whose: coder, consensus or majority)."""
    if spec.whose not in ("coder", "consensus", "majority"):
        raise AccordError(f"retrieval reads one coder's codings, the consensus or the majority, not {spec.whose!r}")
    codes = code_specs(project)
    include, exclude = parse_terms(query.codes, codes), parse_terms(query.exclude, codes)
    if not include:
        raise AccordError("name at least one code to retrieve: --code CODE")
    spec = resolve_whose(project, spec)
    coders = chosen_coders(project, spec)
    project.refuse_misnumbered()
    candidates = candidate_seqs(project, include, query.any_, coders, query.scope)
    # The documents' fields only: the export's document_frame also reads every document's
    # metadata, which a retrieval does not show.
    fields = document_fields(project)
    of_document = {row[0]: row[1:] for row in fields}
    columns = [Column("paragraph_id", "Paragraph id", "str"), Column("document_id", "Document id", "str"),
               Column("position", "Paragraph's place in its document", "int"),
               *document_field_columns({f: [row[i] for row in fields] for i, f in enumerate(DOCUMENT_FIELDS, 1)}),
               Column("flag", "Flagged for discussion", "int"), Column("note", "Coder's note", "str"),
               Column("text", "Paragraph text", "str")]
    found: dict[str, list[object]] = {name: [] for name in ("paragraph_id", "document_id", "position", "flag", "note",
                                                           "text", "_seq")}
    for at in range(0, len(candidates), CHUNK_PARAGRAPHS):
        part = _matches(project, candidates[at:at + CHUNK_PARAGRAPHS], spec, coders, codes, include, exclude, query.any_)
        for name, cells in part.items():
            found[name] += cells
    unknown: tuple[str | None, ...] = (None,) * len(DOCUMENT_FIELDS)
    documents = [of_document.get(str(d), unknown) for d in found["document_id"]]
    for i, name in enumerate(DOCUMENT_FIELDS):
        found[name] = [fields_of[i] for fields_of in documents]
    rows = Table({c.name: found[c.name] for c in columns})
    wanted = {term.code_id for term in include}
    keywords = keyword_pattern(w for code in project.codebook().walk() if code.id in wanted
                               for w in code.keywords) if query.keywords else None
    return Retrieved(columns, rows, spec, keywords, [int(seq) for seq in found["_seq"]])  # type: ignore[call-overload]


class _Candidates:
    """The rows of some candidates, as a range values() chooses from."""

    def __init__(self, paragraphs: list[tuple[object, ...]], statuses: list[tuple[object, ...]],
                 codings: list[tuple[object, ...]]) -> None:
        self.paragraphs = object_table(paragraphs, 4)  # id, document_id, position, seq
        self.statuses = object_table(statuses, 5)  # seq, coder, status, flagged, note
        self.codings = object_table(codings, 4)  # seq, coder, code, value

    def __len__(self) -> int:
        return len(self.paragraphs)

    def grid(self, coders: list[str], codes: list[CodeSpec]) -> Grid:
        index = {coder: i for i, coder in enumerate(coders)}
        seqs = self.paragraphs[:, 3].astype(np.int64)

        def places(column: np.ndarray) -> np.ndarray:
            return np.searchsorted(seqs, column.astype(np.int64))

        s, c = self.statuses, self.codings
        statuses = StatusRows(coder_places(s[:, 1], index), places(s[:, 0]), s[:, 2], flag_numbers(s[:, 3]), s[:, 4])
        code_at, code_ids = factorize(c[:, 2])
        value_at, stored = factorize(c[:, 3])
        codings = CodingRows(coder_places(c[:, 1], index), places(c[:, 0]), code_at, value_at, code_ids, stored)
        return Grid.build(self.paragraphs[:, 0], coders, codes, statuses, codings)


def _matches(project: Project, seqs: list[int], spec: DatasetSpec, coders: list[str], codes: list[CodeSpec],
             include: list[Term], exclude: list[Term], any_: bool) -> dict[str, list[object]]:
    """The candidates among `seqs` that the chosen codings confirm, as export columns; the text
    read for those only (a third of the candidates, in the benchmark's query)."""
    named = {term.code_id for term in [*include, *exclude]}
    codes = [code for code in codes if code.id in named]
    rows = candidate_rows(project, seqs, coders, [code.id for code in codes], with_text=False)
    candidates = _Candidates(rows.paragraphs, rows.statuses, rows.codings)
    chosen = values(candidates, spec, coders, codes)
    hits = np.column_stack([_has(chosen, codes, t) for t in include])
    keep = (hits.any(axis=1) if any_ else hits.all(axis=1)) & chosen.coded
    for term in exclude:
        keep &= _lacks(chosen, codes, term)
    places = chosen.place[keep]
    paragraphs = candidates.paragraphs[places]
    ids = paragraphs[:, 0].tolist()
    texts = project.paragraph_texts(ids)
    return {"paragraph_id": ids, "document_id": paragraphs[:, 1].tolist(), "position": paragraphs[:, 2].tolist(),
            "flag": chosen.flag[keep].tolist(), "note": chosen.note[keep].tolist(),
            "text": [texts[i] for i in ids], "_seq": paragraphs[:, 3].tolist()}


def _number(code: CodeSpec, term: Term) -> int:
    """The stored number of a term's value: 1 for a code, the level's 1-based place for a variable."""
    if code.is_code:
        return int(term.value)
    return [value for value, _ in code.levels].index(str(term.value)) + 1


def _has(chosen: Chosen, codes: list[CodeSpec], term: Term) -> np.ndarray:
    j = next(j for j, code in enumerate(codes) if code.id == term.code_id)
    return chosen.applies(j, _number(codes[j], term))


def _lacks(chosen: Chosen, codes: list[CodeSpec], term: Term) -> np.ndarray:
    """Known not to apply: a code's 0, a variable's other level; missing is not known."""
    j = next(j for j, code in enumerate(codes) if code.id == term.code_id)
    lacks: np.ndarray = chosen.present[:, j] & ~chosen.applies(j, _number(codes[j], term))
    return lacks


def retrieved_markdown(retrieved: Retrieved) -> str:
    """A Markdown table, the keywords in bold; cells one line each (see exports/notes.py `_md`)."""
    lines = ["| Paragraph | Document | Speaker | Country | Date | Note | Text |", "|---|---|---|---|---|---|---|"]
    for row in retrieved.rows.records():
        cells = [row[name] for name in ("paragraph_id", "document_id", "speaker", "country", "date", "note")]
        text = _marked_md(str(row["text"]), retrieved.keywords)
        lines.append("| " + " | ".join(_md(_plain(c)) for c in cells) + f" | {text} |")
    return "\n".join(lines) + "\n"


def retrieved_csv(retrieved: Retrieved, neutralise: bool = True) -> str:
    """The rows as `accord export` writes a CSV (exports/cells.py: the same neutralising and
    quoting), written here: a dataset writer would load pandas for a few thousand rows."""
    names = [column.name for column in retrieved.columns]
    lines = [delimited_line(names, ",", neutralise)]
    lines += [delimited_line([_plain(cell) for cell in row], ",", neutralise)
              for row in zip(*(retrieved.rows[name] for name in names), strict=True)]
    return "".join(lines)


def retrieved_jsonl(retrieved: Retrieved) -> str:
    """The rows as JSON Lines, one object per paragraph, missing values null; `/` written `\\/`
    as the export's writer (pandas) writes it, so that both files read the same byte for byte."""
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/") + "\n"
                   for row in retrieved.rows.records())


def _plain(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _marked_md(text: str, keywords: re.Pattern[str] | None) -> str:
    if keywords is None:
        return _md(text)
    out, at = [], 0
    for found in keywords.finditer(text):
        out += [_md(text[at:found.start()]), f"**{_md(found.group())}**"]
        at = found.end()
    return "".join([*out, _md(text[at:])])
