"""Build one contract per row of a table (CSV or XLSX) on top of a base answers file.

Takes a table whose column headers are dotted answer keys (``parties.customer.name``,
``service.tier``, ``service.overrides.availability``) and a base answers file, and gives a
:class:`RowResult` per row: the generated files, or the problems of that row, each naming
the table, the row and the key. Cells are typed as YAML would type them (``120`` is a
number, ``true`` a boolean, ``2027-01-01`` a date). Rows are built in worker processes
(the library is parsed once per worker), which also write the files of their rows; output
names never collide, so two workers never write the same file.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import gc
import hashlib
import multiprocessing
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from slagen.errors import InputError, Problem, SlagenError
from slagen.generate import Output, generate, validate
from slagen.library import Library, load_library
from slagen.memo import Memo
from slagen.table import Row
from slagen.yamlsource import YamlSource

_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(slots=True)
class RowResult:
    """What became of one row: the files written, or the problems found."""

    row: int
    name: str
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the row's contract was built."""
        return not self.problems


def output_names(rows: list[Row], answers_name: Callable[[Row], str]) -> dict[int, str]:
    """A distinct, file-system-safe base name for every row."""
    taken: set[str] = set()
    names = {}
    for row in rows:
        base = _slug(row.name or answers_name(row)) or f"row-{row.number}"
        name, counter = base, 2
        while name in taken:
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(name)
        names[row.number] = name
    return names


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def merge_row(base: YamlSource, row: Row, table: str, memo: Memo | None = None) -> YamlSource:
    """The base answers with the row's values set at their dotted keys; every key points at the row.

    The groups a row changes are copied; the others are the base's own (nothing changes answers
    once read), so a row costs what it changes. ``memo`` keeps the YAML of what rows share with the base.
    """
    data = dict(base.data)
    copied: set[tuple[str, ...]] = set()
    problems = []
    for dotted, value in row.values.items():
        *groups, leaf = dotted.split(".")
        node = data
        for depth, group in enumerate(groups, start=1):
            child = node.get(group, {})
            if not isinstance(child, dict):
                problems.append(Problem(f"'{group}' is not a group of answers", table, row.number, dotted))
                break
            if tuple(groups[:depth]) not in copied:
                child = node[group] = dict(child)
                copied.add(tuple(groups[:depth]))
            node = child
        else:
            node[leaf] = value
    if problems:
        raise InputError(problems)
    lines = {key: row.number for key in base.lines}
    lines.update({tuple(dotted.split(".")): row.number for dotted in row.values})
    # the contract carries the answers of its row, so that `slagen inspect --answers` rebuilds it
    try:
        dumped = _dump(data, base, memo or Memo())
    except yaml.YAMLError as exc:  # a value YAML cannot write (the table reader refuses those it knows)
        raise InputError([Problem(f"cannot write the row's answers: {exc}", table, row.number)]) from None
    text = f"# slagen batch: {table} row {row.number} on top of {base.path}\n{dumped}"
    return YamlSource(table, data, lines, text)


def _dump(data: dict[str, Any], base: YamlSource, memo: Memo) -> str:
    """``data`` as YAML; what it shares with the ``base`` answers (see :func:`merge_row`) dumped once per base.

    A mapping in block style is its entries one after the other, so each top-level entry is dumped
    on its own, and a changed group entry by entry (``group:`` once, then each entry's lines; an
    object met under two entries is written out twice instead of as an alias).
    """
    shared = base.data
    digest = hashlib.sha256(base.text.encode("utf-8")).hexdigest()

    def dump(path: tuple[str, ...], value: Any) -> str:
        nested = value
        for key in reversed(path):
            nested = {key: nested}
        return yaml.dump(nested, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)

    def dumped(path: tuple[str, ...], value: Any, same: bool) -> str:
        if same:  # the base's own value, by the base's text
            return memo.kept(("yaml", digest, path), lambda: dump(path, value))
        return dump(path, value)

    parts = []
    for key, value in data.items():
        before = shared.get(key)
        if value is before or not isinstance(value, dict) or not value or not isinstance(before, dict):
            parts.append(dumped((key,), value, value is before))
            continue
        texts = [dumped((key, name), item, item is before.get(name, _ABSENT)) for name, item in value.items()]
        header = texts[0].split("\n", 1)[0] + "\n"
        if header.endswith(":\n") and all(text.startswith(header) for text in texts):
            parts += [header, *(text[len(header) :] for text in texts)]
        else:  # a key YAML writes otherwise (a long one as '? key'): the group in one piece
            parts.append(dumped((key,), value, False))
    return "".join(parts)


_ABSENT = object()


@dataclass(frozen=True, slots=True)
class BatchJob:
    """Everything a worker needs for one row (picklable)."""

    row: Row
    name: str
    table: str
    base: YamlSource
    library_dir: Path | None
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    source_date: dt.date | None = None


