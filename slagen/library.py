"""Load the clause library: clause records, templates, labels, service catalogs and tiers.

Takes a library directory (the bundled one, or ``--library DIR``) and gives a
:class:`Library`: everything parsed, checked and indexed once per process, so that
each document only renders. Problems in library files are reported together, with
file, line and key, as a :class:`~slagen.errors.LibraryError`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from slagen.catalogs import (
    Catalog,
    load_catalogs,
)
from slagen.errors import LibraryError, Problem
from slagen.libfiles import need, read_file
from slagen.params import Param, parse_param
from slagen.yamlsource import YamlSource

TEMPLATE_SUFFIX = ".md.j2"
LABELS_FILE = "labels.yaml"
"""A directory ``templates/<lang>/`` holding this file is a language of the library."""
FRONT_SECTION = "front"
"""Section of the unnumbered front matter (title block and parties), rendered before section 1."""
ANNEX_SECTION = "annexes"
"""Section whose clauses are the annexes ("Anlage 1", "Schedule 1" …), numbered apart from the clauses."""


class Clause(Struct, frozen=True):
    """A language-neutral clause record; its wording is ``templates/<lang>/<section>/<name>.md.j2``."""

    id: str
    version: int
    section: str
    order: int
    when: str | None
    params: tuple[Param, ...]
    requires: tuple[str, ...]
    review: tuple[tuple[str, str, str], ...]
    """The notes for legal review as (governing law, document language, note); ``*`` stands for any."""
    path: str
    applies_when: str = ""
    renders_last: bool = False
    """Rendered after every other clause, with ``defined_terms`` and ``used_terms`` (see :mod:`slagen.terms`)."""

    def note(self, law: str, language: str) -> str:
        """The review note for an agreement under ``law`` written in ``language`` ("" if there is none)."""
        for note_law, note_language, text in self.review:
            if note_law in ("*", law) and note_language in ("*", language):
                return text
        return ""

    @property
    def template_name(self) -> str:
        """Template path relative to a language directory."""
        return self.id.replace(".", "/") + TEMPLATE_SUFFIX


class Library(Struct, frozen=True):
    """Everything the pipeline reads from the library, parsed once; nothing in it changes afterwards."""

    root: Path
    version: str
    sections: tuple[str, ...]
    clauses: tuple[Clause, ...]
    params: dict[str, Param]
    catalogs: dict[str, Catalog]
    labels: dict[str, dict[str, Any]]
    digest: str
    """A hash of every file of the library that was read: two libraries of the same digest say the same."""
    groups: frozenset[str] = frozenset()
    """Every group of answers (``parties``, ``parties.customer``, …)."""
    keys_by_type: dict[str, str] = field(default_factory=dict)
    """The answer key of the first parameter of each type (``catalog``, ``tier``, …)."""
    localized_keys: tuple[tuple[str, ...], ...] = ()
    """The answers that may have a text per language, as paths."""
    languages: tuple[str, ...] = ()
    """The languages the library writes, sorted: every ``templates/<lang>/`` with a ``labels.yaml``."""

    @property
    def template_root(self) -> Path:
        """Directory holding ``de/``, ``en/`` with the wording."""
        return self.root / "templates"

    def locale(self, language: str) -> str:
        """The Babel locale of ``language``, as its labels say (``locale: de_DE``)."""
        return str(self.labels[language]["locale"])

    def key_of(self, kind: str) -> str | None:
        """The answer key of the first parameter of type ``kind`` (``catalog``, ``tier``, …), if one is declared."""
        return self.keys_by_type.get(kind)


RESERVED_NAMES = frozenset(
    {"lang", "locale", "labels", "today", "catalog", "tier", "tiers", "service_credits", "levels", "level"}
    | {"binding_language", "derived"}
    | {"defined_terms", "used_terms"}
    | {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "ref", "define", "term", "target"}
    | {"loop", "self", "super", "caller", "varargs", "kwargs", "true", "false", "none", "True", "False", "None"}
)
"""Names an answer group may not have: what slagen gives every template beside the answers
(:data:`slagen.context.CONTEXT_NAMES`), the templates' globals (:data:`slagen.sandbox.RESERVED_GLOBALS`)
and the names Jinja gives a meaning of its own. An answer group named ``range`` would hide the
template global from every clause, or the global would hide the answer."""


def _derived(library: Library) -> Library:
    """``library`` with what is derived from its parameters filled in."""
    parts = [key.split(".") for key in library.params]
    keys_by_type: dict[str, str] = {}
    for key, param in library.params.items():
        keys_by_type.setdefault(param.type, key)
    return replace(
        library,
        groups=frozenset(".".join(part[:i]) for part in parts for i in range(1, len(part))),
        keys_by_type=keys_by_type,
        localized_keys=tuple(
            tuple(key.split(".")) for key, param in library.params.items() if param.type == "localized"
        ),
    )


def default_library_path() -> Path:
    """The bundled library: inside the installed package, or the checkout's top level."""
    packaged = Path(__file__).parent / "_library"
    if (packaged / "clauses").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def library_languages(root: Path) -> tuple[str, ...]:
    """The languages of the library at ``root``: the directories ``templates/<lang>/`` with a labels file, sorted."""
    templates = root / "templates"
    if not templates.is_dir():
        return ()
    return tuple(sorted(path.parent.name for path in templates.glob(f"*/{LABELS_FILE}") if path.is_file()))


