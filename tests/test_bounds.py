"""Bounded resources in the template sandbox (issue 15, F9 and F10 of the reliability probe).

F9: a 31-character template printed a list of a million references to a 1 MB text, and ``|string``,
``~``, ``format``, ``%`` and ``|sort`` made 1-2 GB of text before a size check refused the result.
Each memory probe of the report runs here as the report ran it, ``slagen build`` in a process of its
own, under an address-space cap of 400 MiB as a safety net: it must end with exit 2 and the limit's
message (never a MemoryError) and a peak RSS under 200 MiB, measured by ``wait4``.

F10: the time limit did not hold inside filters (40 × ``map('abs')`` over a million items ran 91 s
and succeeded). With the limit lowered to half a second, such templates stop at it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2.utils import Namespace

from slagen import limits

from .conftest import DEMO, ROOT
from .test_hardening import CLAUSE, PREFIX, library_copy, render_de, template_problem

__all__ = ["library_copy"]  # the fixture, used by name

PEAK_MIB = 200
CAP = 400 * 1024 * 1024

BIG_LIST = "['x' * 1000000] * 1000"
AS_TEXT = "the template would write a list of {} items as a text of more than 1,000,000 characters (at most 1,000,000)"
BUILT = (
    "the template builds and writes more than 5,000,000 characters and items in all; "
    "does a loop build a large value again and again?"
)

# (template body, the message that ends it): the report's probes first, then their relatives
MEMORY_PROBES = [
    ("{{ [('x' * 1000000)] * 1000000 }}", AS_TEXT.format("1,000,000")),
    (f"{{{{ ({BIG_LIST})|string }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ ({BIG_LIST}) ~ '' }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ '{{}}'.format({BIG_LIST}) }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ '%s' % ({BIG_LIST},) }}}}", AS_TEXT.format("1,000")),
    (
        f"{{{{ ({BIG_LIST})|sort|length }}}}",
        "the template would sort by copies of texts of more than 1,000,000 characters "
        "(at most 1,000,000; case_sensitive=true makes none)",
    ),
    (f"{{{{ ({BIG_LIST})|pprint }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ [{BIG_LIST}]|join }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ 'abc'|replace('a', {BIG_LIST}) }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ ({BIG_LIST})|listing }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ 'abc'.replace('a', {BIG_LIST}) }}}}", AS_TEXT.format("1,000")),
    (f"{{{{ [{BIG_LIST}]|map('upper')|list }}}}", AS_TEXT.format("1,000")),
    (
        "{{ ('x' * 1000000).translate({120: 'y' * 1000000}) }}",
        "the template would build a value of 1,000,000,000,000 characters (at most 1,000,000)",
    ),
    (
        "{{ ([['x'] * 1000000] * 1000000)|sum(start=[])|length }}",
        "the template would build a value of 2,000,000 items (at most 1,000,000)",
    ),
    ("{% set big = 'x' * 1000000 %}{% for i in range(10000) %}{{ big }}{% endfor %}", BUILT),
    (
        "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}"
        "{% set ns.l = ns.l + [('x' * 999999) ~ i] %}{% endfor %}{{ ns.l|length }}",
        BUILT,
    ),
    ("{% set x = (range(10000)|list) * 100 %}{{ [x|batch(1)|list, x|batch(1)|list]|length }}", BUILT),
    ("{% set x = (range(10000)|list) * 100 %}{{ [x|map('string')|list, x|map('string')|list]|length }}", BUILT),
]


def _limit_address_space() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def build_in_a_process(root: Path, out: Path) -> tuple[int, str, float]:
    """``slagen build`` of the demo with the library at ``root``: exit code, stderr, peak RSS in MiB."""
    env = {**os.environ, "SLAGEN_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "slagen", "build", str(DEMO), "-o", str(out), "--lang", "de"]
    command += ["--format", "md", "--library", str(root)]
    with subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, preexec_fn=_limit_address_space
    ) as child:
        assert child.stderr is not None
        stderr = child.stderr.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, stderr, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and ru_maxrss in KiB: Linux")
@pytest.mark.parametrize(("body", "message"), MEMORY_PROBES)
def test_memory_probes_end_with_the_limit_in_bounded_memory(
    library_copy: Path, tmp_path: Path, body: str, message: str
) -> None:
    (library_copy / CLAUSE).write_text(f"## Titel\n\n{body}\n", encoding="utf-8")
    code, stderr, peak = build_in_a_process(library_copy, tmp_path / "out")
    assert "MemoryError" not in stderr
    assert (code, stderr) == (2, f"error: {PREFIX}{message}\n")
    assert peak < PEAK_MIB, f"peak RSS {peak:.0f} MiB"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("body", "message"), MEMORY_PROBES)
def test_memory_probes_stop_fast_in_process(library_copy: Path, body: str, message: str) -> None:
    assert template_problem(library_copy, f"## Titel\n\n{body}\n") == PREFIX + message


# --- time -----------------------------------------------------------------------------

MAPS = "|map('abs')" * 40
SLOW_FILTERS = [
    f"{{{{ ((range(10000)|list) * 100){MAPS}|sum }}}}",  # the report's probe
    "{{ ((range(10000)|list) * 100)" + "|select('odd')|reject('none')" * 20 + "|list|length }}",
    "{{ ((range(10000)|list) * 100)" + "|map('string')|join('')|length" * 30 + " }}",
    "{{ ((range(10000)|list) * 10)" + "|sort(reverse=true)" * 40 + "|length }}",
    "{{ ((range(10000)|list) * 100)" + "|map('int')|map('float')" * 20 + "|max }}",
]


@pytest.mark.parametrize("body", SLOW_FILTERS)
def test_time_limit_holds_inside_filters(library_copy: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.5)
    started = time.process_time()
    problem = template_problem(library_copy, f"## Titel\n\n{body}\n")
    assert problem == PREFIX + "the template takes longer than 0.5 seconds to render"
    assert time.process_time() - started < 4


# --- the measure itself ---------------------------------------------------------------

VALUES = [
    "",
    "x" * 10,
    ["a\nb", "'", '"', "\\", "é€", ""],
    ("x",),
    (),
    {"a": [1, 2.5, None, True], 3: {"b": ()}},
    {1, 2, 3},
    frozenset(),
    {}.items(),
    {"k": "v"}.values(),
    10**999,
    -(10**50),
    Decimal("1.2500"),
    [[[[]]]],
    range(10),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_printed_size_is_never_more_than_the_text(value: object) -> None:
    # a lower bound, so that refusing on it never refuses a text that would be short enough
    assert limits.printed_size(value, 10**9) <= len(str(value))


def test_printed_size_of_a_namespace_that_holds_itself_ends() -> None:
    space = Namespace(a="x" * 100)
    space["me"] = space
    assert limits.printed_size(space, 10**6) > 10**6  # walked until past the bound, never for ever


def test_ordinary_values_print_as_before(library_copy: Path) -> None:
    body = "{{ [1, 'a'] }} {{ {'k': (1, 2)} }} {{ ('x' * 3) ~ [1] }} {{ '%s|%s' % ([1], 'b') }} {{ [2, 1]|sort }}"
    (library_copy / CLAUSE).write_text(f"## Titel\n\n{body}\n", encoding="utf-8")
    assert r"\[1, 'a'\] {'k': (1, 2)} xxx\[1\] \[1\]\|b \[1, 2\]" in render_de(library_copy)
