"""scripts/audit.py: pip-audit against a local advisory database finds what is there, and only
that. The advisory files here are made up in the PyPA advisory database's own format."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AUDIT = Path(__file__).parent.parent / "scripts" / "audit.py"
HASH = "--hash=sha256:" + "0" * 64

ADVISORY = """\
id: PYSEC-0000-1
details: A made-up flaw in flask before 0.12.3.
affected:
- package: {name: flask, ecosystem: PyPI, purl: pkg:pypi/flask}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: '0'}, {fixed: 0.12.3}]
aliases: [CVE-0000-0001]
modified: '2021-08-25T04:30:09.712538Z'
published: 2018-08-20T19:31:00Z
"""

LAST_AFFECTED = """\
id: PYSEC-0000-2
details: A made-up flaw in jinja2 from 2.0 up to and including 2.10.
affected:
- package: {name: Jinja2, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: '2.0'}, {last_affected: '2.10'}]
modified: '2021-08-25T04:30:09Z'
"""


@pytest.fixture
def advisories(tmp_path: Path) -> Path:
    for name, text in (("flask", ADVISORY), ("jinja2", LAST_AFFECTED)):
        folder = tmp_path / "db" / "vulns" / name
        folder.mkdir(parents=True)
        (folder / f"{name}.yaml").write_text(text)
    return tmp_path / "db"


def audit(tmp_path: Path, database: Path, *pins: str) -> subprocess.CompletedProcess[str]:
    lock = tmp_path / "test.lock"
    lock.write_text("".join(f"{pin} {HASH}\n" for pin in pins))
    return subprocess.run(
        [sys.executable, AUDIT, lock],
        env={**os.environ, "ADVISORY_DB": str(database)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("pins", "found"),
    [
        (("flask==0.12.2",), {"PYSEC-0000-1"}),
        (("flask==0.12.3", "jinja2==2.10"), {"PYSEC-0000-2"}),
        (("flask==3.1.2", "jinja2==2.10.1"), set()),
        (("jinja2==1.2",), set()),
    ],
)
def test_the_audit_finds_exactly_the_known_vulnerabilities(
    tmp_path: Path, advisories: Path, pins: tuple[str, ...], found: set[str]
) -> None:
    result = audit(tmp_path, advisories, *pins)
    reported = {word for word in result.stdout.split() if word.startswith("PYSEC-")}
    assert reported == found, result.stdout + result.stderr
    assert result.returncode == (1 if found else 0)
    if not found:
        assert "no known vulnerability" in result.stdout
