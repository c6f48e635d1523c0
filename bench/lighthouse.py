"""Lighthouse (npm `lighthouse` 12.8, pinned in bench/package.json) on the child pages.

Against the production server (bench/production.py), mobile preset (Lighthouse's default:
a mid-range phone, simulated slow 4G), Debian's Chromium with --no-sandbox (TOOLCHAIN.md):
the four category scores, Performance, Accessibility, Best Practices and SEO, and the LCP.
Each request carries `X-Forwarded-Proto: https` as the TLS proxy would, and the cookie of
the age band and symbol choice being measured.

A run takes 15-30 s a page here, so by default it covers home, the promises page in every
band with and without symbols, Tell Us's start and first step, and help (10 runs);
BENCH_LIGHTHOUSE_PAGES=all adds every other child page (as a 10+ child, words only).
`python -m bench.lighthouse` (make bench-lighthouse, which installs Lighthouse into
bench/node_modules) merges the figures into bench/results.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench import results
from bench.loadgen import Phone
from bench.page_weight import slug
from bench.production import ROOT, Site, production_site
from bench.server import chosen
from tests.e2e.pages import PAGES

PART = "lighthouse"
LIGHTHOUSE = Path(__file__).with_name("node_modules") / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
# Lighthouse 12 dropped the PWA category; 11.7.1 (its last) still audits what issue 12 asks of
# the home page: an installable manifest with a service worker, a themed address bar, a
# maskable icon (and splash screen, content width, viewport). The offline start URL, which
# Lighthouse stopped auditing, is checked in tests/e2e/test_offline_installable.py.
LIGHTHOUSE_PWA = Path(__file__).with_name("node_modules") / "lighthouse-pwa" / "cli" / "index.js"
BANDS = ("under_5", "5_to_9", "10_plus")
CORE = ("/", "/tell-us", "/tell-us/what", "/help")


def runs(site: Site) -> list[tuple[str, str, Phone | None]]:
    """(figure suffix, path, phone whose cookie to send)."""
    phones = {(band, s): chosen(site, band, s) for band in BANDS for s in (False, True)}
    child = phones[("10_plus", False)]
    todo: list[tuple[str, str, Phone | None]] = [("home", "/", None)]
    for (band, symbols), phone in phones.items():
        todo.append((f"promises_{band}{'_symbols' if symbols else ''}", "/promises", phone))
    # Not the 404 page: Lighthouse refuses to audit a page answered 404 (a runtime error).
    pages = [p for p in PAGES if p not in {"/", "/promises"} and not p.startswith("/no-such")]
    if os.environ.get("BENCH_LIGHTHOUSE_PAGES") != "all":
        pages = [p for p in pages if p in CORE]
    todo += [(slug(path), path, child) for path in pages]
    return todo


def run_lighthouse(
    command: list[str], url: str, headers: dict[str, str], out: Path, categories: str
) -> dict[str, Any]:
    """One Lighthouse run (`command`, either version) against `url`; its JSON report."""
    subprocess.run(  # noqa: S603
        [
            *command,
            url,
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={categories}",
            f"--extra-headers={json.dumps(headers)}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        cwd=ROOT,
        check=True,
        timeout=240,
    )
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def lighthouse(url: str, headers: dict[str, str], out: Path) -> dict[str, Any]:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: make bench-lighthouse installs it")
    report = run_lighthouse([str(LIGHTHOUSE)], url, headers, out, ",".join(CATEGORIES))
    scores = {
        name: round(report["categories"][name]["score"] * 100)
        if report["categories"][name]["score"] is not None
        else None
        for name in CATEGORIES
    }
    failing = sorted(
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
        and any(
            ref["id"] == audit_id and ref.get("weight", 0) > 0
            for category in report["categories"].values()
            for ref in category["auditRefs"]
        )
    )
    lcp = report["audits"].get("largest-contentful-paint", {}).get("numericValue")
    return {
        "shifted": shifted(report),
        "scores": scores,
        "lcp_s": round(lcp / 1000, 2) if lcp is not None else None,
        "failing_audits": failing,
        "version": report.get("lighthouseVersion"),
        "warnings": report.get("runWarnings", []),
    }


def shifted(report: dict[str, Any]) -> list[str]:
    """What moved, when the cumulative layout shift is not 0: the elements Lighthouse names
    in its `layout-shifts` audit (each with its score), so the next person sees the culprit."""
    cls = report["audits"].get("cumulative-layout-shift", {}).get("numericValue")
    if not cls:
        return []
    items = report["audits"].get("layout-shifts", {}).get("details", {}).get("items", [])
    culprits = []
    for item in items:
        node = item.get("node", {})
        what = node.get("selector") or node.get("snippet") or "?"
        causes = [
            cause.get("extra", {}).get("value") or cause.get("node", {}).get("snippet", "")
            for cause in item.get("subItems", {}).get("items", [])
        ]
        because = f" (because: {'; '.join(c for c in causes if c)})" if any(causes) else ""
        culprits.append(f"{what} shifted {item.get('score', 0):.3f}{because}")
    return [f"CLS {cls:.3f}", *culprits]


def pwa_audits(url: str, headers: dict[str, str], out: Path) -> dict[str, Any]:
    """The PWA category's audits on one page, by Lighthouse 11 (see LIGHTHOUSE_PWA)."""
    node = shutil.which("node")
    if not LIGHTHOUSE_PWA.exists() or node is None:
        raise SystemExit("Lighthouse 11 is not installed: make bench-lighthouse installs it")
    report = run_lighthouse([node, str(LIGHTHOUSE_PWA)], url, headers, out, "pwa")
    audits = {
        ref["id"]: report["audits"][ref["id"]]["score"]
        for ref in report["categories"]["pwa"]["auditRefs"]
        if report["audits"][ref["id"]]["scoreDisplayMode"] != "manual"
    }
    return {"version": report.get("lighthouseVersion"), "audits": audits}


