"""Every archive slagen opens is read within bounds: the reliability probe's F12 and F13 (issue 15, item 4).

A reference document (``build --reference-doc``), a contract for ``slagen inspect`` and an XLSX batch
table are zips. Each probe of ``reviews/reliability.md`` is made here as its appendix says (a part
streamed from 1 MiB chunks of spaces, a damaged deflate stream, an encrypted flag, compression method
99) and must end in exit 2 with a message naming the file, quickly and with bounded memory; files that
are no regular files (``/dev/zero``, a named pipe, a directory) are refused before a byte is read.
"""

from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from slagen.archives import MAX_ENTRIES, MAX_RATIO, MAX_UNPACKED, MiB, read_package
from slagen.cli import main
from slagen.errors import InputError

from .conftest import DEMO, ROOT

GiB = 1 << 30


# -- making hostile zips -------------------------------------------------------------------------------------------


def spaces_deflated(size: int) -> tuple[bytes, int]:
    """``size`` spaces (a multiple of 1 MiB) as raw deflate data, and their CRC.

    The appendix streams 1 MiB chunks through ``ZipFile.open(name, "w")``; deflating a GiB that way takes
    seconds. A chunk deflated after a full flush deflates to the same bytes every time, so it is deflated
    once and repeated: the same stream, made in a fraction of the time.
    """
    chunk = b" " * MiB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(chunk, crc)
    return block * (size // MiB) + compressor.flush(zlib.Z_FINISH), crc


Entry = tuple[str, bytes, int, int, int]
"""A zip entry as written: name, packed bytes, CRC, size the directory gives, compression method."""


def entry(name: str, data: bytes) -> Entry:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED


def raw_zip(entries: list[Entry], *, flags: int = 0) -> bytes:
    """A zip of ``entries`` written byte by byte, so that a directory may say what its data is not."""
    out, directory = bytearray(), bytearray()
    for name, packed, crc, size, method in entries:
        encoded = name.encode()
        head = (20, flags, method, 0, 0x21, crc, len(packed), size, len(encoded))
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *head, 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *head, 0) + encoded + packed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def entries_of(data: bytes) -> list[Entry]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [entry(info.filename, archive.read(info)) for info in archive.infolist()]


def replaced(data: bytes, name: str, new: Entry) -> bytes:
    return raw_zip([new if old[0] == name else old for old in entries_of(data)])


def a_docx() -> bytes:
    saved = io.BytesIO()
    docx.Document().save(saved)
    return saved.getvalue()


def an_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["name", "parties.customer.name"])
    book.active.append(["a", "Acme GmbH"])
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("contract")
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(out), "--lang", "de", "--format", "docx"])
    assert result.exit_code == 0, result.output
    return (out / "telemarketing.de.docx").read_bytes()


@pytest.fixture(scope="module")
def gib_of_spaces() -> tuple[bytes, int]:
    return spaces_deflated(GiB)


# -- the three commands that open an archive -----------------------------------------------------------------------


def run_reference(path: Path, tmp_path: Path) -> tuple[int, str]:
    args = ["build", str(DEMO), "-o", str(tmp_path / "out"), "--lang", "en", "--format", "docx"]
    result = CliRunner().invoke(main, [*args, "--reference-doc", str(path)])
    return result.exit_code, result.stderr


def run_inspect(path: Path, tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["inspect", str(path)])
    return result.exit_code, result.stderr


