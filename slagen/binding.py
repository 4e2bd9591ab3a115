"""Which language version of an agreement binds, and which law its review notes follow.

Takes the answers tree and gives the binding language: under German law the German version,
under the laws of England and Wales the English one, where the agreement is written in that
language; otherwise (and in an internal agreement, which no law governs) the first language the
answers list. Every other language is a convenience translation: it says so on every page and
carries no signature table (:mod:`slagen.render`, :mod:`slagen.writers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LAW_LANGUAGE = {"de": "de", "en-gb": "en"}
"""The language of each governing law's courts: the version in it binds."""


def binding_language(tree: Mapping[str, Any]) -> str:
    """The language whose version of the agreement binds and is signed."""
    languages = [str(lang) for lang in tree["languages"]]
    agreement = tree["agreement"]
    if agreement.get("kind") != "internal":
        wanted = LAW_LANGUAGE.get(str(agreement.get("governing_law")))
        if wanted in languages:
            return wanted
    return languages[0]


def review_law(tree: Mapping[str, Any]) -> str:
    """The law whose review notes the agreement shows.

    An internal agreement is governed by no law, but its reviewers work under the law of the
    organisation's seat: the answer ``agreement.governing_law`` (German law unless it says otherwise).
    """
    return str(tree["agreement"].get("governing_law") or "de")
