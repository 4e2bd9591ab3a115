"""Answers the reliability probe found read other than meant (issue 15: F17, F18 and the surprises).

Each test is a probe of ``reviews/reliability.md`` as a command, with the outcome slagen promises: the
contract as meant, or exit 2 naming the answers file, line and key. ``check`` and ``build`` agree: what
one refuses, the other refuses with the same message (a property test draws answers for it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

from slagen.cli import main
from slagen.params import ParamError
from slagen.params.values import as_text

from .conftest import DEMO, EXAMPLES
from .test_fuzz import broken_answers, share, write_yaml

DEMO_TEXT = DEMO.read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def answers(tmp_path: Path, old: str, new: str, name: str = "a.yaml", text: str = DEMO_TEXT) -> Path:
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refused(path: Path, tmp_path: Path) -> str:
    """The first error of ``check``; ``build`` refuses with the same one and writes nothing."""
    code, stderr = run("check", str(path))
    assert code == 2, stderr
    out = tmp_path / f"out-{path.stem}"
    built, build_stderr = run("build", str(path), "-o", str(out))
    assert built == 2
    assert build_stderr.splitlines()[0] == stderr.splitlines()[0]
    assert not out.exists()
    return stderr.splitlines()[0]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_f17_an_answer_too_long_for_a_template_is_refused_at_the_answer(tmp_path: Path) -> None:
    path = answers(
        tmp_path, "    represented_by: Dr. Felix Hansen", "    represented_by: " + ("Felix " * 174763).strip()
    )
    line = line_of(path, "represented_by: Felix")
    assert refused(path, tmp_path) == (
        f"error: {path}:{line}: parties.customer.represented_by: is 1,048,577 characters long (at most 100,000)"
    )


def test_f17_a_percentage_target_above_100_is_refused(tmp_path: Path) -> None:
    text = (EXAMPLES / "telemarketing-custom.yaml").read_text(encoding="utf-8")
    path = answers(
        tmp_path, "    calls_per_agent_day: 120", "    calls_per_agent_day: 120\n    closing_rate: 150%", text=text
    )
    assert refused(path, tmp_path).endswith("service.overrides.closing_rate: 150 is above the maximum of 100%")


def test_f18_a_dotted_key_is_refused_instead_of_silently_winning(tmp_path: Path) -> None:
    path = tmp_path / "dotted.yaml"
    path.write_text(DEMO_TEXT + "agreement.reference: OTHER-999\n", encoding="utf-8")
    line = len(DEMO_TEXT.splitlines()) + 1
    assert refused(path, tmp_path) == (
        f"error: {path}:{line}: agreement.reference: a key may not contain '.': write 'agreement.reference' "
        "nested, one key a line"
    )


@pytest.mark.parametrize(
    ("value", "kind", "read"),
    [("012", "an octal number", "10"), ("1:00", "a base-60 number", "60"), ("0x0C", "a hexadecimal number", "12")],
)
def test_a_yaml_1_1_number_never_silently_changes_a_term(tmp_path: Path, value: str, kind: str, read: str) -> None:
    path = answers(tmp_path, "    months: 12 ", f"    months: {value} ")
    line = line_of(path, f"months: {value}")
    assert refused(path, tmp_path) == (
        f"error: {path}:{line}: agreement.term.months: '{value}' is {kind} to YAML ({read}); write the number as "
        "meant, or in quotes for text"
    )


def test_a_number_of_thousands_of_digits_gets_a_short_message(tmp_path: Path) -> None:
    path = answers(tmp_path, "    months: 12 ", "    months: " + "9" * 5000 + " ")
    message = refused(path, tmp_path)
    assert message.endswith("agreement.term.months: a number of more than 100 digits is no contract value")


def test_minus_zero_prints_no_sign_and_a_vanishing_fee_is_refused(tmp_path: Path) -> None:
    text = (EXAMPLES / "it-service.yaml").read_text(encoding="utf-8")
    path = answers(tmp_path, "  monthly_fee: 18500", "  monthly_fee: -0.0", text=text)
    code, stderr = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "md")
    assert code == 0, stderr
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert "£0.00" in written
    assert "-£0" not in written
    assert "-0,00" not in written
    tiny = answers(tmp_path, "  monthly_fee: 18500", '  monthly_fee: "1e-999999999"', "tiny.yaml", text)
    assert refused(tiny, tmp_path).endswith(
        "price.monthly_fee: '1e-999999999' is too small for a contract (it would print as 0)"
    )


def test_a_choice_listed_twice_is_refused(tmp_path: Path) -> None:
    path = answers(tmp_path, "  activities: [lead_generation,", "  activities: [lead_generation, lead_generation,")
    assert refused(path, tmp_path).endswith("service.activities.1: 'lead_generation' is listed twice")


def test_a_key_reads_as_written(tmp_path: Path) -> None:
    path = tmp_path / "yes.yaml"
    path.write_text(DEMO_TEXT + "yes: 1\n", encoding="utf-8")
    assert "unknown key 'yes'" in refused(path, tmp_path)


def test_output_names_keep_every_dot_but_the_suffix(tmp_path: Path) -> None:
    for version in ("v2", "v3"):
        (tmp_path / f"customer.{version}.yaml").write_text(DEMO_TEXT, encoding="utf-8")
        code, stderr = run("build", str(tmp_path / f"customer.{version}.yaml"), "-o", str(tmp_path / "out"))
        assert code == 0, stderr
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert "customer.v2.de.docx" in names
    assert "customer.v3.en.md" in names


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u202a"])
def test_invisible_characters_that_change_how_a_name_reads_are_refused(tmp_path: Path, char: str) -> None:
    # (C1 controls such as U+009B never get this far: YAML refuses them, and folds U+0085 into a space)
    path = answers(tmp_path, "    name: Nordlicht Solartechnik GmbH", f'    name: "Nordlicht{char}Solartechnik GmbH"')
    message = refused(path, tmp_path)
    assert message.endswith(
        f"parties.customer.name: contains the invisible character U+{ord(char):04X}, which can make a text read "
        "other than it is; remove it"
    )


@pytest.mark.parametrize("char", ["\u0084", "\u009b", "\u202e"])
def test_a_text_from_a_table_is_checked_for_invisible_characters_too(char: str) -> None:
    with pytest.raises(ParamError, match=f"invisible character U\\+{ord(char):04X}"):
        as_text(f"Acme{char}Corp", multiline=False)


@given(broken_answers())
@share(0.3)
def test_check_and_build_agree(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_yaml(Path(folder), data)
        checked, check_stderr = run("check", str(path))
        built, build_stderr = run("build", str(path), "-o", str(Path(folder) / "out"), "--format", "md")
        assert (checked in (0, 1)) == (built == 0), (check_stderr, build_stderr)
        if built == 2:
            assert check_stderr.splitlines()[0] == build_stderr.splitlines()[0]


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_an_answers_file_or_table_that_is_no_regular_file_is_refused_unread(tmp_path: Path, special: str) -> None:
    import os

    path = Path(special)
    if special == "fifo":
        path = tmp_path / "answers.yaml"
        os.mkfifo(path)  # reading it would block for ever
    code, stderr = run("check", str(path))
    assert code == 2
    assert stderr.startswith(f"error: {path}: not a regular file but a ")
    table = tmp_path / "table.csv" if special == "fifo" else path
    if special == "fifo":
        os.mkfifo(table)
    code, stderr = run("batch", str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "not a regular file" in stderr
