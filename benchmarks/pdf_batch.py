"""Benchmark PDF output: seconds per contract with one LibreOffice process per contract, and with one for many.

Run from the repository root (needs LibreOffice):

    python benchmarks/pdf_batch.py [--contracts 12] [--per-process 24] [--language de]

Builds CONTRACTS copies of examples/telemarketing.yaml in one language (each with its own
reference), then times slagen's layout pass with PDF (:func:`slagen.writers.layout.lay_out`:
one LibreOffice run lays the contents out, a second makes the PDFs) two ways: once per contract,
as a batch converted each row on its own, and for PER_PROCESS contracts at a time, as
``slagen batch --format pdf`` does (:mod:`slagen.batchpdf`). Prints wall-clock seconds per
contract of both and the ratio. Both run one LibreOffice process at a time, so the figures do
not depend on the cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from msgspec.structs import replace

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slagen.generate import build_documents, check_answers  # noqa: E402
from slagen.library import load_library  # noqa: E402
from slagen.memo import Memo  # noqa: E402
from slagen.writers.docx import write_docx  # noqa: E402
from slagen.writers.layout import lay_out  # noqa: E402


def contracts(count: int, language: str) -> dict[str, bytes]:
    """``count`` DOCX of the demo in ``language``, each with its own reference."""
    library = load_library(None)
    memo = Memo()
    answers = check_answers(ROOT / "examples" / "telemarketing.yaml", library, memo)
    (document,) = build_documents(answers, library, [language], memo=memo)
    stamp = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    return {
        f"c{index:04d}.docx": write_docx(replace(document, reference=f"SLA-BENCH-{index:04d}"), timestamp=stamp)
        for index in range(count)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=12)
    parser.add_argument("--per-process", type=int, default=24)
    parser.add_argument("--language", default="de")
    args = parser.parse_args()
    documents = contracts(args.contracts, args.language)
    started = time.perf_counter()
    for name, data in documents.items():
        lay_out({name: data}, pdf=True)
    one_each = (time.perf_counter() - started) / len(documents)
    names = list(documents)
    started = time.perf_counter()
    for first in range(0, len(names), args.per_process):
        lay_out({name: documents[name] for name in names[first : first + args.per_process]}, pdf=True)
    grouped = (time.perf_counter() - started) / len(documents)
    print(f"{len(documents)} contracts ({args.language}), layout pass and PDF")
    print(f"one LibreOffice process per contract: {one_each:.2f} s per contract")
    print(
        f"one process per {args.per_process} contracts: {grouped:.2f} s per contract ({one_each / grouped:.1f}x faster)"
    )


if __name__ == "__main__":
    main()