def load_library(root: Path | None = None) -> Library:
    """Read and check the library at ``root`` (default: the bundled one).

    Callers read it once and pass it on: a command loads its library once, a batch once for all rows.
    """
    root = (root if root is not None else default_library_path()).resolve()
    if not (root / "clauses").is_dir():
        raise LibraryError.single("not a slagen library (no clauses/ directory)", file=root)
    problems: list[Problem] = []
    hasher = hashlib.sha256()
    languages = library_languages(root)
    if not languages:
        problems.append(
            Problem(f"no language: write the wording in templates/<lang>/ with a {LABELS_FILE}", "templates/")
        )
    sections, version = _load_sections(root, problems, hasher)
    clauses, params = _load_clauses(root, sections, languages, problems, hasher)
    catalogs = load_catalogs(root, params, languages, problems, hasher)
    labels = _load_labels(root, languages, problems, hasher)
    _check_templates(root, clauses, languages, problems, hasher)
    if problems:
        raise LibraryError(problems)
    digest = hasher.hexdigest()[:16]
    return _derived(Library(root, version, sections, clauses, params, catalogs, labels, digest, languages=languages))


def _load_sections(root: Path, problems: list[Problem], hasher: Any) -> tuple[tuple[str, ...], str]:
    source = read_file(root / "clauses" / "sections.yaml", root, problems, hasher)
    if source is None:
        return (), ""
    ids = need(source, problems, ("sections",), list, "a list of section ids")
    version = need(source, problems, ("version",), str, "the library's version (a string)")
    return tuple(str(s) for s in ids or ()), str(version or "")


def _load_clauses(
    root: Path, sections: tuple[str, ...], languages: tuple[str, ...], problems: list[Problem], hasher: Any
) -> tuple[tuple[Clause, ...], dict[str, Param]]:
    clauses: list[Clause] = []
    params: dict[str, Param] = {}
    for path in sorted((root / "clauses").rglob("*.yaml")):
        if path.name == "sections.yaml":
            continue
        source = read_file(path, root, problems, hasher)
        if source is None:
            continue
        clause = _parse_clause(source, sections, languages, problems)
        if clause is None:
            continue
        expected = path.relative_to(root / "clauses").with_suffix("").as_posix().replace("/", ".")
        if clause.id != expected:
            problems.append(Problem(f"id '{clause.id}' must match the file name ('{expected}')", source.path, 1, "id"))
        clauses.append(clause)
        for param in clause.params:
            earlier = params.get(param.key)
            if earlier is not None and _signature(earlier) != _signature(param):
                problems.append(
                    Problem(
                        f"declared differently in {earlier.declared_in}; declare a parameter once",
                        source.path,
                        source.line_of(("params", param.key)),
                        f"params.{param.key}",
                    )
                )
            params.setdefault(param.key, param)
    order = {s: i for i, s in enumerate(sections)}
    order[FRONT_SECTION] = -1
    clauses.sort(key=lambda c: (order.get(c.section, len(order)), c.order, c.id))
    in_document_order = {p.key: params[p.key] for clause in clauses for p in clause.params}
    return tuple(clauses), in_document_order


