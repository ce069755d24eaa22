"""Writing report and dataset files: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from store import AccordError


def write_atomically(path: Path, data: str | bytes, force: bool = False) -> None:
    """Write `data` to `path` through a temporary file renamed into place.

    A reader never sees a half-written file, and an existing file is kept unless `force`.
    """
    path = Path(path)
    if path.exists() and not force:
        raise AccordError(f"{path} already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise AccordError(f"cannot write {path}: the folder {path.parent} does not exist")
    binary = isinstance(data, bytes)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide the report from co-authors
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise AccordError(f"cannot write {path}: {error.strerror}") from error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
