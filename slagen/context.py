"""What templates see: the one definition of a clause template's context.

Takes validated answers, the resolved service levels, the library, a language and the document
date, and gives a :class:`TemplateContext`: the answers tree (localized answers reduced to the
language), the labels of the agreement's kind, the locale, and what the templates see of the
service (catalog, tiers, levels, credits). Rendering (:mod:`slagen.render`), lint
(:mod:`slagen.lint`) and the memo (:mod:`slagen.memo`) all take the names from here.

Every function is pure: data in, data out, nothing kept. What repeats from one contract to the
next (the labels of a kind, the service view of one tier) is kept by the caller's memo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from msgspec import Struct, field

from slagen import derived, formatting, measure_rules, measure_text
from slagen.binding import binding_language
from slagen.catalogfacts import catalog_facts
from slagen.library import Library
from slagen.resolve import Level, ServiceLevels

FRAME_NAMES = ("lang", "locale", "labels", "today", "binding_language", derived.NAMESPACE)
"""Names every template sees beside the answers: language, Babel locale, the kind's labels, the document date,
the language of the binding version (:func:`slagen.binding.binding_language`), the values derived from the
answers (:mod:`slagen.derived`)."""
SERVICE_NAMES = ("catalog", "tier", "tiers", "service_credits", "levels", "level")
"""Names of what the templates see of the resolved service (:func:`service_view`)."""
TERM_NAMES = ("defined_terms", "used_terms")
"""Names a clause marked ``renders_last`` sees besides (:func:`slagen.terms.term_context`)."""
CONTEXT_NAMES = frozenset((*FRAME_NAMES, *SERVICE_NAMES, *TERM_NAMES))
"""Every name of a template's context that is not an answer group."""
LEVEL_FIELDS = frozenset(
    {"id", "unit", "direction", "group", "role", "per", "feeds", "target", "standard", "deviation", "target_text"}
    | {"per_tier", "measure"}
)
"""What a level (``levels[i]``, ``level.<kpi>``) has besides the catalog's wording of the KPI; ``measure`` is what
its measurement definition decides (kind, period, clock, excludes, partial) and says
(:func:`slagen.measure_rules.phrases`), empty without one."""
CREDITS_FIELDS = frozenset({"kpi", "scheme", "agreed", "per_tier"})
"""What ``service_credits`` has (:class:`slagen.resolve.Credits`)."""


class TemplateContext(Struct, frozen=True):
    """The context one clause template renders with; :meth:`names` is the mapping Jinja receives."""

    answers: Mapping[str, Any]
    """The answers tree, localized answers reduced to the language."""
    language: str
    locale: str
    labels: Mapping[str, Any]
    today: dt.date
    service: Mapping[str, Any]
    """What :func:`service_view` gives: the names of :data:`SERVICE_NAMES`."""
    binding_language: str = ""
    """The language of the version that binds (:func:`slagen.binding.binding_language`)."""
    derived: Mapping[str, Any] = field(default_factory=dict)
    """The values derived from the answers (:func:`slagen.derived.computed`), read as ``derived.<name>``."""

    def names(self, **more: Any) -> dict[str, Any]:
        """The mapping of names to values a template looks up; ``more`` adds the term names of :data:`TERM_NAMES`."""
        return {
            **self.answers,
            "lang": self.language,
            "locale": self.locale,
            "labels": self.labels,
            "today": self.today,
            "binding_language": self.binding_language,
            derived.NAMESPACE: self.derived,
            **self.service,
            **more,
        }


def make_context(
    answers_tree: Mapping[str, Any],
    library: Library,
    language: str,
    *,
    labels: Mapping[str, Any],
    service: Mapping[str, Any],
    today: dt.date,
) -> TemplateContext:
    """The context of ``language`` from the answers, the kind's ``labels`` and the ``service`` view."""
    return TemplateContext(
        answers=localize_tree(answers_tree, library, language),
        language=language,
        locale=str(labels["locale"]),
        labels=labels,
        today=today,
        service=service,
        binding_language=binding_language(answers_tree),
        derived=derived.computed(answers_tree),
    )


LABEL_OVERRIDES = (("kinds", "agreement.kind"), ("laws", "agreement.governing_law"))
"""Sections of ``labels.yaml`` that reword labels for a value of an answer, in the order they apply."""


def kind_labels(library: Library, language: str, kind: str, law: str = "") -> dict[str, Any]:
    """The labels of ``language`` for an agreement of ``kind`` under the governing ``law``.

    ``labels.yaml`` may hold ``kinds: {<kind>: {<part>: {<key>: text}}}`` and ``laws: {<law>: …}``: each
    part's keys replace the base labels' in an agreement of that kind (an internal agreement's terms and
    subtitle), then under that law (the form of notices: *in Textform* under German law, *in writing* under
    English law).
    """
    base = library.labels[language]
    sections = {name for name, _ in LABEL_OVERRIDES}
    labels = {part: words for part, words in base.items() if part not in sections}
    for (section, _), value in zip(LABEL_OVERRIDES, (kind, law), strict=True):
        for part, words in ((base.get(section) or {}).get(value) or {}).items():
            labels[part] = {**labels[part], **words}
    return labels


