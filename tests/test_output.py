"""Writing outputs: all or nothing, atomic, no accidental overwrite (issue 15: F8, F14, F15, F16, F21)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.errors import OutputError
from slagen.output import flush_to_disk, write_outputs

from .conftest import DEMO, ROOT

ERRORS_MD = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
NAMES = ("p.de.docx", "p.de.md", "p.en.docx", "p.en.md")


def old_set(directory: Path) -> dict[Path, bytes]:
    """Four outputs of an earlier build, each with content of its own."""
    directory.mkdir(exist_ok=True)
    for name in NAMES:
        (directory / name).write_bytes(f"old {name}".encode())
    return {directory / name: f"new {name}".encode() for name in NAMES}


def listing(directory: Path) -> dict[str, bytes]:
    """Every entry of ``directory``, hidden ones too, with the content of files."""
    return {p.name: (p.read_bytes() if p.is_file() else b"<dir>") for p in directory.iterdir()}


def full_disk_for(fragment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Temporaries for names containing ``fragment`` are on a full disk: the kernel's own ENOSPC (/dev/full)."""
    real = os.open

    def open_on_full_disk(path: str | os.PathLike[str], flags: int, *args: Any, **kwargs: Any) -> int:
        handle = real(path, flags, *args, **kwargs)
        name = os.path.basename(path)
        if flags & os.O_CREAT and name.startswith(".") and fragment in name and name.endswith(".tmp"):
            full = real("/dev/full", os.O_WRONLY)
            os.dup2(full, handle)
            os.close(full)
        return handle

    monkeypatch.setattr(os, "open", open_on_full_disk)


