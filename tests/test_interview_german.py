"""The German interview is German (issue 19, item 1): every question with help has German help.

A declaration's ``help`` is the library author's English; the German interview shows the help from
``templates/de/questions.yaml`` and falls back to the declaration's only where it has none — which would put
English into a German interview.
"""

from __future__ import annotations

import pytest
import yaml

from slagen.interview.wording import load_wording
from slagen.library import Library

from .conftest import ROOT
from .test_interview import GERMAN, interview


def test_every_declared_help_has_a_german_wording(library: Library) -> None:
    wording = yaml.safe_load((ROOT / "templates" / "de" / "questions.yaml").read_text(encoding="utf-8"))
    german = wording["help"]
    missing = sorted(
        key for key in wording["questions"] if getattr(library.params.get(key), "help", None) and key not in german
    )
    assert missing == []


@pytest.mark.parametrize(
    ("key", "typed", "shown"),
    [
        ("agreement.term.months", "0", "0 liegt unter dem Mindestwert 1"),
        ("agreement.term.months", "zwölf", "erwartet wird eine ganze Zahl, angegeben ist 'zwölf'"),
        ("agreement.effective_date", "31.02.2027", "'31.02.2027' ist kein gültiges Datum"),
        (
            "price.monthly_fee",
            "12.500",
            "erwartet wird eine Zahl, angegeben ist '12.500': „12.500“ kann 12500 oder 12.5 bedeuten",
        ),
    ],
)
def test_messages_in_the_german_interview_are_german(library: Library, key: str, typed: str, shown: str) -> None:
    good = GERMAN.get(key) or {"agreement.term.months": "24", "price.monthly_fee": "12500"}[key]
    _, script = interview(library, {**GERMAN, key: [typed, good]}, "de")
    errors = [q.error for q in script.asked if q.key == key and q.error]
    assert len(errors) == 1
    assert errors[0].startswith(shown)


def test_a_message_without_german_wording_is_shown_as_it_is(library: Library) -> None:
    wording = load_wording(library, "de")
    assert wording.translated("something slagen never said") == "something slagen never said"
    assert wording.translated("7 is above the maximum of 5") == "7 liegt über dem Höchstwert 5"
