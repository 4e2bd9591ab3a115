"""The German interview is German (issue 19, item 1): every question with help has German help.

A declaration's ``help`` is the library author's English; the German interview shows the help from
``templates/de/questions.yaml`` and falls back to the declaration's only where it has none — which would put
English into a German interview.
"""

from __future__ import annotations

import yaml

from slagen.library import Library

from .conftest import ROOT


def test_every_declared_help_has_a_german_wording(library: Library) -> None:
    wording = yaml.safe_load((ROOT / "templates" / "de" / "questions.yaml").read_text(encoding="utf-8"))
    german = wording["help"]
    missing = sorted(
        key for key in wording["questions"] if getattr(library.params.get(key), "help", None) and key not in german
    )
    assert missing == []