def _signature(param: Param) -> tuple[Any, ...]:
    return (
        param.type,
        param.default,
        param.required,
        param.minimum,
        param.maximum,
        param.choices,
        param.unit,
        param.when,
    )


def _parse_clause(
    source: YamlSource, sections: tuple[str, ...], languages: tuple[str, ...], problems: list[Problem]
) -> Clause | None:
    data = source.data
    before = len(problems)
    allowed = {
        "id",
        "version",
        "section",
        "order",
        "when",
        "applies_when",
        "params",
        "requires",
        "review",
        "renders_last",
    }
    for key in sorted(set(data) - allowed):
        problems.append(
            Problem(f"unknown field (allowed: {', '.join(sorted(allowed))})", source.path, source.line_of((key,)), key)
        )
    clause_id = need(source, problems, ("id",), str, "a clause id")
    version = need(source, problems, ("version",), int, "a version number")
    section = need(source, problems, ("section",), str, "a section")
    if section and section not in (FRONT_SECTION, *sections):
        problems.append(Problem(f"unknown section '{section}'", source.path, source.line_of(("section",)), "section"))
    declared: list[Param] = []
    for key, spec in (data.get("params") or {}).items():
        try:
            declared.append(parse_param(key, spec, source.path, languages=languages))
        except ValueError as exc:
            problems.append(Problem(str(exc), source.path, source.line_of(("params", key)), f"params.{key}"))
        root = str(key).split(".")[0]
        if root in RESERVED_NAMES:
            message = (
                f"the answer '{key}' may not be named '{root}': templates see '{root}' as a value "
                "of slagen's own; choose another name"
            )
            problems.append(Problem(message, source.path, source.line_of(("params", key)), f"params.{key}"))
    review = _review(source, problems)
    if len(problems) > before:
        return None
    return Clause(
        id=clause_id,
        version=version,
        section=section,
        order=int(data.get("order", 0)),
        when=data.get("when"),
        params=tuple(declared),
        requires=tuple(data.get("requires") or ()),
        review=review,
        path=source.path,
        applies_when=str(data.get("applies_when", "")),
        renders_last=data.get("renders_last") is True,
    )


def _review(source: YamlSource, problems: list[Problem]) -> tuple[tuple[str, str, str], ...]:
    """The clause's review notes: ``{law: {language: note}}``, or one note for every law and language.

    Which laws and languages the keys may name is checked by ``slagen lint`` (rule ``review``), which
    also asks for the per-law form; here only the shape is checked.
    """
    value = source.data.get("review")
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (("*", "*", value.strip()),)
    line = source.line_of(("review",))
    if not isinstance(value, dict):
        problems.append(Problem("a review note is a text or {law: {language: text}}", source.path, line, "review"))
        return ()
    notes: list[tuple[str, str, str]] = []
    for law, by_language in value.items():
        if not isinstance(by_language, dict):
            where = source.line_of(("review", law))
            problems.append(Problem("expected {language: text}", source.path, where, f"review.{law}"))
            continue
        for language, text in by_language.items():
            if not isinstance(text, str) or not text.strip():
                where = source.line_of(("review", law, language))
                problems.append(Problem("a review note is a text", source.path, where, f"review.{law}.{language}"))
                continue
            notes.append((str(law), str(language), text.strip()))
    return tuple(notes)


def _load_labels(
    root: Path, languages: tuple[str, ...], problems: list[Problem], hasher: Any
) -> dict[str, dict[str, Any]]:
    labels: dict[str, dict[str, Any]] = {}
    for lang in languages:
        source = read_file(root / "templates" / lang / LABELS_FILE, root, problems, hasher)
        if source is not None:
            need(source, problems, ("locale",), str, "a Babel locale")
            labels[lang] = source.data
    return labels


def _check_templates(
    root: Path, clauses: tuple[Clause, ...], languages: tuple[str, ...], problems: list[Problem], hasher: Any
) -> None:
    for lang in languages:
        for clause in clauses:
            name = f"templates/{lang}/{clause.template_name}"
            path = root / name
            if path.is_file():
                hasher.update(name.encode() + path.read_bytes())
            else:
                problems.append(Problem(f"clause '{clause.id}' has no '{lang}' wording", name))
    if not any(clause.section == FRONT_SECTION for clause in clauses):
        problems.append(Problem(f"no clause of section '{FRONT_SECTION}' (the title block and parties)", "clauses/"))
