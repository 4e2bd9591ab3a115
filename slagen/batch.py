"""Build one contract per row of a table (CSV or XLSX) on top of a base answers file.

Takes a table whose column headers are dotted answer keys (``parties.customer.name``,
``service.tier``, ``service.overrides.availability``) and a base answers file, and gives a
:class:`RowResult` per row: the generated files, or the problems of that row, each naming
the table, the row and the key. Cells are typed as YAML would type them (``120`` is a
number, ``true`` a boolean, ``2027-01-01`` a date). Rows are built in worker processes
(forked after the first row, with the library parsed and the memo filled), which also write
the files of their rows; output names never collide, so two workers never write the same file.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field

from slagen.errors import InputError, Problem, SlagenError
from slagen.generate import Output, generate, validate
from slagen.library import Library, load_library
from slagen.memo import Memo
from slagen.table import Row
from slagen.workers import Lost, can_fork, in_forked_workers
from slagen.yamlsource import YamlSource

_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class RowResult(Struct):
    """What became of one row: the files written, or the problems found."""

    row: int
    name: str
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    label: str = ""
    """How messages name the row: its number and its ``name`` cell (:attr:`slagen.table.Row.label`)."""
    warnings: list[str] = field(default_factory=list)
    """What checking the row warns of that checking the base alone does not (an answer given for no clause)."""
    pending: list[Output] = field(default_factory=list)
    """The row's files when they wait for the layout pass (PDF, ``--layout``): written by :mod:`slagen.batchpdf`."""
    formats: tuple[str, ...] = ()
    """The formats the row asked for, when its files wait for the layout pass."""

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
    # file names only: a contract sent to a customer does not disclose the sales person's directories
    text = f"# slagen batch: {Path(table).name} row {row.number} on top of {Path(base.path).name}\n{dumped}"
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


class BatchJob(Struct, frozen=True):
    """Everything a worker needs for one row (picklable)."""

    row: Row
    name: str
    table: str
    base: YamlSource
    library_dir: Path | None
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    source_date: dt.date | None = None
    base_warnings: frozenset[tuple[str | None, str]] = frozenset()
    """The base's own warnings, by key and message: said once for the batch, not again for each row."""
    layout: bool = False
    """Whether the DOCX get their contents' page numbers from LibreOffice (always with PDF)."""

    @property
    def laid_out(self) -> bool:
        """Whether the row's files wait for the layout pass, which makes PDFs for many rows at once."""
        return self.layout or "pdf" in self.formats


def build_row(job: BatchJob, library: Library, memo: Memo) -> tuple[RowResult, list[Output]]:
    """Validate and build one row's contract in memory (runs in a worker process)."""
    result = RowResult(job.row.number, job.name, label=job.row.label)
    if job.row.problems:  # cells that could not be read: the row fails with them, the others go on
        result.problems = [_of_row(problem, job) for problem in job.row.problems]
        return result, []
    formats = job.formats
    if job.laid_out:  # the DOCX are laid out (and converted) later, many rows in one LibreOffice process
        formats = tuple(f for f in formats if f != "pdf") + (() if "docx" in formats else ("docx",))
    try:
        answers = validate(merge_row(job.base, job.row, job.table, memo), library, memo)
        outputs = generate(
            answers,
            library,
            memo=memo,
            languages=job.languages or None,
            formats=formats,
            source_date=job.source_date,
        )
    except SlagenError as exc:
        result.problems = [_of_row(problem, job) for problem in exc.problems]
        return result, []
    result.warnings = [
        _of_row(warning, job) for warning in answers.warnings if (warning.key, warning.message) not in job.base_warnings
    ]
    renamed = [Output(job.name + out.name[len(answers.name) :], out.data) for out in outputs]
    if job.laid_out:
        result.pending, result.formats = renamed, job.formats
        return result, []
    return result, renamed


def _of_row(problem: Problem, job: BatchJob) -> str:
    """``problem`` as a message naming the row by its number and ``name`` cell (``t.csv:8 (kunde-07): …``)."""
    if problem.file == job.table and problem.line == job.row.number:
        problem = Problem(problem.message, f"{job.table}:{job.row.label}", None, problem.key, problem.severity)
    return str(problem)


