"""Check the locked dependencies for known vulnerabilities with pip-audit.

    python scripts/audit.py requirements.lock [more.lock ...]

pip-audit asks PyPI's vulnerability API by default. A build machine that cannot reach it (this
project's own CI runs with no internet) can audit against a local checkout of the PyPA advisory
database instead (https://github.com/pypa/advisory-database, the data behind PyPI's own answers):
set ADVISORY_DB to the checkout and this script serves it to pip-audit as the OSV query API on
127.0.0.1, so pip-audit does the matching exactly as it would online.

Exit status: 0 when nothing known is found; 1 when a vulnerability is found or pip-audit fails;
when no vulnerability data can be reached at all, 3 if AUDIT_REQUIRED=1, otherwise 0 after a
loud notice, because an audit that could not run must be said, never passed off as clean.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

UNREACHABLE = ("Dependency not found on PyPI", "ConnectionError", "Max retries exceeded")


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def load_advisories(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Every advisory in the checkout, by canonical package name."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted((root / "vulns").glob("*/*.yaml")):
        advisory = _json_safe(yaml.safe_load(path.read_text(encoding="utf-8")))
        for affected in advisory.get("affected", []):
            found[canonicalize_name(affected["package"]["name"])].append(advisory)
    return found


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV ECOSYSTEM range events, in order: introduced, then fixed or last_affected."""
    hit = False
    for event in events:
        ((kind, bound),) = event.items()
        at = Version("0") if bound == "0" else Version(bound)
        if kind == "introduced" and version >= at:
            hit = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            hit = False
    return hit


def affects(advisory: dict[str, Any], name: str, version: str) -> bool:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    for affected in advisory.get("affected", []):
        if canonicalize_name(affected["package"]["name"]) != name:
            continue
        if version in affected.get("versions", []):
            return True
        for ranges in affected.get("ranges", []):
            if ranges.get("type") == "ECOSYSTEM" and _in_range(parsed, ranges["events"]):
                return True
    return False


@contextmanager
def osv_api(root: Path) -> Iterator[str]:
    """The OSV query API (POST /v1/query) over a local advisory database, on a free port."""
    advisories = load_advisories(root)

    class Query(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            asked = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = canonicalize_name(asked["package"]["name"])
            vulns = [a for a in advisories.get(name, []) if affects(a, name, asked["version"])]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Query)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()


def pip_audit(locks: list[str], service: list[str]) -> subprocess.CompletedProcess[str]:
    files = [arg for lock in locks for arg in ("-r", lock)]
    command = [sys.executable, "-m", "pip_audit", "--disable-pip", "--require-hashes", "--strict"]
    return subprocess.run([*command, *service, *files], capture_output=True, text=True)


def main(locks: list[str]) -> int:
    database = os.environ.get("ADVISORY_DB")
    if database:
        root = Path(database)
        with osv_api(root) as url:
            result = pip_audit(locks, ["--vulnerability-service", "osv", "--osv-url", url])
        source = f"the PyPA advisory database at {root}"
    else:
        result = pip_audit(locks, [])
        source = "PyPI's vulnerability API"
    print(result.stdout, end="")
    if result.returncode != 0 and any(sign in result.stderr for sign in UNREACHABLE):
        print(
            f"\n!!! NOTICE: the dependencies were NOT audited: {source} could not be reached.\n"
            "!!! Set ADVISORY_DB to a checkout of https://github.com/pypa/advisory-database "
            "to audit offline.\n",
            file=sys.stderr,
        )
        return 3 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    print(result.stderr, end="", file=sys.stderr)
    if result.returncode == 0:
        print(f"audited against {source}: no known vulnerability")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
