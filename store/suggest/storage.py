"""The `models` table: one row per code or variable (and one for the shared features), arrays
as NumPy .npz bytes and the cross-validated report as JSON.

A project file may be forged (it travels between coders), so nothing read from it is
unpickled: arrays load with allow_pickle=False, which refuses object arrays, and every array
is checked for its dtype before use.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.errors import AccordError

if TYPE_CHECKING:  # NumPy loads only when models are read or written: handout and start-up stay light
    from numpy.typing import NDArray

FEATURES = "*features*"
"""The row holding what every code's model shares (the TF-IDF weights); not a code id (ids are
identifiers, never starting with `*`)."""
SUGGESTIONS_OFF = "suggestions_off"
"""meta key: set (to "1") in a coder's file by `accord handout --no-suggestions`."""
SAMPLE_KEY = "reliability_sample"
"""meta key: the JSON list of a coder's paragraphs that handout put in the reliability sample."""
MAX_ARRAY_BYTES = 256 * 1024 * 1024
"""No stored array unpacks to more than this: a forged file cannot make Accord fill memory."""


@dataclass(frozen=True)
class StoredModel:
    """One row of `models`."""

    code_id: str
    codebook_sha256: str
    basis: str
    trained_on: int
    trained_at: str
    arrays: dict[str, NDArray[Any]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)


def pack(arrays: dict[str, NDArray[Any]]) -> bytes:
    """Arrays as .npz bytes (numbers only: an object array is refused)."""
    import numpy as np

    for name, array in arrays.items():
        if array.dtype.hasobject:
            raise ValueError(f"array {name} holds objects; only numbers are stored")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def unpack(data: bytes, code_id: str) -> dict[str, NDArray[Any]]:
    """The arrays of .npz bytes, never unpickled; a damaged or forged blob is an AccordError."""
    import numpy as np

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_ARRAY_BYTES:
                raise AccordError(f"the model of {code_id!r} in the project file is too large to be Accord's; "
                                  "run `accord suggest train` again")
        with np.load(io.BytesIO(data), allow_pickle=False) as loaded:
            arrays = {name: loaded[name] for name in loaded.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise AccordError(f"the model of {code_id!r} in the project file is damaged ({error}); "
                          "run `accord suggest train` again") from error
    for name, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise AccordError(f"the model of {code_id!r} in the project file holds {name} of type {array.dtype}; "
                              "run `accord suggest train` again")
    return arrays


def save_models(db: sqlite3.Connection, models: list[StoredModel]) -> None:
    """Replace every stored model by `models` (the caller holds the transaction)."""
    db.execute("delete from models")
    db.executemany(
        "insert into models (code_id, codebook_sha256, basis, trained_on, trained_at, arrays, report) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [(m.code_id, m.codebook_sha256, m.basis, m.trained_on, m.trained_at, pack(m.arrays),
          json.dumps(m.report, ensure_ascii=False)) for m in models],
    )


def load_models(db: sqlite3.Connection, with_arrays: bool = True) -> dict[str, StoredModel]:
    """Stored models by code id (FEATURES included), in the order they were trained."""
    out: dict[str, StoredModel] = {}
    columns = "arrays" if with_arrays else "null"
    rows = db.execute(f"select code_id, codebook_sha256, basis, trained_on, trained_at, {columns}, report "
                      "from models order by rowid")
    for code_id, sha, basis, trained_on, trained_at, data, report in rows:
        try:
            parsed = json.loads(report)
        except (TypeError, ValueError) as error:
            raise AccordError(f"the report of model {code_id!r} in the project file is damaged; "
                              "run `accord suggest train` again") from error
        if not isinstance(parsed, dict):
            raise AccordError(f"the report of model {code_id!r} in the project file is damaged; "
                              "run `accord suggest train` again")
        arrays = unpack(data, code_id) if with_arrays and isinstance(data, bytes) else {}
        out[str(code_id)] = StoredModel(str(code_id), str(sha), str(basis), int(trained_on), str(trained_at),
                                        arrays, parsed)
    return out


def suggestions_off(db: sqlite3.Connection) -> bool:
    """Whether the lead turned suggestions off in this (coder's) file."""
    row = db.execute("select value from meta where key = ?", [SUGGESTIONS_OFF]).fetchone()
    return row is not None and row[0] == "1"


def reliability_sample(db: sqlite3.Connection) -> set[str]:
    """Paragraphs of the reliability sample this file knows: assigned to two or more coders
    (the lead's file), or listed by handout (a coder's file, which sees no other coder)."""
    sample = {str(pid) for (pid,) in db.execute(
        "select paragraph_id from assignments group by paragraph_id having count(*) > 1")}
    row = db.execute("select value from meta where key = ?", [SAMPLE_KEY]).fetchone()
    if row is not None:
        try:
            listed = json.loads(row[0])
        except (TypeError, ValueError):
            listed = None
        if not isinstance(listed, list):
            raise AccordError(f"meta {SAMPLE_KEY} of the project file is damaged: hand the project out again")
        sample.update(str(pid) for pid in listed)
    return sample


def open_paragraphs(db: sqlite3.Connection, coder: str) -> list[tuple[int, str, str]]:
    """(seq, id, text) of the paragraphs the coder has not marked done, in corpus order: the
    assigned ones when a handout assigned the coder any."""
    assigned = db.execute("select 1 from assignments where coder_id = ? limit 1", [coder]).fetchone() is not None
    join = "join assignments a on a.paragraph_id = p.id and a.coder_id = :coder" if assigned else ""
    rows = db.execute(
        f"""select p.seq, p.id, p.text from paragraphs p {join}
            where not exists (select 1 from paragraph_status s where s.paragraph_id = p.id
                              and s.coder_id = :coder and s.status = 'done')
            order by p.seq""", {"coder": coder})
    return [(int(seq), str(pid), str(text)) for seq, pid, text in rows]


def exposure(db: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(coder, paragraph, 1/0) for every coder's done paragraph on which a model was in use:
    1 when any of the coder's events there had a suggestion on screen."""
    rows = db.execute(
        """select e.coder_id, e.paragraph_id, max(e.suggested) from events e
           join paragraph_status s on s.paragraph_id = e.paragraph_id and s.coder_id = e.coder_id
           where e.suggested is not null and s.status = 'done' and e.coder_id != 'consensus'
           group by e.coder_id, e.paragraph_id order by e.coder_id, e.paragraph_id""")
    return [(str(coder), str(pid), int(flag)) for coder, pid, flag in rows]