def refuse_temporaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating files is refused as the kernel refuses it in a directory without permission (EACCES).

    root ignores permissions (CI runs as root), so the refusal is injected where the temporary is created.
    """
    real = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and os.path.basename(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)


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


def test_failure_while_writing_temporaries_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_bytes(b"old a")

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("slagen.output.os.fsync", failing_fsync)
    with pytest.raises(OutputError, match="Input/output error"):
        write_outputs({tmp_path / "a.md": b"new a", tmp_path / "b.md": b"new b"}, force=True)
    assert (tmp_path / "a.md").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match="cannot create the output directory"):
        write_outputs({tmp_path / "file" / "a.md": b"A"}, force=False)


# F14: with --force every output is replaced, or none is


@pytest.mark.parametrize(
    "failure",
    [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt(), SystemExit(143)],
    ids=["rename fails", "Ctrl-C", "SIGTERM"],
)
def test_a_set_is_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    files = old_set(tmp_path)
    before = listing(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) == 3:  # the third output's rename: two are in place already
            if isinstance(failure, OSError):
                raise failure
            real_replace(src, dst)  # interrupted just after the rename: the undo must see it happened
            raise failure
        real_replace(src, dst)

    monkeypatch.setattr("slagen.output.os.replace", failing_replace)
    with pytest.raises(OutputError if isinstance(failure, OSError) else type(failure)):
        write_outputs(files, force=True)
    assert len(calls) >= 3
    assert listing(tmp_path) == before  # old contents back, no temporary, no kept copy


def test_the_failure_names_the_output_not_a_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = old_set(tmp_path)
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).endswith("p.en.docx"):
            raise OSError(errno.EIO, "Input/output error", str(src))  # the kernel names the temporary
        real_replace(src, dst)

    monkeypatch.setattr("slagen.output.os.replace", failing_replace)
    with pytest.raises(OutputError) as caught:
        write_outputs(files, force=True)
    assert str(caught.value) == f"{tmp_path / 'p.en.docx'}: cannot write (Input/output error)"


def test_probe_a_directory_where_an_output_goes_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the report's probe: build, then the English Markdown made a directory, then build --force
    monkeypatch.chdir(tmp_path)
    shutil.copy(DEMO, "my-sla.yaml")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "my-sla.yaml", "-o", "out"]).exit_code == 0
    out = tmp_path / "out"
    for path in out.iterdir():
        path.write_bytes(b"signed " + path.name.encode())  # outputs differing from what a build writes
    (out / "my-sla.en.md").unlink()
    (out / "my-sla.en.md").mkdir()
    before = listing(out)
    result = runner.invoke(main, ["build", "my-sla.yaml", "-o", "out", "--force"])
    assert result.exit_code == 2
    assert result.stderr == "error: out/my-sla.en.md: cannot write (Is a directory)\n"
    assert result.stderr.strip() in ERRORS_MD
    assert listing(out) == before


def test_force_replaces_a_symbolic_link_not_the_file_it_points_to(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    (tmp_path / "a.md").symlink_to(victim)
    write_outputs({tmp_path / "a.md": b"A"}, force=True)
    assert not (tmp_path / "a.md").is_symlink()
    assert (tmp_path / "a.md").read_bytes() == b"A"
    assert victim.read_bytes() == b"victim"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "victim"]


# F15: without --force, a name that exists is never taken, however close two builds come


def test_a_file_appearing_while_writing_is_not_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {tmp_path / name: b"ours" for name in NAMES}
    real_fsync = os.fsync

    def other_build_finishes_first(handle: int) -> None:  # after the existence check, before any name is taken
        (tmp_path / "p.en.docx").write_bytes(b"theirs")
        real_fsync(handle)

    monkeypatch.setattr("slagen.output.os.fsync", other_build_finishes_first)
    with pytest.raises(OutputError, match=r"p\.en\.docx: already exists \(use --force to overwrite\)"):
        write_outputs(files, force=False)
    assert listing(tmp_path) == {"p.en.docx": b"theirs"}


def test_without_hard_links_a_name_is_still_claimed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr("slagen.output.os.link", no_links)
    write_outputs({tmp_path / "a.md": b"A", tmp_path / "b.md": b"B"}, force=False)
    assert listing(tmp_path) == {"a.md": b"A", "b.md": b"B"}
    with pytest.raises(OutputError, match="already exists"):
        write_outputs({tmp_path / "c.md": b"C", tmp_path / "b.md": b"B2"}, force=False)
    assert listing(tmp_path) == {"a.md": b"A", "b.md": b"B"}
    write_outputs({tmp_path / "a.md": b"A2", tmp_path / "b.md": b"B2"}, force=True)
    assert listing(tmp_path) == {"a.md": b"A2", "b.md": b"B2"}


def test_a_dangling_symbolic_link_is_not_replaced_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="already exists"):
        write_outputs({tmp_path / "a.md": b"A"}, force=False)
    assert (tmp_path / "a.md").is_symlink()


def test_probe_two_builds_racing_into_one_directory_never_both_succeed(tmp_path: Path) -> None:
    # the report's probe: two answers files of one name, large outputs, built at the same moment
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("    represented_by: Dr. Felix Hansen", "    represented_by: " + ("Felix " * 16000).strip(), 1)
    for folder, name in (("A", "Alpha GmbH"), ("B", "Beta GmbH")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "p.yaml").write_text(text.replace("name: Nordlicht Solartechnik GmbH", f"name: {name}"))
    command = [sys.executable, "-m", "slagen", "build", "--format", "md", "-o", str(tmp_path / "race")]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(3):
        shutil.rmtree(tmp_path / "race", ignore_errors=True)
        builds = [subprocess.Popen([*command, str(tmp_path / f / "p.yaml")], env=environment) for f in "AB"]
        codes = sorted(build.wait() for build in builds)
        assert codes != [0, 0]
        if codes == [0, 2]:  # one whole set, one customer's
            texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "race").iterdir()]
            assert len(texts) == 2
            assert sum("Alpha GmbH" in t for t in texts) in (0, 2)
        assert not [p for p in (tmp_path / "race").iterdir() if p.name.startswith(".")]


# F8, F21: a failure names the file the user asked for, never a temporary


def test_a_full_disk_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full_disk_for("b.md", monkeypatch)
    with pytest.raises(OutputError) as caught:
        write_outputs({tmp_path / "a.md": b"A", tmp_path / "b.md": b"B"}, force=False)
    assert str(caught.value) == f"{tmp_path / 'b.md'}: cannot write (No space left on device)"
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_directory_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_temporaries(monkeypatch)
    with pytest.raises(OutputError) as caught:
        write_outputs({tmp_path / "a.md": b"A"}, force=False)
    assert str(caught.value) == f"{tmp_path / 'a.md'}: cannot write (Permission denied)"
    assert list(tmp_path.iterdir()) == []


def test_a_real_write_failure_names_the_output(tmp_path: Path) -> None:
    # a real refusal by the kernel, as root too: a file size limit (EFBIG) on the slagen process
    shutil.copy(DEMO, tmp_path / "my-sla.yaml")
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)); "
        "from slagen.cli import main; sys.argv[0] = 'slagen'; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "build", "my-sla.yaml", "-o", "out", "--lang", "de"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == "error: out/my-sla.de.docx: cannot write (File too large)\n"
    assert result.stderr.strip() in ERRORS_MD
    assert list((tmp_path / "out").iterdir()) == []


# F16: SIGTERM leaves no temporary file and no half-replaced set


def test_sigterm_while_renaming_puts_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    names = [f"telemarketing.{lang}.{fmt}" for lang in ("de", "en") for fmt in ("docx", "md")]
    for name in names:
        (out / name).write_bytes(b"signed")
    before = listing(out)
    real_replace = os.replace
    calls: list[str] = []

    def terminated(src: str, dst: str) -> None:
        real_replace(src, dst)
        calls.append(str(dst))
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # as `kill`, `timeout` or systemd would

    monkeypatch.setattr("slagen.output.os.replace", terminated)
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(out), "--force"])
    assert result.exit_code == 143
    assert listing(out) == before
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the command's handler is gone again


def test_probe_sigterm_at_random_moments_of_a_build(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "slagen", "build", str(DEMO), "-o", str(tmp_path / "out"), "--force"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    complete = None
    for delay in (0.45, 0.55, 0.65, 0.75, 0.9):
        build = subprocess.Popen(command, env=environment, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.send_signal(signal.SIGTERM)
        assert build.wait() in (0, 143, -signal.SIGTERM)
        found = listing(tmp_path / "out") if (tmp_path / "out").exists() else {}
        assert not [name for name in found if name.startswith(".")]
        if found:
            complete = complete or found
            assert found == complete  # whole sets only (the same bytes every build)
            assert len(found) == 4


# durability: slagen's files and directories, not the whole machine


def test_files_and_directories_go_to_disk_without_syncing_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{handle}"))
        real_fsync(handle)

    def machine() -> None:
        raise AssertionError("os.sync() flushes every process's data")

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", machine)
    write_outputs({tmp_path / "a.md": b"A", tmp_path / "b.md": b"B"}, force=False)
    assert [Path(p).name.split(".")[1] for p in synced[:2]] == ["a", "b"]  # the temporaries, before their names
    assert synced[2:] == [str(tmp_path)]
    synced.clear()
    write_outputs({tmp_path / "c.md": b"C"}, force=False, sync=False)  # a batch: once at its end
    assert synced == []
    flush_to_disk([tmp_path / "c.md", tmp_path / "a.md"])
    assert sorted(synced) == sorted([str(tmp_path / "c.md"), str(tmp_path / "a.md"), str(tmp_path)])
