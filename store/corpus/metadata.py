"""Joining a table of document metadata onto documents already imported (`accord import
--metadata TABLE`): a Project method, since one project takes in one file.

Only the `documents` table changes: a row's title, speaker, country and date replace the
document's, its other columns are added to (or replace keys of) the document's `meta` JSON.
Codings, statuses, events and paragraphs are never touched, and the paragraph hashes that tell
a changed re-import stay as they were (they hash the text only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from store.base import ProjectBase
from store.intake.metadata_table import read_metadata_table


@dataclass
class MetadataJoin:
    """What a join did."""

    matched: list[str] = field(default_factory=list)
    """Ids of the documents that got a row."""
    unmatched: list[str] = field(default_factory=list)
    """Ids in the table that name no document of the project, in file order."""
    columns: list[str] = field(default_factory=list)
    """The columns joined (fields and meta keys), in file order."""
    without_row: int = 0
    """Documents of the project that the table has no row for."""


class CorpusMetadata(ProjectBase):
    """`join_metadata`: the whole table, or nothing."""

    def join_metadata(self, path: Path, id_column: str | None = None) -> MetadataJoin:
        """Join the metadata table at `path` onto the project's documents by id, in one transaction.

        Raises:
            AccordError: the table cannot be read or is malformed (no id column, a repeated id,
                no rows); the project is unchanged.
        """
        table = read_metadata_table(Path(path), id_column)
        report = MetadataJoin()
        columns: dict[str, None] = {}
        with self.transaction():
            known = {
                row[0]: row[1]
                for row in self.db.execute(
                    "select d.id, d.meta from documents d join json_each(?) j on j.value = d.id",
                    [json.dumps(list(table))],
                )
            }
            for document_id, row in table.items():
                if document_id not in known:
                    report.unmatched.append(document_id)
                    continue
                report.matched.append(document_id)
                columns.update(dict.fromkeys([*row.fields, *row.meta]))
                meta = json.loads(known[document_id]) if known[document_id] else {}
                meta.update(row.meta)
                assignments = "".join(f", {name} = :{name}" for name in row.fields)
                self.db.execute(
                    f"update documents set meta = :meta{assignments} where id = :id",
                    {**row.fields, "id": document_id,
                     "meta": json.dumps(meta, ensure_ascii=False, sort_keys=True) if meta else None},
                )
            total = self.db.execute("select count(*) from documents").fetchone()[0]
        report.columns = list(columns)
        report.without_row = total - len(report.matched)
        return report
