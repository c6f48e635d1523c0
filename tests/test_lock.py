"""The lock files pin everything pyproject.toml asks for, with hashes, at versions it allows.

A dependency added to pyproject.toml without `make lock` would be missing from production
installs (`pip install --require-hashes -r requirements.lock`): this says so before a council
finds out.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)")


def pins(lock: str) -> dict[str, Version]:
    text = (ROOT / lock).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        if match := PIN.match(block):
            assert "--hash=sha256:" in block, f"{lock}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["dependencies"]), ("requirements-dev.lock", ["dependencies", "dev"])],
)
def test_every_dependency_is_pinned_with_hashes_at_an_allowed_version(
    lock: str, groups: list[str]
) -> None:
    pinned = pins(lock)
    wanted = [
        Requirement(line)
        for group in groups
        for line in (
            PROJECT[group] if group == "dependencies" else PROJECT["optional-dependencies"][group]
        )
    ]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock} lacks {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}: run `make lock`"
        )


def test_production_installs_nothing_only_the_tests_need() -> None:
    production = pins("requirements.lock")
    for tool in ("pytest", "playwright", "ruff", "mypy", "pip-audit", "aiosmtpd"):
        assert tool not in production
