"""Writing an export safely: never over an existing file unasked, never a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store import AccordError


def check_target(path: Path, force: bool) -> None:
    """Refuse an existing file without `force`, and a folder or a missing parent folder always."""
    if path.is_dir():
        raise AccordError(f"{path} is a folder; give a file name to write to")
    if path.exists() and not force:
        raise AccordError(f"{path} already exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise AccordError(f"cannot write {path}: folder {path.parent} does not exist")


@contextmanager
def atomic_path(path: Path, force: bool = False) -> Iterator[Path]:
    """A temporary path beside `path`; renamed onto it only when the block completes.

    An error (or Ctrl-C) inside the block leaves `path` as it was and removes the temporary file.
    """
    check_target(path, force)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise

