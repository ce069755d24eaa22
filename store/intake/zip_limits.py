"""How much a zip archive (a `.qdpx`) may unpack to, and reading its members within that.

A 261 KB `.qdpx` holding one 256 MiB member of repeated text took 17.4 GB of memory and 135 s
to import. An archive may unpack to MAX_RATIO times its own size (text deflates about 3:1, the
XML of a project a little more), never less than ALWAYS_ALLOWED and never more than
MAX_UNPACKED_BYTES. The sizes in the zip directory are checked before anything is read, each
member and all of them together; a directory can lie, so members are also read in chunks that
stop one byte past what the directory says and what the budget has left.
"""

from __future__ import annotations

import copy
import zipfile
import zlib
from collections.abc import Iterable

from store.errors import AccordError

MAX_UNPACKED_BYTES = 2 << 30
"""No archive unpacks to more than this (2 GiB), however large it is."""
MAX_RATIO = 100
"""An archive unpacks to at most this many times its own size."""
ALWAYS_ALLOWED = 1 << 20
"""What even the smallest archive may unpack to (1 MiB): a small archive of repeated test text
compresses past MAX_RATIO and holds no danger."""
CHUNK = 1 << 20


class TooLarge(AccordError):
    """An archive or member that unpacks to more than its budget; the message names it."""


def size(count: int) -> str:
    """Bytes for a message: "1,000 bytes", "41.0 KiB", "8.9 MiB", "2.0 GiB"."""
    if count < 1024:
        return f"{count:,} byte{'' if count == 1 else 's'}"
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):,.1f} {unit}"
    raise AssertionError("unreachable")


def budget(archive_bytes: int) -> int:
    """The most an archive of `archive_bytes` may unpack to, all its members together."""
    return min(MAX_UNPACKED_BYTES, max(MAX_RATIO * archive_bytes, ALWAYS_ALLOWED))


def _limits(allowed: int) -> str:
    return (f"Accord unpacks at most {size(allowed)} from it ({MAX_RATIO} times the size of the archive, "
            f"at least {size(ALWAYS_ALLOWED)}, never more than {size(MAX_UNPACKED_BYTES)}); refused")


class Unpacking:
    """The budget of one archive: checked against its directory, then spent as members are read."""

    def __init__(self, name: str, archive_bytes: int) -> None:
        self.name = name
        self.left = budget(archive_bytes)
        self.allowed = self.left

    def check_directory(self, members: Iterable[zipfile.ZipInfo]) -> None:
        """Refuse, before reading anything, a member or an archive that says it is too large."""
        total = 0
        for info in members:
            if info.file_size > self.allowed:
                raise TooLarge(f"{self.name}: archive member {info.filename} unpacks to {size(info.file_size)}; "
                               + _limits(self.allowed))
            total += info.file_size
        if total > self.allowed:
            raise TooLarge(f"{self.name}: the archive unpacks to {size(total)}; " + _limits(self.allowed))

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, read in chunks that stop one byte past the smaller of its directory
        size and the budget left: a forged directory cannot make it unpack more."""
        limit = min(info.file_size, self.left)
        # zipfile stops at the size it is given: one byte more shows whether the data goes on.
        # It would check the checksum of that cut data too, so the checksum is checked here.
        probe = copy.copy(info)
        probe.file_size = limit + 1
        probe.CRC = None  # type: ignore[assignment]
        data = bytearray()
        with archive.open(probe) as stream:
            while len(data) <= limit and (chunk := stream.read(min(CHUNK, limit + 1 - len(data)))):
                data += chunk
        if len(data) > info.file_size:
            raise TooLarge(f"{self.name}: archive member {info.filename} unpacks to more than the "
                           f"{size(info.file_size)} its zip directory says; refused")
        if len(data) > limit:
            raise TooLarge(f"{self.name}: the archive unpacks to more than {size(self.allowed)}; "
                           + _limits(self.allowed))
        if zlib.crc32(data) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        self.left -= len(data)
        return bytes(data)
