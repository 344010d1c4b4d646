"""What the browser tests share: the system's Chromium driven by Playwright (its own browser
download is impossible on these machines; .ci/run installs Debian's `chromium`), and
axe-core's verdict on a page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")
AXE = REPO / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt install chromium)"
)
needs_axe = pytest.mark.skipif(
    not AXE.is_file(), reason="axe-core is not installed (npm ci --prefix tools/axe)"
)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium for a module's tests (a Playwright `Browser`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def serious_problems(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on `page` (its context must bypass the CSP)."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]
