"""The lazily parsed hyphenation dictionary gives pyphen's patterns, every one of them, in every language slagen
hyphenates (slagen/writers/hyphendict.py), and the writer uses it."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest

from slagen.writers import hyphens
from slagen.writers.hyphendict import LazyHyphDict


@pytest.mark.parametrize("language", ["de_DE", "en_GB"])
def test_every_pattern_is_pyphens(language: str) -> None:
    path = pyphen.LANGUAGES[language]
    lazy, full = LazyHyphDict(path), pyphen.HyphDict(path)
    assert len(lazy.patterns) == len(full.patterns)
    assert lazy.maxlen == full.maxlen
    for key, (start, values) in full.patterns.items():
        found = lazy.patterns.get(key)
        assert found is not None, key
        assert (found[0], list(found[1])) == (start, list(values)), key
        assert [getattr(v, "data", None) for v in found[1]] == [getattr(v, "data", None) for v in values], key
    assert lazy.patterns.get("qqqq") is None


def test_a_pattern_with_a_nonstandard_alternative_is_parsed_as_pyphen_does(tmp_path: Path) -> None:
    """Hungarian-style ``ssz/sz=sz,1,3`` patterns carry their change; zero-only lines leave the earlier one."""
    path = tmp_path / "hyph_xx.dic"
    path.write_text("UTF-8\n% a comment\n1ssz/sz=sz,1,3\nab1c\nab0c\n^^e4b1\nn1n\n", encoding="utf-8")
    lazy, full = LazyHyphDict(path), pyphen.HyphDict(path)
    assert set(full.patterns) == {"ssz", "abc", "äb", "nn"}
    for key in full.patterns:
        found = lazy.patterns.get(key)
        assert found is not None
        assert list(found[1]) == list(full.patterns[key][1])
        assert [getattr(v, "data", None) for v in found[1]] == [getattr(v, "data", None) for v in full.patterns[key][1]]
    for word in ("kassza", "abcab", "männer"):
        assert lazy.positions(word) == full.positions(word)
        assert [p.data for p in lazy.positions(word)] == [p.data for p in full.positions(word)]


def test_the_writer_hyphenates_with_it() -> None:
    assert hyphens.hyphenate("Wiederherstellungszeiten", "de").replace(hyphens.SOFT_HYPHEN, "-") == (
        "Wie-der-her-stel-lungs-zei-ten"
    )
    assert isinstance(pyphen.hdcache[pyphen.LANGUAGES["de_DE"]], LazyHyphDict)