def main() -> None:
    figures = []
    worst = (101, "")
    with (
        tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as work,
        production_site(Path(work), bare=False) as site,
    ):
        for name, path, phone in runs(site):
            headers = {"X-Forwarded-Proto": "https"}
            if phone is not None:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
            try:
                got = lighthouse(f"{site.app.url}{path}", headers, Path(work) / f"{name}.json")
            except subprocess.CalledProcessError:
                # Lighthouse's own runtime errors (NO_NAVSTART) come and go with the load:
                # once more, so one does not end a run of thirty pages.
                got = lighthouse(f"{site.app.url}{path}", headers, Path(work) / f"{name}.json")
            scores = got["scores"]
            lowest = min((s for s in scores.values() if s is not None), default=0)
            if lowest < worst[0]:
                worst = (lowest, name)
            failing = ", ".join(got["failing_audits"])
            print(f"{name:<28} {scores} LCP {got['lcp_s']} s {failing}", flush=True)
            for culprit in got["shifted"]:
                print(f"{'':<28} {culprit}", flush=True)
            figures.append(
                results.figure(
                    f"lighthouse_{name}",
                    lowest,
                    "lowest of the four scores",
                    100,
                    comparison=">=",
                    what=f"Lighthouse {got['version']} mobile, {path}",
                    scores=scores,
                    lcp_s=got["lcp_s"],
                    failing_audits=got["failing_audits"],
                    layout_shifts=got["shifted"],
                    # e.g. "The tested device appears to have a slower CPU than Lighthouse
                    # expects": the shared machine's load lowers Performance (TBT).
                    warnings=got["warnings"],
                )
            )
        pwa = pwa_audits(
            f"{site.app.url}/", {"X-Forwarded-Proto": "https"}, Path(work) / "pwa.json"
        )
        passed = sorted(audit for audit, score in pwa["audits"].items() if score == 1)
        print(f"PWA audits on /: {pwa['audits']}", flush=True)
    pwa_figure = results.figure(
        "lighthouse_pwa_home",
        len(passed),
        "PWA audits passed",
        len(pwa["audits"]),
        comparison=">=",
        what=f"Lighthouse {pwa['version']}'s PWA audits on the home page",
        audits=pwa["audits"],
    )
    figures.append(
        results.figure(
            "lighthouse",
            worst[0],
            "lowest score of any page measured",
            100,
            comparison=">=",
            what=f"the lowest category score over {len(figures)} pages (lowest: {worst[1]})",
            pages=len(figures),
            note=""
            if os.environ.get("BENCH_LIGHTHOUSE_PAGES") == "all"
            else (
                "home, promises (3 bands x words/symbols), Tell Us start and first step, help; "
                "BENCH_LIGHTHOUSE_PAGES=all runs every child page"
            ),
        )
    )
    results.save([*figures, pwa_figure], PART)


if __name__ == "__main__":
    main()
