"""Every child page, and every way a child can see it."""

from __future__ import annotations

from tests.helpers import COUNCIL

PAGES = [
    "/",
    "/choose",
    "/display",
    "/promises",
    *[f"/promises/story/{character.key}" for character in COUNCIL.characters],
    *[f"/promises/story/{character.key}/1" for character in COUNCIL.characters[:1]],  # a page
    "/talk-to-someone",
    "/my-card",
    "/help",
    "/your-information",
    "/accessibility",
    "/about",
    "/print",
    "/print/card",
    "/print/agreement",
    "/print/posters",
    "/tell-us",
    "/tell-us/what",
    "/tell-us/not-safe",
    "/offline",
    "/offline/write",
    "/messages",
    "/messages/find",
    "/you-said-we-did",
    "/no-such-page",
]
VARIANTS = [
    (band, symbols) for band in ("under_5", "5_to_9", "10_plus") for symbols in (False, True)
]
VARIANT_IDS = [f"{band}-{'symbols' if symbols else 'words'}" for band, symbols in VARIANTS]