def run_batch(path: Path, tmp_path: Path) -> tuple[int, str]:
    args = ["batch", str(path), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--jobs", "1", "--format", "md"]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stderr


COMMANDS: dict[str, tuple[Callable[[Path, Path], tuple[int, str]], str]] = {
    "reference": (run_reference, "docx"),
    "inspect": (run_inspect, "docx"),
    "batch": (run_batch, "xlsx"),
}


def refused(run: Callable[[Path, Path], tuple[int, str]], path: Path, tmp_path: Path, message: str) -> float:
    """Run a command on ``path``: exit 2 with ``message`` about ``path``, nothing written; the seconds it took."""
    started = time.process_time()
    code, stderr = run(path, tmp_path)
    seconds = time.process_time() - started
    assert (code, stderr.splitlines()[0] if stderr else "") == (2, f"error: {path}: {message}"), stderr
    assert not (tmp_path / "out").exists()
    return seconds


# -- F13: bombs, and what is no file -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_f13_a_gib_zip_bomb_is_refused_from_the_directory_unread(
    command: str, tmp_path: Path, contract: bytes, gib_of_spaces: tuple[bytes, int]
) -> None:
    """The appendix's bombs: 1 GiB of spaces in document.xml, in the answers part, in sharedStrings.xml."""
    run, suffix = COMMANDS[command]
    packed, crc = gib_of_spaces
    source, part = {
        "reference": (a_docx(), "word/document.xml"),
        "inspect": (contract, "customXml/slagen-answers.xml"),
        "batch": (an_xlsx(), "xl/worksheets/sheet1.xml"),
    }[command]
    bomb = tmp_path / f"bomb.{suffix}"
    bomb.write_bytes(replaced(source, part, (part, packed, crc, GiB, zipfile.ZIP_DEFLATED)))
    assert bomb.stat().st_size < 1.1 * MiB
    ratio = GiB / len(packed)
    message = (
        f"part '{part}' would unpack {ratio:,.0f} times its packed size to 1,024 MiB (at most {MAX_RATIO} times): "
        "a zip bomb, not a document; nothing was unpacked"
    )
    assert refused(run, bomb, tmp_path, message) < 3


