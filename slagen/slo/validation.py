"""OpenSLO v1 documents checked against the JSON Schema written from the specification.

The schema is ``slagen/resources/openslo-v1.schema.json``; the documents are checked as YAML reads
them back (a ``startTime`` stays a string, a target a number). ``slagen slo`` checks what it writes
before writing it, so a catalog of another library cannot produce a file that an OpenSLO tool
refuses; a finding there is a bug in slagen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "resources" / "openslo-v1.schema.json"


def openslo_schema() -> dict[str, Any]:
    """The JSON Schema of one OpenSLO v1 document."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def openslo_findings(documents: Iterable[Any]) -> list[str]:
    """Every way ``documents`` (as read back from YAML) break the schema, as ``document N: path: message``."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(openslo_schema())
    findings = []
    for number, document in enumerate(documents, 1):
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(part) for part in error.absolute_path) or "(document)"
            findings.append(f"document {number}: {where}: {error.message}")
    return findings
