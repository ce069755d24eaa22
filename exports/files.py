"""Writing report and dataset files: whole or not at all, never over a file unasked."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from store import AccordError, project_file_under


def check_target(path: Path, force: bool) -> None:
    """Refuse an existing file without `force`, a folder or a missing parent folder always, and
    always a project this process opened or its -wal/-shm, under whatever name (--force must
    never replace the project with a CSV). Every output file passes here (atomic_path)."""
    path = Path(path)
    project = project_file_under(path)
    if project is not None:
        raise AccordError(f"{path} is the project {project} (or its -wal/-shm companion); "
                          "choose another name for the output. Nothing was written")
    if path.is_dir():
        raise AccordError(f"{path} is a folder; give a file name to write to")
    if path.exists() and not force:
        raise AccordError(f"{path} already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise AccordError(f"cannot write {path}: the folder {path.parent} does not exist")


def format_of(path: Path | None, asked: str | None, extensions: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The format to write `path` in: the one `asked` (--format), else the one its extension
    names; `default` without a file. A format that contradicts the extension, or an extension
    that names no format when none was asked, is refused: a `.dta` file holding CSV text opens
    nowhere, and the researcher learns it only when Stata refuses it."""
    if path is None:
        return asked or default
    suffix = Path(path).suffix.lower()
    named = next((fmt for fmt, known in extensions.items() if suffix in known), None)
    if asked is None:
        if named is None:
            known = ", ".join(e for exts in extensions.values() for e in exts)
            raise AccordError(f"cannot tell the format of {path} from its extension: name the file "
                              f"{known}, or give --format")
        return named
    if named is not None and named != asked:
        raise AccordError(f"--format {asked} contradicts the name {path} ({suffix} is {named}): name the file "
                          f"{extensions[asked][0] if extensions.get(asked) else 'otherwise'} or drop --format")
    return asked


@contextmanager
def atomic_path(path: Path, force: bool = False, ready: Callable[[], None] | None = None) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it only when the block completes.

    An error (or Ctrl-C) inside the block leaves `path` as it was and removes the temporary
    file; a reader never sees a half-written file. `ready`, called once the block is done and
    before the rename, may still refuse by raising (the page check run beside an export).
    """
    path = Path(path)
    check_target(path, force)
    remove_leftovers(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if ready is not None:
            ready()
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide the file from co-authors
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise AccordError(f"cannot write {path}: {error.strerror}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


LEFTOVER_AGE = 60.0
"""Seconds before a temporary file of atomic_path counts as left by a killed run: a younger one
may be another export writing the same file right now."""


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files a killed atomic_path left beside `path` (an export killed by
    SIGKILL or a power cut runs no cleanup, and they can be hundreds of MB): only regular files
    named exactly as it names them for this target (`.NAME.` and mkstemp's eight characters, then
    `.tmp`) and untouched for LEFTOVER_AGE. A file that cannot be removed is left: the export
    itself does not need it gone."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    cutoff = time.time() - LEFTOVER_AGE
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        try:
            if (pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff):
                os.unlink(entry.path)
        except OSError:
            continue


def write_atomically(path: Path, data: str | bytes, force: bool = False) -> None:
    """Write `data` (text as UTF-8) to `path` through atomic_path."""
    with atomic_path(path, force) as temporary:
        if isinstance(data, bytes):
            temporary.write_bytes(data)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as file:
                file.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
