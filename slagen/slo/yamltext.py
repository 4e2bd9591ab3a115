"""YAML for operators' files: the same bytes on every run, numbers exact, a comment block on top.

Decimal targets are written as the number they are (``0.999``, never ``0.9990000000000001``), keys
in the order given, and several documents separated by ``---``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """A safe dumper that knows Decimal and never writes aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value.normalize(), "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Text of several lines (a PromQL expression) as a literal block, as people write it."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)


def comment(lines: Iterable[str]) -> str:
    """Lines as a YAML comment block (an empty line stays a bare ``#``)."""
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def dump_documents(documents: Sequence[Any], header: Iterable[str] = ()) -> bytes:
    """``documents`` as one YAML stream under the comment ``header``, UTF-8."""
    body = yaml.dump_all(
        documents,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        explicit_start=len(documents) > 1,
        width=110,
    )
    return (comment(header) + body).encode("utf-8")
