"""The front desk in a real browser, as the person at the desk uses it.

Chromium is driven by Playwright with the system's Chromium as its executable
(`executable_path`): Playwright's own browser download is impossible on these machines (no
internet but the package registries), and .ci/run installs Debian's `chromium`. Without it
the tests are skipped and pytest says so. The desk runs as `pipeline desk` in a subprocess,
exactly as the front desk starts it.

Set UPDATE_SCREENSHOTS=1 to save the page as docs/desk.png (the README's screenshot).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import chromium, needs_axe, needs_chromium, serious_problems
from deskkit import BS3, CLIENT, STRAP, check_the_handout, running_desk
from pypdf import PdfReader

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Page, Route  # noqa: E402

REPO = Path(__file__).parent.parent
HOLD = f"dose.{STRAP}.hold_seconds"
REFUSAL = "Hold for 45 seconds is too long for this stretch at beginner level: enter 30 or less."

pytestmark = needs_chromium


class DeskLog(list[str]):
    """What the desk printed (its access log), read as it comes so the pipe never fills."""


@pytest.fixture(scope="module")
def desk_log() -> DeskLog:
    return DeskLog()


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory: pytest.TempPathFactory, desk_log: DeskLog) -> Iterator[str]:
    root = tmp_path_factory.mktemp("desk-browser")
    shutil.copytree(REPO / "content", root / "content")
    with running_desk(root, desk_log) as url:  # stopped with Ctrl-C, as at the desk
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class Handouts:
    """The PDFs the desk sends. Chromium shows a PDF in its viewer, whose page is not the
    PDF, so the response is read on its way to the browser (and passed on unchanged)."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.received: list[tuple[int, str, bytes]] = []
        context.route("**/handout", self._pass_on)

    def _pass_on(self, route: Route) -> None:
        response = route.fetch()
        self.received.append((response.status, response.headers.get("content-type", ""), response.body()))
        route.fulfill(response=response)

    def pdfs(self) -> list[bytes]:
        return [body for status, kind, body in self.received if (status, kind) == (200, "application/pdf")]

    def text(self) -> str:
        """The last PDF's text; waits for it (the tab opens before the PDF arrives in it)."""
        for _ in range(600):
            if self.pdfs():
                break
            self.context.pages[0].wait_for_timeout(100)  # lets Playwright pass the response on
        body = self.pdfs()[-1]
        return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))


def entries(page: Page) -> list[str]:
    return page.eval_on_selector_all("input[name=entry]", "els => els.map(e => e.value)")