def localize_tree(tree: Mapping[str, Any], library: Library, language: str) -> dict[str, Any]:
    """A copy of the answers ``tree`` with every localized answer reduced to ``language``'s text.

    Validation makes sure every localized answer has a text in every language of the agreement; a
    language the answer lacks is a bug here, not a fallback to another language's text.
    """
    result = dict(tree)
    for path in library.localized_keys:
        node = result
        for part in path[:-1]:
            node[part] = dict(node[part])
            node = node[part]
        value = node[path[-1]]
        if isinstance(value, dict):
            if language not in value:
                raise KeyError(f"the answer '{'.'.join(path)}' has no text in '{language}'")
            node[path[-1]] = value[language]
    return result


def service_view(service: ServiceLevels, language: str, labels: Mapping[str, Any]) -> dict[str, Any]:
    """What the templates see of the resolved ``service``: catalog, tiers, levels, credits."""
    locale = str(labels["locale"])
    tiers = [
        {
            "id": tier.id,
            "name": tier.name,
            "rank": tier.rank,
            "chosen": tier is service.tier,
            "credits": tier.credits,
            **tier.terms,
        }
        for tier in service.offered
    ]
    words = labels.get("measures")
    levels = [_level(level, service, language, locale, labels["terms"], words) for level in service.levels]
    return {
        "catalog": {
            "id": service.catalog.id,
            **catalog_facts(service.catalog),
            **{key: _parties(str(text), labels["terms"]) for key, text in service.catalog.text[language].items()},
        },
        "tier": next((tier for tier in tiers if tier["chosen"]), None),
        "tiers": tiers,
        "service_credits": service.credits,
        "levels": levels,
        "level": {level["id"]: level for level in levels},
    }


def _level(
    level: Level,
    service: ServiceLevels,
    language: str,
    locale: str,
    terms: Mapping[str, Any],
    words: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One KPI for the templates.

    In a multi-level agreement ``target_text`` names each offered tier's value ("99.5% (Bronze),
    99.9% (Silver) or 99.95% (Gold)") and ``per_tier`` holds them one by one. The catalog's wording
    names the parties as ``{provider}`` and ``{customer}``: they become the agreement's terms.
    """
    kpi = level.kpi
    wording = dict(kpi.text[language])
    wording.update(counting="", excluded="")  # a KPI without a measurement definition says nothing more
    measure: dict[str, Any] = {
        "kind": "",
        "period": "",
        "clock": "",
        "excludes": [],
        "partial": "",
        **measure_rules.UNSAID,
    }
    if kpi.measure is not None and words:  # the measurement definition words the period and the exclusions
        wording.update(measure_text.wording(kpi.measure, words, locale))
        limits = sum(1 for other in service.catalog.kpis.values() if other.feeds == kpi.id)
        wording["formula"] = measure_rules.formula(
            wording["formula"], kpi.measure, words, locale, limits=max(limits, 1)
        )
        measure = {
            "kind": kpi.measure.kind,
            "period": kpi.measure.period,
            "clock": kpi.measure.clock,
            "excludes": list(kpi.measure.excludes),
            "partial": kpi.measure.partial,
            **measure_rules.phrases(kpi.measure, words, locale, limits=max(limits, 1)),
        }
    per_tier = [
        {
            "tier": tier.id,
            "name": tier.name,
            "chosen": tier is service.tier,
            "target": target,
            "text": formatting.format_value(target, kpi.unit, locale),
        }
        for tier, target in zip(service.offered, level.per_tier or (level.target,), strict=True)
    ]
    if service.multi_level:
        texts = [f"{entry['text']} ({entry['name']})" for entry in per_tier]
        target_text = formatting.format_listing(texts, locale, alternatives=True)
    else:
        target_text = per_tier[0]["text"]
    return {
        "id": kpi.id,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "group": kpi.group,
        "role": kpi.role,
        "per": kpi.per,
        "feeds": kpi.feeds,
        "target": level.target,
        "standard": level.standard,
        "deviation": level.deviation,
        "target_text": target_text,
        "per_tier": per_tier,
        "measure": measure,
        **{field: _parties(text, terms) for field, text in wording.items()},
    }


def _parties(text: str, terms: Mapping[str, Any]) -> str:
    """A catalog's wording with ``{provider}`` and ``{customer}`` replaced by the agreement's terms."""
    return text.replace("{provider}", str(terms["provider"])).replace("{customer}", str(terms["customer"]))
