"""Zip the parts of a DOCX reproducibly.

python-docx's own writer stamps each zip entry with the current time, so two saves of the
same document differ. :func:`package_parts` gives the parts of a python-docx package in the
order ``OpcPackage.save`` writes them (through python-docx's PackageWriter, without saving),
and :func:`zip_parts` zips parts in one pass with a fixed date on every entry. A part that
is the same in every document is deflated once (:func:`deflate`) and packed as it is
(:func:`zip_entries`); a part that a document fills in is packed in pieces, its fixed pieces
deflated once (:func:`deflate_piece`, :func:`deflate_pieces`).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from docx.document import Document as DocxDocument
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date of every zip entry slagen writes (the earliest a zip can hold)."""
ZIP_LEVEL = 1
"""zlib level of every entry. Level 1 packs the demo's document.xml (94 KB) in 0.5 ms instead of
1.8 ms at zlib's default level 6, into 16 instead of 13 KB."""


class _Recorder:
    """The physical writer PackageWriter expects, keeping each entry's name and bytes in order."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.parts.append((pack_uri.membername, blob))


def package_parts(target: DocxDocument) -> list[tuple[str, bytes]]:
    """Every entry of the document's package, named and ordered as ``OpcPackage.save`` writes them."""
    package = target.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    recorder = _Recorder()
    physical = cast(PhysPkgWriter, recorder)
    PackageWriter._write_content_types_stream(physical, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(physical, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(physical, parts)
    return recorder.parts


@dataclass(frozen=True, slots=True)
class Entry:
    """One zip entry, deflated: what a part costs to pack is paid once for parts that never change."""

    name: bytes
    crc: int
    size: int
    packed: bytes


def deflate(name: str, data: bytes) -> Entry:
    """``data`` deflated at :data:`ZIP_LEVEL` as the zip entry ``name``."""
    packer = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return Entry(name.encode("ascii"), zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


@dataclass(frozen=True, slots=True)
class Deflated:
    """Bytes deflated on their own up to a byte boundary (a full flush), to be spliced into an entry as they are.

    A deflate stream may be cut into such pieces and put together again: a part of a document that
    comes again (its numbered sections) is deflated once (see :func:`deflate_pieces`).
    """

    data: bytes
    packed: bytes


def deflate_piece(data: bytes) -> Deflated:
    """``data`` deflated at :data:`ZIP_LEVEL` as a piece of an entry."""
    packer = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return Deflated(data, packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH))


STORE_BELOW = 1024
"""Bytes shorter than this are put into an entry as stored blocks, not deflated (see :func:`deflate_pieces`)."""
_FINAL = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15).flush()
"""An empty final block: what ends a deflate stream made of pieces."""


def deflate_pieces(name: str, pieces: Iterable[bytes | Deflated]) -> Entry:
    """The zip entry ``name`` holding ``pieces`` in order: deflated pieces as they are, bytes packed here.

    Consecutive bytes are packed together: deflated when there are :data:`STORE_BELOW` or more, else
    put in as stored blocks (what changes from one document to the next is mostly a few names and
    dates, where zlib would cost more than it saves; what stays the same comes deflated already).
    """
    packed: list[bytes] = []
    crc = size = 0
    run: list[bytes] = []

    def pack_run() -> None:
        data = b"".join(run)
        run.clear()
        if len(data) >= STORE_BELOW:
            packed.append(deflate_piece(data).packed)
        else:
            packed.append(stored_blocks(data))

    for piece in pieces:
        if isinstance(piece, Deflated):
            if run:
                pack_run()
            packed.append(piece.packed)
            data = piece.data
        else:
            run.append(piece)
            data = piece
        crc = zlib.crc32(data, crc)
        size += len(data)
    if run:
        pack_run()
    packed.append(_FINAL)
    return Entry(name.encode("ascii"), crc, size, b"".join(packed))


def stored_blocks(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks, not the last; the stream must be at a byte boundary."""
    out: list[bytes] = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        out += (_STORED.pack(0, len(chunk), len(chunk) ^ 0xFFFF), chunk)
    return b"".join(out)


_STORED = struct.Struct("<BHH")


def zip_entries(entries: Iterable[Entry]) -> bytes:
    """A zip of ``entries`` in their order, byte for byte what :mod:`zipfile` writes for them, in one pass.

    Every entry is dated :data:`ZIP_DATE`; names are ASCII; no entry reaches zip64 sizes (4 GB).
    """
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        common = (0, zipfile.ZIP_DEFLATED, *_DOS_DATE, entry.crc, len(entry.packed), entry.size, len(entry.name))
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *common, 0)
        directory.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, *common, 0, 0, 0, 0, _MODE, offset))
        directory.append(entry.name)
        out += (header, entry.name, entry.packed)
        offset += len(header) + len(entry.name) + len(entry.packed)
    central = b"".join(directory)
    count = len(directory) // 2
    return b"".join(out) + central + _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)


_VERSION, _UNIX, _MODE = 20, 3, 0o600 << 16
"""Zip version 2.0 (deflate) needed and made by, made on Unix, file mode rw------- (what zipfile writes on Linux)."""
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = (0, (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2])
"""Time and date of :data:`ZIP_DATE` as a zip stores them (midnight, 1 January 1980)."""


def zip_parts(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` (name, bytes) in their order, every entry dated :data:`ZIP_DATE`."""
    return zip_entries(deflate(name, data) for name, data in parts)


def save_package(target: DocxDocument) -> bytes:
    """The document's bytes, written as ``OpcPackage.save`` does but with fixed entry dates."""
    return zip_parts(package_parts(target))


def zip_folder(folder: Any) -> bytes:
    """A zip of every file below ``folder`` (a Path), sorted, with fixed entry dates."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return zip_parts((path.relative_to(folder).as_posix(), path.read_bytes()) for path in files)
