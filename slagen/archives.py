"""Open the zip packages a user gives slagen (a reference DOCX, a contract to inspect, an XLSX table) within bounds.

A DOCX or XLSX is a zip, and a zip of one megabyte can unpack to gigabytes (a *zip bomb*), hold
millions of entries, or claim sizes its data does not have. :func:`read_package` reads one
within bounds, so that memory stays bounded whatever the file holds:

1. the path must be a regular file (not ``/dev/zero``, a named pipe or a directory), checked on the
   opened file before a byte is read, and at most :data:`MAX_UNPACKED` bytes long;
2. the zip's directory, before anything is unpacked: at most :data:`MAX_ENTRIES` entries in a
   directory of at most :data:`MAX_DIRECTORY` bytes (checked from the end record, before
   :mod:`zipfile` reads the directory), together at most :data:`MAX_UNPACKED` bytes unpacked, no
   entry packed more tightly than :data:`MAX_RATIO` to one (beyond :data:`RATIO_FREE` bytes), only
   the two compression methods Office writes (stored, deflated), nothing encrypted;
3. every entry is unpacked in chunks of :data:`CHUNK` bytes and never beyond the size the directory
   gives (:mod:`zipfile` stops there, and the CRC tells a lying directory), so that a directory
   that understates a size cannot make one unpacking call allocate more.

The entries read are given as bytes; :func:`stored_zip` packs them again (stored, not compressed)
for python-docx and openpyxl, which then unpack nothing that was not read within the bounds.
Everything refused is an :class:`~slagen.errors.InputError` naming the file and what is wrong.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import BinaryIO

from slagen.errors import InputError

MiB = 1 << 20
MAX_ENTRIES = 2_000
"""Entries in one package. Word writes 10-30 for a document, a few hundred with many images."""
MAX_DIRECTORY = 4 * MiB
"""Bytes of the zip's central directory (about 2 KiB per entry at the most entries)."""
MAX_UNPACKED = 100 * MiB
"""Bytes of all entries together, unpacked; also the most a package file itself may have."""
MAX_RATIO = 200
"""Unpacked to packed size of one entry. Office XML deflates 5-30 to 1; a zip bomb 1,000 to 1."""
RATIO_FREE = MiB
"""An entry up to this size unpacked may have any ratio (a small part of spaces deflates very well)."""
CHUNK = MiB
"""Bytes unpacked in one call while an entry is read."""
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_END_TAIL = _END.size + 0xFFFF  # the end record and the longest comment a zip can have


def read_package(
    path: Path, *, not_a_zip: str, missing: str = "file not found", names: Collection[str] | None = None
) -> dict[str, bytes]:
    """The entries of the zip at ``path`` by name (only ``names`` if given), read within the bounds above.

    ``not_a_zip`` is the message for a file that is no zip at all; ``missing`` the one for a path
    that does not exist. A name the zip holds twice counts once, with its last entry, as :mod:`zipfile`
    reads it.
    """
    with _open_regular(path, missing) as file:
        _check_end_record(file, path)
        try:
            archive = zipfile.ZipFile(file)
        except Exception:  # noqa: BLE001 - zipfile raises many kinds (BadZipFile, ValueError, EOFError) for a damaged file
            raise InputError.single(not_a_zip, file=path) from None
        with archive:
            entries = _checked_entries(archive.infolist(), path)
            wanted = [entry for entry in entries if names is None or entry.filename in names]
            return {entry.filename: _read_entry(archive, entry, path) for entry in wanted}


