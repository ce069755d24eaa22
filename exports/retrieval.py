"""Retrieval by code: the paragraphs whose chosen codings apply some codes and not others.

SQL (store/retrieval.py) finds the candidates; the chosen values are then those of `accord
export` (exports/datasets.py `values`, the one rule for --coder, --consensus and --majority),
so a retrieval is exactly the export filtered by hand. A paragraph not done is missing: it
matches nothing, and is not "without" a code either. Columns are named as in the export.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from exports.coded import Chunk, CodeSpec, object_frame
from exports.datasets import (
    CHUNK_PARAGRAPHS,
    DOCUMENT_FIELDS,
    Column,
    Dataset,
    DatasetSpec,
    chosen_coders,
    code_specs,
    document_field_columns,
    resolve_whose,
    values,
)
from exports.notes import _md
from store import AccordError, Project, Scope, Term, candidate_rows, candidate_seqs, document_fields, keyword_pattern


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
class Retrieved:
    """The matching paragraphs, one row each in corpus order, and how to show them."""

    columns: list[Column]
    rows: pd.DataFrame
    whose: DatasetSpec
    """Whose codings were chosen (after resolve_whose)."""
    keywords: re.Pattern[str] | None
    """The matched codes' codebook keywords, for marking in the text."""
    seqs: list[int] = field(default_factory=list)
    """Each row's place in the corpus (`seq`), for a screen to jump to."""

    def dataset(self) -> Dataset:
        """The rows for the dataset writers (CSV cells neutralised there)."""
        return Dataset(self.columns, iter([self.rows]), paragraphs=len(self.rows))


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
    candidates = candidate_seqs(project, include, query.any_, coders, query.scope)
    # The documents' fields only: the export's document_frame also reads every document's
    # metadata, which a retrieval does not show.
    fields = pd.DataFrame(document_fields(project), columns=["document_id", *DOCUMENT_FIELDS], dtype=object)
    columns = [Column("paragraph_id", "Paragraph id", "str"), Column("document_id", "Document id", "str"),
               Column("position", "Paragraph's place in its document", "int"),
               *document_field_columns(fields), Column("flag", "Flagged for discussion", "int"),
               Column("note", "Coder's note", "str"), Column("text", "Paragraph text", "str")]
    frames = [_matches(project, candidates[at:at + CHUNK_PARAGRAPHS], spec, coders, codes, include, exclude,
                       query.any_) for at in range(0, len(candidates), CHUNK_PARAGRAPHS)]
    names = [c.name for c in columns]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["paragraph_id", "document_id"])
    fields = fields.set_index("document_id")
    for name in DOCUMENT_FIELDS:
        rows[name] = rows["document_id"].map(fields[name]).astype(object) if len(rows) else pd.Series(dtype=object)
    for name in names:
        if name not in rows:
            rows[name] = pd.Series(dtype=object)
    rows["position"] = rows["position"].astype(pd.Int64Dtype())
    for name in ("paragraph_id", "document_id", "note", "text"):
        rows[name] = rows[name].astype(object)
    wanted = {term.code_id for term in include}
    keywords = keyword_pattern(w for code in project.codebook().walk() if code.id in wanted
                               for w in code.keywords) if query.keywords else None
    seqs = [int(seq) for seq in rows["_seq"]] if len(rows) else []
    return Retrieved(columns, rows[names].reset_index(drop=True), spec, keywords, seqs)


def _matches(project: Project, seqs: list[int], spec: DatasetSpec, coders: list[str], codes: list[CodeSpec],
             include: list[Term], exclude: list[Term], any_: bool) -> pd.DataFrame:
    """The candidates among `seqs` that the chosen codings confirm, as export columns; the text
    read for those only (a third of the candidates, in the benchmark's query)."""
    named = {term.code_id for term in [*include, *exclude]}
    codes = [code for code in codes if code.id in named]
    rows = candidate_rows(project, seqs, coders, [code.id for code in codes], with_text=False)
    chunk = Chunk(object_frame(rows.paragraphs, ["paragraph_id", "document_id", "position", "seq"]),
                  object_frame(rows.statuses, ["seq", "coder", "status", "flagged", "note"]),
                  object_frame(rows.codings, ["seq", "coder", "code", "value"]))
    chosen = values(chunk, spec, coders, codes)
    hits = pd.concat([_has(chosen[t.code_id], t) for t in include], axis=1)
    keep = (hits.any(axis=1) if any_ else hits.all(axis=1)) & chosen["_coded"]
    for term in exclude:
        keep &= _lacks(chosen[term.code_id], term)
    kept = chosen[keep.to_numpy()]
    paragraphs = chunk.paragraphs.take(kept["_place"].to_numpy())
    ids = paragraphs["paragraph_id"].to_numpy()
    texts = project.paragraph_texts(ids.tolist())
    return pd.DataFrame({
        "paragraph_id": ids, "document_id": paragraphs["document_id"].to_numpy(),
        "position": paragraphs["position"].to_numpy(), "flag": kept["flag"].to_numpy(),
        "note": kept["note"].to_numpy(), "text": np.array([texts[i] for i in ids.tolist()], dtype=object),
        "_seq": paragraphs["seq"].to_numpy(),
    })


def _has(column: pd.Series, term: Term) -> pd.Series:
    return (column == term.value).fillna(False).astype(bool)


def _lacks(column: pd.Series, term: Term) -> pd.Series:
    """Known not to apply: a code's 0, a variable's other level; missing is not known."""
    return (column.notna() & (column != term.value)).fillna(False).astype(bool)


def retrieved_markdown(retrieved: Retrieved) -> str:
    """A Markdown table, the keywords in bold; cells one line each (see exports/notes.py `_md`)."""
    lines = ["| Paragraph | Document | Speaker | Country | Date | Note | Text |", "|---|---|---|---|---|---|---|"]
    for row in retrieved.rows.itertuples(index=False):
        cells = [row.paragraph_id, row.document_id, row.speaker, row.country, row.date, row.note]
        lines.append("| " + " | ".join(_md(_plain(c)) for c in cells) + f" | {_marked_md(row.text, retrieved.keywords)} |")
    return "\n".join(lines) + "\n"


def _plain(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _marked_md(text: str, keywords: re.Pattern[str] | None) -> str:
    if keywords is None:
        return _md(text)
    out, at = [], 0
    for found in keywords.finditer(text):
        out += [_md(text[at:found.start()]), f"**{_md(found.group())}**"]
        at = found.end()
    return "".join([*out, _md(text[at:])])
