"""Our sheets and scripts go to phones without their comments and spaces (app/lean_static.py),
at their own addresses, and say exactly what the files in app/static/ say."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from app import create_app, lean_static
from app.templating import static_url
from tests.helpers import settings_for

COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
SHEETS = sorted((lean_static.STATIC / "css").glob("*.css"))
SCRIPTS = sorted((lean_static.STATIC / "js").glob("*.js"))


def rules(css: str) -> str:
    """A sheet's rules and nothing else: no comments, no spaces, no last semicolon in a block."""
    return re.sub(r"\s+", "", COMMENT.sub("", css)).replace(";}", "}")


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lean")
    made = lean_static.lean_copies(lean=folder)
    assert {path.name for path in made} == {path.name for path in SHEETS + SCRIPTS}
    return folder


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda path: path.name)
def test_a_lean_sheet_has_every_rule_and_no_comment(lean: Path, sheet: Path) -> None:
    source = sheet.read_text(encoding="utf-8")
    made = (lean / "css" / sheet.name).read_text(encoding="utf-8")
    assert "/*" in source  # each says why, for the people who keep it
    assert "/*" not in made and len(made) < len(source)
    assert rules(made) == rules(source)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_lean_script_is_still_javascript_and_smaller(lean: Path, script: Path) -> None:
    made = lean / "js" / script.name
    assert len(made.read_bytes()) < len(script.read_bytes())
    node = shutil.which("node")
    assert node is not None, "Node.js checks the scripts' syntax (on every machine here)"
    checked = subprocess.run(
        [node, "--check", str(made)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def test_the_lean_copies_are_served_at_the_files_own_addresses(lean: Path) -> None:
    app: Flask = create_app(settings_for("sqlite://", LEAN_STATIC_FOLDER=str(lean)))
    client = app.test_client()
    with app.test_request_context():
        address = static_url("css/app.css")
    assert address.startswith("/static/css/app.css?v=")  # the digest of the file in app/static
    served = client.get(address)
    assert served.get_data() == (lean / "css" / "app.css").read_bytes()
    served.close()
    worker = client.get("/sw.js").get_data(as_text=True)
    assert worker.endswith((lean / "js" / "sw.js").read_text(encoding="utf-8"))
    assert "//" not in worker.split("\n", 1)[1].replace("://", "")


def test_while_developing_the_files_are_served_as_they_are(lean: Path) -> None:
    app = create_app(
        settings_for("sqlite://", ENV_NAME="development", LEAN_STATIC_FOLDER=str(lean))
    )
    served = app.test_client().get("/static/css/app.css")
    assert served.get_data() == (lean_static.STATIC / "css" / "app.css").read_bytes()
    served.close()
