"""The Makefile explains itself, and `make serve` will not serve without production settings."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_make_help_lists_the_targets() -> None:
    out = subprocess.run(
        ["make", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for target in ("run", "serve", "test", "lint", "vendor", "bench", "translations"):
        assert f"  {target}" in out.replace("\x1b[36m", "  ").replace("\x1b[0m", ""), target


def test_make_serve_refuses_without_production_settings_and_says_what_to_set() -> None:
    # A developer's shell: no production settings at all, and OUR_PROMISE_ENV left at
    # development, which `make serve` must not take for permission.
    environ = {
        name: value
        for name, value in os.environ.items()
        if name in {"PATH", "HOME", "LANG", "TMPDIR", "VIRTUAL_ENV"}
    }
    done = subprocess.run(
        ["make", "-s", "serve"],
        cwd=ROOT,
        env={**environ, "OUR_PROMISE_ENV": "development", "BIND": "127.0.0.1:1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    said = done.stderr.strip().splitlines()
    assert any(line.startswith("Our Promise cannot start: ") for line in said), done.stderr
    assert "SECRET_KEY" in done.stderr and "token_hex(32)" in done.stderr
    assert "Traceback" not in done.stderr  # the message, not a stack
    assert "Booting worker" not in done.stderr  # gunicorn never started
