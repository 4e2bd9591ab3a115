"""Writing outputs: all or nothing, atomic, no accidental overwrite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slagen.errors import OutputError
from slagen.output import flush_to_disk, write_outputs


def test_writes_every_file(tmp_path: Path) -> None:
    files = {tmp_path / "new" / "a.md": b"A", tmp_path / "new" / "b.md": b"B"}
    assert write_outputs(files, force=False) == list(files)
    assert (tmp_path / "new" / "a.md").read_bytes() == b"A"
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["a.md", "b.md"]


def test_existing_file_stops_everything(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_bytes(b"old")
    with pytest.raises(OutputError, match=r"b\.md: already exists \(use --force to overwrite\)"):
        write_outputs({tmp_path / "a.md": b"A", tmp_path / "b.md": b"B"}, force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.md"]
    assert (tmp_path / "b.md").read_bytes() == b"old"


def test_failure_mid_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_bytes(b"old a")
    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr("slagen.output.os.replace", failing_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs({tmp_path / "a.md": b"new a", tmp_path / "b.md": b"new b"}, force=True)
    # the first file was replaced whole, the second never appeared, and no temporary file is left
    assert (tmp_path / "a.md").read_bytes() == b"new a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_failure_while_writing_temporaries_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_bytes(b"old a")

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("slagen.output.os.fsync", failing_fsync)
    with pytest.raises(OutputError, match="Input/output error"):
        write_outputs({tmp_path / "a.md": b"new a", tmp_path / "b.md": b"new b"}, force=True)
    assert (tmp_path / "a.md").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_unwritable_directory_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod cannot lock out root (CI runs as root), so the refusal is injected where the file is created
    def refuse(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(kwargs["dir"]))

    monkeypatch.setattr("slagen.output.tempfile.mkstemp", refuse)
    with pytest.raises(OutputError) as caught:
        write_outputs({tmp_path / "a.md": b"A"}, force=False)
    assert str(caught.value) == f"{tmp_path}: cannot write (Permission denied)"
    assert list(tmp_path.iterdir()) == []


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match="cannot create the output directory"):
        write_outputs({tmp_path / "file" / "a.md": b"A"}, force=False)


def test_a_batch_flushes_once_at_its_end_instead_of_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda handle: calls.append("fsync"))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    files = {tmp_path / "a.md": b"A", tmp_path / "b.md": b"B"}
    write_outputs(files, force=False)
    assert calls == ["fsync", "fsync"]
    calls.clear()
    write_outputs({tmp_path / "c.md": b"C"}, force=False, sync=False)
    assert calls == []
    assert (tmp_path / "c.md").read_bytes() == b"C"
    flush_to_disk([tmp_path / "c.md"])
    assert calls == ["sync"]