def build_row(job: BatchJob, library: Library, memo: Memo) -> tuple[RowResult, list[Output]]:
    """Validate and build one row's contract in memory (runs in a worker process)."""
    result = RowResult(job.row.number, job.name)
    if job.row.problems:  # cells that could not be read: the row fails with them, the others go on
        result.problems = [str(problem) for problem in job.row.problems]
        return result, []
    try:
        answers = validate(merge_row(job.base, job.row, job.table, memo), library, memo)
        outputs = generate(
            answers,
            library,
            memo=memo,
            languages=job.languages or None,
            formats=job.formats,
            source_date=job.source_date,
        )
    except SlagenError as exc:
        result.problems = [str(problem) for problem in exc.problems]
        return result, []
    renamed = [Output(job.name + out.name[len(answers.name) :], out.data) for out in outputs]
    return result, renamed


def run_batch(
    jobs: list[BatchJob],
    library: Library,
    memo: Memo,
    *,
    workers: int,
    write: Callable[[RowResult, list[Output]], None],
    progress: Callable[[RowResult], None] | None = None,
    build: Build | None = None,
) -> list[RowResult]:
    """Build every job, ``workers`` at a time, handing each finished row's files to ``write``.

    Forked workers write the rows they build themselves (output names never collide), so that a
    row's files do not travel back to this process; otherwise rows are written by a few threads of
    this process, so that one row's wait for the disk does not hold up the next. Either way
    ``write`` must accept being called for different rows at once, and a row whose files cannot be
    written fails alone. ``progress`` is called in this thread, once per row. ``build`` is
    :func:`build_row` unless a benchmark measures it. Rows are built with ``library`` and ``memo``;
    worker processes are forked with both, each then keeping its own memo.
    """
    build = build or build_row
    results: list[RowResult] = []
    pending: collections.deque[tuple[RowResult, list[Output], concurrent.futures.Future[None] | None]]
    pending = collections.deque()

    def finish(result: RowResult, outputs: list[Output], written: concurrent.futures.Future[None] | None) -> None:
        if written is not None:
            try:
                written.result()
                result.files = [output.name for output in outputs]
            except SlagenError as exc:  # e.g. an output exists: this row fails, the others go on
                result.problems = [str(problem) for problem in exc.problems]
        results.append(result)
        if progress is not None:
            progress(result)

    with concurrent.futures.ThreadPoolExecutor(max_workers=_WRITERS) as writers:

        def hand_over(result: RowResult, outputs: list[Output]) -> None:
            needed = result.ok and not result.files  # a forked worker has written its row already
            pending.append((result, outputs, writers.submit(write, result, outputs) if needed else None))
            while pending and (len(pending) > _WRITTEN_AHEAD or _done(pending[0][2])):
                finish(*pending.popleft())

        if workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                hand_over(*build(job, library, memo))
        else:
            # The first row is built here: the library is parsed, the templates compiled and the DOCX frame
            # prepared once, before the workers are forked with all of it (else each worker does it again).
            hand_over(*build(jobs[0], library, memo))
            chunk = max(1, min(16, len(jobs) // (workers * 4)))
            for result, outputs in _in_workers(jobs[1:], (build, write, library, memo), workers, chunk):
                hand_over(result, outputs)
        while pending:
            finish(*pending.popleft())
    return sorted(results, key=lambda r: r.row)


_WRITERS = 4
"""Threads writing rows: their waits for the disk overlap, and the file system commits them together."""
_WRITTEN_AHEAD = 32
"""Most rows built but not yet written (their files are held in memory meanwhile)."""


Build = Callable[[BatchJob, Library, Memo], tuple[RowResult, list[Output]]]
Write = Callable[[RowResult, list[Output]], None]
Run = tuple[Build, Write, Library, Memo]
_FORKED: tuple[list[BatchJob], Run] | None = None
"""The jobs and the run (build, write, library, memo) of the batch under way, as forked workers see them."""


def _in_workers(jobs: list[BatchJob], run: Run, workers: int, chunk: int) -> Iterator[tuple[RowResult, list[Output]]]:
    """Each job built by a pool of worker processes, in order.

    Forked workers find the jobs in their copy of this module, are sent only their numbers and write
    their rows (sending back no files); where processes are spawned instead, each job is sent whole,
    each worker loads the library and makes a memo of its own, and the files come back to be written here.
    """
    global _FORKED
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows, macOS default
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(_build_spawned, jobs, chunksize=chunk)
        return
    _FORKED = (jobs, run)
    gc.freeze()  # what the workers inherit (library, compiled templates, the memo) is never collected
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(_build_forked, range(len(jobs)), chunksize=chunk)
    finally:
        _FORKED = None
        gc.unfreeze()


def _build_forked(index: int) -> tuple[RowResult, list[Output]]:
    """Build and write job ``index`` in a forked worker."""
    assert _FORKED is not None, "set by _in_workers before the workers are forked"
    jobs, (build, write, library, memo) = _FORKED
    result, outputs = build(jobs[index], library, memo)
    if result.ok:
        try:
            write(result, outputs)
            result.files = [output.name for output in outputs]
        except SlagenError as exc:  # e.g. an output exists: this row fails, the others go on
            result.problems = [str(problem) for problem in exc.problems]
    return result, []


def _build_spawned(job: BatchJob) -> tuple[RowResult, list[Output]]:  # pragma: no cover - not on Linux
    """Build ``job`` in a spawned worker: with the library loaded and a memo made for this row."""
    return build_row(job, load_library(job.library_dir), Memo())


def _done(future: concurrent.futures.Future[None] | None) -> bool:
    return future is None or future.done()