def peak_rss_mib(*args: str) -> tuple[int, float, str]:
    """Exit code, peak RSS (MiB) and stderr of ``slagen ARGS`` in a fresh interpreter."""
    script = (
        "import resource, sys\nfrom slagen.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    code = exc.code\nprint(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=False)
    *lines, last = done.stderr.strip().splitlines()
    code, kib = last.split()
    return int(code), int(kib) / 1024, "\n".join(lines)


def test_f13_a_directory_that_understates_a_size_cannot_make_memory_grow(
    tmp_path: Path, gib_of_spaces: tuple[bytes, int]
) -> None:
    """A directory that says 4 KiB for a part whose data unpacks to 1 GiB: read 1 MiB at a time, never beyond."""
    packed, _ = gib_of_spaces
    crc = zlib.crc32(b" " * 4096)  # the CRC of what the directory says: only reading all of it would tell
    lying = tmp_path / "lying.docx"
    part = "word/document.xml"
    lying.write_bytes(replaced(a_docx(), part, (part, packed, crc, 4096, zipfile.ZIP_DEFLATED)))
    code, peak, stderr = peak_rss_mib("build", str(DEMO), "-o", str(tmp_path / "out"), "--reference-doc", str(lying))
    assert (code, stderr) == (2, f"error: {lying}: not a Word document (.docx) that can be used as reference")
    assert peak < 200, f"peak RSS {peak:.0f} MiB"


def test_f13_the_reference_doc_bomb_stays_under_200_mib(tmp_path: Path, gib_of_spaces: tuple[bytes, int]) -> None:
    packed, crc = gib_of_spaces
    bomb = tmp_path / "bomb.docx"
    part = "word/document.xml"
    bomb.write_bytes(replaced(a_docx(), part, (part, packed, crc, GiB, zipfile.ZIP_DEFLATED)))
    code, peak, stderr = peak_rss_mib("build", str(DEMO), "-o", str(tmp_path / "out"), "--reference-doc", str(bomb))
    assert code == 2
    assert "a zip bomb, not a document" in stderr
    assert peak < 200, f"peak RSS {peak:.0f} MiB (2,092 MiB before issue 15)"


def test_f13_parts_that_together_unpack_beyond_the_bound_are_refused_unread(tmp_path: Path) -> None:
    """Each part within the ratio, together 120 MiB: refused from the directory (the data is never unpacked)."""
    filler = os.urandom(MiB)
    parts = [(f"word/media/image{n}.png", filler, 0, 40 * MiB, zipfile.ZIP_DEFLATED) for n in range(3)]
    big = tmp_path / "big.docx"
    big.write_bytes(raw_zip(entries_of(a_docx()) + parts))
    total = sum(info.file_size for info in zipfile.ZipFile(big).infolist()) / MiB
    assert 120 < total < 121
    message = f"too large: its parts would unpack to {total:.0f} MiB (at most {MAX_UNPACKED // MiB} MiB); nothing was unpacked"
    refused(run_reference, big, tmp_path, message)


def test_f13_too_many_entries_are_refused_from_the_end_record(tmp_path: Path) -> None:
    many = tmp_path / "many.xlsx"
    many.write_bytes(raw_zip(entries_of(an_xlsx()) + [entry(f"x/{n}.xml", b"<x/>") for n in range(MAX_ENTRIES)]))
    count = MAX_ENTRIES + len(entries_of(an_xlsx()))
    size = len(many.read_bytes()) - many.read_bytes().index(b"PK\x01\x02") - 22
    message = (
        f"too many parts: the zip's directory lists {count:,} entries in {size:,} bytes "
        f"(slagen reads at most {MAX_ENTRIES:,} entries in 4 MiB)"
    )
    refused(run_batch, many, tmp_path, message)


def test_f13_a_directory_of_a_few_entries_with_huge_names_is_refused_before_zipfile_reads_it(tmp_path: Path) -> None:
    long = [entry("x" * 60_000 + str(n), b"") for n in range(80)]
    path = tmp_path / "names.docx"
    path.write_bytes(raw_zip(long))
    with pytest.raises(
        InputError, match=r"too many parts: the zip's directory lists 80 entries in 4,8\d\d,\d\d\d bytes"
    ):
        read_package(path, not_a_zip="no zip")


ARGS = {
    "reference": ["build", str(DEMO), "-o", "out", "--lang", "en", "--format", "docx", "--reference-doc"],
    "inspect": ["inspect"],
    "batch": ["batch", "--base", str(DEMO), "-o", "out", "--jobs", "1", "--format", "md"],
}


def _one_gib_of_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GiB, GiB))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ["a character device", "a named pipe"])
def test_f13_what_is_no_regular_file_is_refused_before_it_is_read(command: str, kind: str, tmp_path: Path) -> None:
    """``/dev/zero`` (under a name the command takes for its kind of file) and a FIFO nobody writes to.

    In a process of its own, at most 1 GiB of memory and 30 s: reading them would never end.
    """
    path = tmp_path / f"hostile.{COMMANDS[command][1]}"
    if kind == "a named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    args = [*ARGS[command], str(path)] if command != "batch" else [*ARGS[command][:1], str(path), *ARGS[command][1:]]
    done = subprocess.run(
        [sys.executable, "-m", "slagen", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_one_gib_of_memory,
        check=False,
    )
    assert (done.returncode, done.stderr) == (2, f"error: {path}: not a regular file but {kind}: nothing was read\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["a directory", "a character device", "a named pipe"])
def test_read_package_refuses_what_is_no_regular_file(kind: str, tmp_path: Path) -> None:
    path = {"a directory": tmp_path, "a character device": Path("/dev/zero"), "a named pipe": tmp_path / "fifo"}[kind]
    if kind == "a named pipe":
        os.mkfifo(path)
    with pytest.raises(InputError) as caught:
        read_package(path, not_a_zip="no zip")
    assert str(caught.value) == f"{path}: not a regular file but {kind}: nothing was read"


# -- F12: damaged zips ---------------------------------------------------------------------------------------------


def damage(data: bytes, how: str) -> bytes:
    """The appendix's damaged zips, each made on ``docProps/custom.xml``."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("docProps/custom.xml")
    local = info.header_offset
    central = raw.index(b"docProps/custom.xml", raw.index(b"PK\x01\x02")) - 46
    if how == "deflate":
        name, extra = struct.unpack("<HH", raw[local + 26 : local + 30])
        start = local + 30 + name + extra
        for k in range(start + 2, start + 40):
            raw[k] ^= 0xA5
    elif how == "encrypted":
        raw[local + 6] |= 1
        raw[central + 8] |= 1
    else:
        raw[central + 10 : central + 12] = struct.pack("<H", 99)
    return bytes(raw)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("deflate", "damaged: part 'docProps/custom.xml' cannot be unpacked (Error -3 while decompressing data: "),
        ("encrypted", "part 'docProps/custom.xml' is encrypted: save the file without a password"),
        (
            "method 99",
            "damaged or not an Office file: part 'docProps/custom.xml' is packed with method 99; "
            "Office documents are stored or deflated",
        ),
    ],
)
def test_f12_inspect_of_a_damaged_zip_is_bad_input(how: str, message: str, tmp_path: Path, contract: bytes) -> None:
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(damage(contract, how))
    result = CliRunner().invoke(main, ["inspect", str(corrupt)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {corrupt}: {message}")


@pytest.mark.parametrize("how", ["deflate", "encrypted", "method 99"])
def test_f12_a_damaged_reference_document_is_bad_input(how: str, tmp_path: Path, contract: bytes) -> None:
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(damage(contract, how))
    code, stderr = run_reference(corrupt, tmp_path)
    assert code == 2
    assert stderr.startswith(f"error: {corrupt}: ")
    assert "docProps/custom.xml" in stderr


def test_a_part_name_is_shown_without_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    path.write_bytes(raw_zip([(*entry("evil\x1b[2J.xml", b"")[:4], 99)]))
    with pytest.raises(InputError, match=r"part 'evil\\x1b\[2J.xml' is packed with method 99"):
        read_package(path, not_a_zip="no zip")


def test_an_ordinary_workbook_and_document_are_read_as_before(tmp_path: Path) -> None:
    table = tmp_path / "rows.xlsx"
    table.write_bytes(an_xlsx())
    result = CliRunner().invoke(
        main, ["batch", str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--jobs", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["built"] == 1


def test_read_package_gives_every_part_as_zipfile_does(contract: bytes, tmp_path: Path) -> None:
    path = tmp_path / "contract.docx"
    path.write_bytes(contract)
    with zipfile.ZipFile(io.BytesIO(contract)) as archive:
        expected = {name: archive.read(name) for name in archive.namelist()}
    assert read_package(path, not_a_zip="no zip") == expected
    assert read_package(path, not_a_zip="no zip", names=["word/styles.xml"]) == {
        "word/styles.xml": expected["word/styles.xml"]
    }


# -- what docs/errors.md quotes ------------------------------------------------------------------------------------


def test_errors_md_quotes_real_messages_of_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contract: bytes, gib_of_spaces: tuple[bytes, int]
) -> None:
    """Every package message docs/errors.md quotes, from a real run on the file it names (paths as given)."""
    from .test_reference import UNUSUAL

    monkeypatch.chdir(tmp_path)
    packed, crc = gib_of_spaces
    part = "word/document.xml"
    Path("bomb.docx").write_bytes(replaced(a_docx(), part, (part, packed, crc, GiB, zipfile.ZIP_DEFLATED)))
    filler = os.urandom(MiB)
    parts = [(f"word/media/image{n}.png", filler, 0, 40 * MiB, zipfile.ZIP_DEFLATED) for n in range(3)]
    Path("big.docx").write_bytes(raw_zip(entries_of(a_docx()) + parts))
    tiny = [entry(f"x/{n}.xml", b"<x/>") for n in range(MAX_ENTRIES)]
    Path("customers.xlsx").write_bytes(raw_zip(entries_of(an_xlsx()) + tiny))
    os.mkfifo("pipe.docx")
    for name, how in (("corrupt", "deflate"), ("locked", "encrypted"), ("method", "method 99")):
        Path(f"{name}.docx").write_bytes(damage(contract, how))
    Path("abstractNumId.docx").write_bytes(UNUSUAL["a non-numeric abstractNumId"][0]())
    Path("style.docx").write_bytes(UNUSUAL["Heading 1 as a character style"][0]())
    build = ["build", str(DEMO), "-o", "out", "--reference-doc"]
    runs = [[*build, name] for name in ("bomb.docx", "big.docx", "pipe.docx", "abstractNumId.docx", "style.docx")]
    runs += [["inspect", name] for name in ("corrupt.docx", "locked.docx", "method.docx")]
    runs += [["batch", "customers.xlsx", "--base", str(DEMO), "-o", "out"]]
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for args in runs:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        line = result.stderr.splitlines()[0]
        if args[-1] == "corrupt.docx":  # zlib's words for the damage depend on the bytes damaged
            line = line.split(" (Error -3")[0]
        assert line in errors_md, f"docs/errors.md does not quote:\n{line}"
    assert not Path("out").exists()


def test_the_zip64_end_record_is_read_where_zipfile_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook with a zip64 end record is read as before; one whose zip64 record claims 50 MiB of directory is not."""
    zip64 = tmp_path / "zip64.xlsx"
    with zipfile.ZipFile(io.BytesIO(an_xlsx())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    with monkeypatch.context() as patched:
        patched.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 0)  # zipfile writes the zip64 end record for any count
        with zipfile.ZipFile(zip64, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    data = zip64.read_bytes()
    assert b"PK\x06\x06" in data
    assert read_package(zip64, not_a_zip="no zip") == parts
    at = data.rindex(b"PK\x06\x06")
    claimed = data[: at + 40] + struct.pack("<Q", 50 * MiB) + data[at + 48 :]  # the directory's size
    zip64.write_bytes(claimed)
    with pytest.raises(InputError, match=r"lists 9 entries in 52,428,800 bytes"):
        read_package(zip64, not_a_zip="no zip")