def run_batch(
    jobs: list[BatchJob],
    library: Library,
    memo: Memo,
    *,
    workers: int,
    write: Write,
    progress: Callable[[RowResult], None] | None = None,
    build: Build | None = None,
) -> list[RowResult]:
    """Build every job, ``workers`` at a time, handing each finished row's files to ``write``.

    Forked workers (:mod:`slagen.workers`) write the rows they build themselves (output names
    never collide), so that a row's files do not travel back to this process, and no thread runs
    here while they are forked. Otherwise rows are written by a few threads of this process, so
    that one row's wait for the disk does not hold up the next. Either way ``write`` must accept
    being called for different rows at once, and a row whose files cannot be written fails alone,
    its message naming the row. ``progress`` is called in this thread, once per row. ``build`` is
    :func:`build_row` unless a benchmark measures it.
    """
    build = build or build_row
    results: list[RowResult] = []

    def finish(result: RowResult) -> None:
        results.append(result)
        if progress is not None:
            progress(result)

    if workers > 1 and len(jobs) > 1 and can_fork():
        # The first row is built here: the library is parsed, the templates compiled and the DOCX frame
        # prepared once, before the workers are forked with all of it (else each worker does it again).
        finish(_build_and_write(jobs[0], build, write, library, memo))
        rest = jobs[1:]

        def task(index: int) -> RowResult:
            return _build_and_write(rest[index], build, write, library, memo)

        for index, done in in_forked_workers(len(rest), task, workers=workers, chunk=_chunk(len(rest), workers)):
            finish(done if isinstance(done, RowResult) else _lost(rest[index], done))
    else:
        built: Iterable[tuple[RowResult, list[Output]]]
        if workers <= 1 or len(jobs) <= 1:
            built = (build(job, library, memo) for job in jobs)
        else:  # pragma: no cover - systems that do not fork (Windows)
            built = _in_spawned_workers(jobs, workers)
        for result in _written_in_threads(built, write, jobs[0].table if jobs else ""):
            finish(result)
    return sorted(results, key=lambda r: r.row)


_WRITERS = 4
"""Threads writing rows: their waits for the disk overlap, and the file system commits them together."""
_WRITTEN_AHEAD = 32
"""Most rows built but not yet written (their files are held in memory meanwhile)."""


Build = Callable[[BatchJob, Library, Memo], tuple[RowResult, list[Output]]]
Write = Callable[[RowResult, list[Output]], None]


def _build_and_write(job: BatchJob, build: Build, write: Write, library: Library, memo: Memo) -> RowResult:
    result, outputs = build(job, library, memo)
    if result.ok and outputs:
        write_row(job.table, result, outputs, write)
    return result


def write_row(table: str, result: RowResult, outputs: list[Output], write: Write) -> None:
    """Write a row's files; a failure is the row's (``table.csv:ROW: out/c8.de.md: cannot write (…)``)."""
    try:
        write(result, outputs)
        result.files = [output.name for output in outputs]
    except SlagenError as exc:  # e.g. an output exists, the disk is full: this row fails, the others go on
        where = f"{table}:{result.label or result.row}"
        result.problems = [str(Problem(str(problem), where)) for problem in exc.problems]


def _lost(job: BatchJob, lost: Lost) -> RowResult:
    message = f"the worker process building this row {lost}"
    where = f"{job.table}:{job.row.label}"
    return RowResult(job.row.number, job.name, problems=[str(Problem(message, where))], label=job.row.label)


def _chunk(count: int, workers: int) -> int:
    """Rows handed to a worker at a time: few enough that the workers end together."""
    return max(1, min(16, count // (workers * 4)))


def _written_in_threads(
    built: Iterable[tuple[RowResult, list[Output]]], write: Write, table: str
) -> Iterator[RowResult]:
    """Each built row once its files are written by one of a few threads (never while forking)."""
    pending: collections.deque[tuple[RowResult, concurrent.futures.Future[None] | None]] = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(max_workers=_WRITERS) as writers:
        try:
            for result, outputs in built:
                writing = writers.submit(write_row, table, result, outputs, write) if result.ok and outputs else None
                pending.append((result, writing))
                while pending and (len(pending) > _WRITTEN_AHEAD or _done(pending[0][1])):
                    yield _written(*pending.popleft())
            while pending:
                yield _written(*pending.popleft())
        except BaseException:  # stopped early: rows being written end whole, the others are not started
            writers.shutdown(wait=True, cancel_futures=True)
            raise


def _written(result: RowResult, writing: concurrent.futures.Future[None] | None) -> RowResult:
    if writing is not None:
        writing.result()  # a bug in writing is raised here
    return result


def _done(future: concurrent.futures.Future[None] | None) -> bool:
    return future is None or future.done()


def _in_spawned_workers(
    jobs: list[BatchJob], workers: int
) -> Iterator[tuple[RowResult, list[Output]]]:  # pragma: no cover - not on Linux
    """Each job built by spawned processes, in order, its files sent back to be written here."""
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_build_spawned, jobs, chunksize=_chunk(len(jobs), workers))


def _build_spawned(job: BatchJob) -> tuple[RowResult, list[Output]]:  # pragma: no cover - not on Linux
    """Build ``job`` in a spawned worker: with the library loaded and a memo made for this row."""
    return build_row(job, load_library(job.library_dir), Memo())
