"""Benchmark what packing the DOCX costs, against a whole build: is a hand-written zip packer worth it?

Run from the repository root:

    python benchmarks/docx_pack.py [--runs 30] [--examples telemarketing,it-service]

For every example (``examples/*.yaml``, each in both languages; ``examples/telemarketing.yaml``
is the demo) it builds the contract ``--runs`` times in this process with the rendering reuse
off (``SLAGEN_NO_REUSE=1``, so that the old reuse machinery does not distort the figures) and
measures, per document (one language):

- ``body``: writing the DOCX body as WordprocessingML text (``BodyWriter.write``);
- ``pack``: filling the frame's parts and zipping them with ``zipfile`` (``Frame.fill``);
- ``frame``: making the frame with python-docx (``make_frame``: open the reference, add the
  header, footer, comments and properties parts, save into memory, read the zip back);
- ``floor``: deflating only the parts a document fills in (the body, the list restarts, the header,
  footer, properties...) with zlib, without ``zipfile``: what a hand-written packer that deflates
  the fixed parts once per frame (slagen's before issue 13) must still do for every document;
- ``docx``: the whole ``write_docx`` (frame + body + pack), ``md``: ``write_markdown``;
- ``build``: the whole build of the contract divided by its languages: validate
  (``load_answers``), render and number (``build_documents``), write DOCX and Markdown.

It prints the medians over the runs (CPU time of this process, so that other jobs on the
machine disturb the figures less) and the shares of the build: ``pack %`` is packing with a
frame made for every document (as ``write_docx`` does when given none), ``kept %`` packing
with the frame made once and passed in (as a caller that keeps it would), and ``hand %`` what
a hand-written packer could save at most (``pack - floor``) with the frame kept. Issue 13 keeps
a hand-written packer only if it is worth more than 15 % of the batch time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ["SLAGEN_NO_REUSE"] = "1"  # read when slagen.reuse is imported: set before importing slagen
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import slagen  # noqa: E402
from slagen import generate  # noqa: E402
from slagen.answers import load_answers  # noqa: E402
from slagen.library import load_library  # noqa: E402
from slagen.writers import docx as docx_writer  # noqa: E402
from slagen.writers.body import BodyWriter  # noqa: E402
from slagen.writers.frame import Frame  # noqa: E402
from slagen.writers.markdown import write_markdown  # noqa: E402
from slagen.writers.package import ZIP_LEVEL  # noqa: E402

SHARE_LIMIT = 15.0
"""Issue 13: keep a hand-written packer only if it is worth more than this share of the batch time (%)."""
STEPS = ("body", "pack", "floor", "frame", "docx", "md", "build")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    library = load_library()
    names = args.examples.split(",") if args.examples else sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    print(f"slagen {slagen.__version__} from {Path(slagen.__file__).parent}, SLAGEN_NO_REUSE=1")
    print(f"python {sys.version.split()[0]}, {args.runs} runs per example, load average {_load()} at the start\n")
    header = f"{'example':<24}" + "".join(f"{step + ' ms':>9}" for step in STEPS)
    header += "".join(f"{share:>8}" for share in ("pack %", "kept %", "hand %"))
    print(header)
    print("-" * len(header))
    totals: dict[str, float] = defaultdict(float)
    for name in names:
        medians = _measure(ROOT / "examples" / f"{name}.yaml", library, args.runs)
        for step, value in medians.items():
            totals[step] += value
        print(_line(name, medians))
    print("-" * len(header))
    print(_line("all examples (sum)", totals))
    share, kept, hand = _shares(totals)
    print(f"\nload average {_load()} at the end")
    print(
        f"packing with zipfile is {share:.1f} % of a whole build with a frame made for every document, "
        f"{kept:.1f} % with the frame made once; a hand-written packer would save at most {hand:.1f} %: "
        + ("worth keeping" if hand > SHARE_LIMIT else f"under {SHARE_LIMIT:g} %, zipfile it is")
    )
    return 0


def _measure(path: Path, library: Any, runs: int) -> dict[str, float]:
    """Median milliseconds per document of each step over ``runs`` builds of the contract at ``path``."""
    per_run: dict[str, list[float]] = defaultdict(list)
    for run in range(runs + 1):  # the first run warms up (imports, compiled templates) and is not counted
        spent: dict[str, float] = defaultdict(float)
        filled: list[tuple[Frame, Any]] = []
        with _timing(spent, filled):
            start = time.process_time()
            answers = load_answers(path, library)
            documents = generate.build_documents(answers, library, list(answers.values["languages"]))
            stamp = dt.datetime.combine(generate.document_date(answers), dt.time(), tzinfo=dt.UTC)
            for document in documents:
                _timed_call(spent, "docx", docx_writer.write_docx, document, timestamp=stamp)
                _timed_call(spent, "md", write_markdown, document)
            spent["build"] = time.process_time() - start
        spent["floor"] = sum(_floor(frame, values) for frame, values in filled)
        if run:
            for step in STEPS:
                per_run[step].append(spent[step] * 1000 / len(documents))
    return {step: statistics.median(values) for step, values in per_run.items()}


def _timed_call(spent: dict[str, float], step: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    start = time.process_time()
    result = function(*args, **kwargs)
    spent[step] += time.process_time() - start
    return result


def _floor(frame: Frame, values: Any) -> float:
    """Seconds to deflate, with zlib alone, the parts of ``frame`` that ``values`` fill in."""
    start = time.process_time()
    for _, pieces in frame.parts:
        if any(isinstance(piece, str) for piece in pieces):
            packer = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
            data = b"".join(values[p] if isinstance(p, str) else p for p in pieces)
            packer.compress(data)
            packer.flush()
    return time.process_time() - start


@contextmanager
def _timing(spent: dict[str, float], filled: list[tuple[Frame, Any]]) -> Iterator[None]:
    """Count the time spent in the body writer, the packing and the frame into ``spent`` while inside.

    What each packing was given goes into ``filled``, for :func:`_floor`.
    """
    originals = (BodyWriter.write, Frame.fill, docx_writer.make_frame)

    def write(self: BodyWriter) -> bytes:
        return _timed_call(spent, "body", originals[0], self)  # type: ignore[no-any-return]

    def fill(self: Frame, values: Any, *, date: dt.datetime) -> bytes:
        filled.append((self, values))
        return _timed_call(spent, "pack", originals[1], self, values, date=date)  # type: ignore[no-any-return]

    def make_frame(reference: bytes, **kinds: bool) -> Frame:
        return _timed_call(spent, "frame", originals[2], reference, **kinds)  # type: ignore[no-any-return]

    BodyWriter.write, Frame.fill, docx_writer.make_frame = write, fill, make_frame  # type: ignore[method-assign]
    try:
        yield
    finally:
        BodyWriter.write, Frame.fill, docx_writer.make_frame = originals  # type: ignore[method-assign]


def _shares(medians: dict[str, float]) -> tuple[float, float, float]:
    """Packing as a share of the build (%) with a frame per document, with the frame made once, and
    what a hand-written packer could save of the latter."""
    build, pack = medians["build"], medians["pack"]
    kept = build - medians["frame"]
    return 100 * pack / build, 100 * pack / kept, 100 * (pack - medians["floor"]) / kept


def _line(name: str, medians: dict[str, float]) -> str:
    shares = _shares(medians)
    return f"{name:<24}" + "".join(f"{medians[step]:>9.2f}" for step in STEPS) + "".join(f"{v:>8.1f}" for v in shares)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument("--runs", type=int, default=30, help="measured builds per example (default: 30)")
    parser.add_argument("--examples", default="", help="comma-separated example names (default: all)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