def stored_zip(parts: Mapping[str, bytes]) -> bytes:
    """A zip of ``parts`` (name → bytes), stored without compression: quick to write, read back within bounds."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with control and format characters escaped (``\\x1b``, ``\\u202e``), except those in ``keep``.

    For text from a file that may hold anything, shown on a terminal: no escape sequence, no
    bidirectional override, no line separator reaches it raw.

    >>> printable("Acme\\u202eHbmG \\x1b[2J")
    'Acme\\\\u202eHbmG \\\\x1b[2J'
    """
    return "".join(
        char
        if char in keep or unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def read_regular(path: Path, *, limit: int, noun: str, missing: str = "file not found") -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (a FIFO or ``/dev/zero`` is never read).

    For the files slagen reads whole that are no packages: answers files and CSV tables (``noun``).
    """
    with _open_regular(path, missing, limit, noun) as file:
        return file.read(limit + 1)


def _open_regular(path: Path, missing: str, limit: int = MAX_UNPACKED, noun: str = "packages") -> BinaryIO:
    """``path`` opened for reading if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked on the open file, so that a named pipe never blocks and
    a path swapped after a check is still the file checked.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError.single(missing, file=path) from None
    except OSError as exc:
        raise InputError.single(f"cannot read the file ({exc.strerror})", file=path) from None
    try:
        mode = os.fstat(descriptor)
        if not stat.S_ISREG(mode.st_mode):
            raise InputError.single(f"not a regular file but {_kind(mode.st_mode)}: nothing was read", file=path)
        if mode.st_size > limit:
            raise InputError.single(
                f"too large: {mode.st_size / MiB:,.1f} MiB (slagen reads {noun} up to {limit // MiB} MiB)", file=path
            )
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device")]
    kinds += [(stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]
    return next((name for test, name in kinds if test(mode)), "no ordinary file")


def _check_end_record(file: BinaryIO, path: Path) -> None:
    """Refuse a directory of too many entries or bytes, from the zip's end record, before zipfile reads it.

    :mod:`zipfile` reads the whole directory into objects first, and reads it by its size, not by the
    count the end record gives: both are bounded here. The end record (and its zip64 form) is found
    where :mod:`zipfile` finds it, so that both read the same one. A file without one is left to
    :mod:`zipfile` to refuse.
    """
    size = file.seek(0, os.SEEK_END)
    start = max(0, size - _END_TAIL)
    file.seek(start)
    tail = file.read()
    if tail[-_END.size :][:4] == _END_SIGNATURE and tail[-2:] == b"\0\0":  # no comment: the last 22 bytes
        at = len(tail) - _END.size
    else:
        at = tail.rfind(_END_SIGNATURE)
        if at < 0 or len(tail) - at < _END.size:
            return
    *_, entries, directory, _, _ = _END.unpack_from(tail, at)
    locator = start + at - _END64_LOCATOR.size  # a zip64 end: its locator and record just before the end record
    if locator - _END64.size >= 0:
        file.seek(locator - _END64.size)
        record = file.read(_END64.size + _END64_LOCATOR.size)
        if record[_END64.size :][:4] == b"PK\x06\x07" and record[:4] == b"PK\x06\x06":
            entries, directory = _END64.unpack_from(record)[7:9]
    if entries > MAX_ENTRIES or directory > MAX_DIRECTORY:
        raise InputError.single(
            f"too many parts: the zip's directory lists {entries:,} entries in {directory:,} bytes "
            f"(slagen reads at most {MAX_ENTRIES:,} entries in {MAX_DIRECTORY // MiB} MiB)",
            file=path,
        )


def _checked_entries(entries: list[zipfile.ZipInfo], path: Path) -> list[zipfile.ZipInfo]:
    """The file entries of a zip's directory, each and all within the bounds; refused as a whole if not."""
    if len(entries) > MAX_ENTRIES:
        raise InputError.single(f"too many parts: {len(entries):,} zip entries (at most {MAX_ENTRIES:,})", file=path)
    total = 0
    for entry in entries:
        name = printable(entry.filename)
        if entry.compress_type not in _METHODS:
            raise InputError.single(
                f"damaged or not an Office file: part '{name}' is packed with method {entry.compress_type}; "
                "Office documents are stored or deflated",
                file=path,
            )
        if entry.flag_bits & 0x1:
            raise InputError.single(f"part '{name}' is encrypted: save the file without a password", file=path)
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FREE and ratio > MAX_RATIO:
            raise InputError.single(
                f"part '{name}' would unpack {ratio:,.0f} times its packed size to {entry.file_size / MiB:,.0f} MiB "
                f"(at most {MAX_RATIO} times): a zip bomb, not a document; nothing was unpacked",
                file=path,
            )
        total += entry.file_size
    if total > MAX_UNPACKED:
        raise InputError.single(
            f"too large: its parts would unpack to {total / MiB:,.0f} MiB (at most {MAX_UNPACKED // MiB} MiB); "
            "nothing was unpacked",
            file=path,
        )
    return [entry for entry in entries if not entry.is_dir()]


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path) -> bytes:
    """The bytes of ``entry``, unpacked :data:`CHUNK` bytes at a time, at most the size its directory gives."""
    chunks = []
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise InputError.single(
            f"damaged: part '{printable(entry.filename)}' cannot be unpacked ({printable(str(exc))})", file=path
        ) from None
    return b"".join(chunks)
