"""``python -m slagen.docsgen [--library DIR] [-o DIR] [--force]``: write the reference pages of a library.

Writes ``answers.md`` (every answer key) and ``templates.md`` (every helper and filter) into the output
directory (default ``docs``), atomically through :mod:`slagen.output`; without ``--force`` it refuses to
replace pages that exist.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from slagen.docsgen.answers import describe_answers
from slagen.docsgen.templates import describe_templates
from slagen.errors import SlagenError
from slagen.library import load_library
from slagen.output import write_outputs


def main(argv: list[str] | None = None) -> int:
    """Write the pages; 0 when written, 2 with one message per problem when the library or output is wrong."""
    parser = argparse.ArgumentParser(prog="python -m slagen.docsgen", description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, help="the clause library (default: the bundled one)")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs"), help="directory of the pages")
    parser.add_argument("--force", action="store_true", help="replace pages that exist")
    options = parser.parse_args(argv)
    try:
        library = load_library(options.library)
        pages = {
            options.output / "answers.md": describe_answers(library).encode("utf-8"),
            options.output / "templates.md": describe_templates(library).encode("utf-8"),
        }
        for path in write_outputs(pages, force=options.force):
            print(path)
    except SlagenError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
