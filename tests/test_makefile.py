"""The Makefile explains itself."""

from __future__ import annotations

import subprocess
from pathlib import Path


def test_make_help_lists_the_targets() -> None:
    out = subprocess.run(
        ["make", "-s", "help"],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for target in ("run", "test", "lint", "vendor", "bench", "translations"):
        assert f"  {target}" in out.replace("\x1b[36m", "  ").replace("\x1b[0m", ""), target