# -- with the keyboard alone, JavaScript on ------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until `selector` has the focus: it is reachable from the keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_a_packet_made_and_printed_with_the_keyboard_alone(
    browser: Browser, desk_url: str, desk_log: DeskLog
) -> None:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    handouts = Handouts(context)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(desk_url)

    tab_to(page, "#q")
    page.keyboard.type("hamstring")
    page.wait_for_selector("li:has(#t-bird-dog)", state="hidden")  # filtered as typed
    assert page.is_visible(f"li:has(#t-{BS3})") and page.is_visible(f"li:has(#t-{STRAP})")

    for entry_id in (BS3, STRAP):
        tab_to(page, f"li:has(#t-{entry_id}) button[name=add]")
        page.keyboard.press("Enter")
        page.wait_for_selector(f'input[name=entry][value="{entry_id}"]', state="attached")
    tab_to(page, 'button[aria-label="Move Lying hamstring stretch with a strap up"]')
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('input[name=entry]').value === '{STRAP}'")
    assert entries(page) == [STRAP, BS3]

    tab_to(page, "#client")
    page.keyboard.type(CLIENT)
    tab_to(page, f'details:has(input[name="{HOLD}"]) > summary')
    page.keyboard.press("Enter")  # unfold the strap stretch's dosage
    tab_to(page, f'input[name="{HOLD}"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    tab_to(page, f'button[name=check][value="{STRAP}"]')
    page.keyboard.press("Enter")
    refusal = page.wait_for_selector(f'[id="p-{HOLD}"]')
    assert refusal is not None and refusal.inner_text() == REFUSAL
    assert page.evaluate("document.activeElement.name") == HOLD  # the focus is on what to fix
    assert page.input_value("#client") == CLIENT  # nothing typed was lost
    if os.environ.get("UPDATE_SCREENSHOTS"):
        save_screenshot(page)

    page.keyboard.press("Control+A")
    page.keyboard.type("25")
    tab_to(page, f'button[name=check][value="{STRAP}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector(f'[id="p-{HOLD}"]', state="detached")
    tab_to(page, "button.primary")
    with page.expect_popup() as opened:
        page.keyboard.press("Enter")
    opened.value.wait_for_load_state()
    check_the_handout(handouts.text())
    assert not violations
    assert "POST /handout 200" in "".join(desk_log)
    assert CLIENT not in "".join(desk_log) and "hamstring" not in "".join(desk_log)  # no bodies, no queries
    context.close()


def save_screenshot(page: Page) -> None:
    """The page from its top, the packet's panel scrolled to the refusal."""
    page.evaluate(
        """() => { const body = document.getElementById('packet-body');
                   body.scrollTop = document.querySelector('[aria-invalid=true]').offsetTop - 300; }"""
    )
    page.screenshot(path=str(REPO / "docs" / "desk.png"))


# -- with JavaScript off -----------------------------------------------------------------


def test_the_same_packet_with_javascript_off(browser: Browser, desk_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    handouts = Handouts(context)
    page = context.new_page()
    page.goto(desk_url)

    page.fill("#q", "hamstring")
    page.click("button[name=search]")
    assert page.query_selector("li:has(#t-bird-dog)") is None
    page.click(f"li:has(#t-{BS3}) button[name=add]")
    page.click(f"li:has(#t-{STRAP}) button[name=add]")
    page.click('button[aria-label="Move Lying hamstring stretch with a strap up"]')
    assert entries(page) == [STRAP, BS3]

    page.fill("#client", CLIENT)
    page.click(f'details:has(input[name="{HOLD}"]) > summary')
    page.fill(f'input[name="{HOLD}"]', "45")
    page.click(f'button[name=check][value="{STRAP}"]')
    assert page.inner_text(f'[id="p-{HOLD}"]') == REFUSAL
    assert page.input_value("#client") == CLIENT
    page.fill(f'input[name="{HOLD}"]', "25")
    page.click(f'button[name=check][value="{STRAP}"]')
    assert page.query_selector(f'[id="p-{HOLD}"]') is None
    with page.expect_response("**/handout"):
        page.click("button.primary")  # the same tab: nothing can open a tab for an error
    check_the_handout(handouts.text())
    assert len(context.pages) == 1
    context.close()


# -- accessibility -------------------------------------------------------------------------


@needs_axe
def test_axe_finds_no_serious_or_critical_problem(browser: Browser, desk_url: str) -> None:
    # The page's CSP (rightly) refuses an injected script; this context lets axe in.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.goto(desk_url)
    page.click(f"li:has(#t-{STRAP}) button[name=add]")
    page.wait_for_selector(f'input[name=entry][value="{STRAP}"]', state="attached")
    page.click(f'details:has(input[name="{HOLD}"]) > summary')
    page.fill(f'input[name="{HOLD}"]', "45")
    page.click(f'button[name=check][value="{STRAP}"]')
    page.wait_for_selector(f'[id="p-{HOLD}"]')  # the page with a packet and a refusal on it
    serious = serious_problems(page)
    assert not serious, serious
    context.close()


def test_print_sends_the_handout_to_the_print_frame_and_keeps_the_page(
    browser: Browser, desk_url: str
) -> None:
    context = browser.new_context()
    # Headless Chromium has no print dialog to open: count the calls instead.
    context.add_init_script("window.print = () => { window.top.printed = (window.top.printed || 0) + 1; };")
    handouts = Handouts(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(desk_url)
    page.click("li:has(#t-knee-to-chest) button[name=add]")
    page.wait_for_selector('input[name=entry][value="knee-to-chest"]', state="attached")
    page.fill("#client", CLIENT)
    page.click("button[data-print]")
    page.wait_for_function("() => window.printed === 1")
    assert "Single knee-to-chest stretch" in handouts.text()
    assert page.url == desk_url and page.input_value("#client") == CLIENT and not errors
    context.close()
