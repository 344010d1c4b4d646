"""A desk that fits a desk (issue 25, items 1 and 3), in Chromium at a front-desk laptop's
sizes: with five entries in the packet, the client's name, the dosage section and the
buttons are in view without scrolling anything, the panel says when it has more below, a
card's Add has become Added; a refused handout opens no tab and puts the focus on what to fix.

Each test saves its screenshots under its tmp_path (pytest keeps the last three runs:
/tmp/pytest-of-<user>/pytest-current/<test>/desk-*.png); look at them after a change.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import AXE, chromium, needs_axe, needs_chromium, serious_problems
from deskkit import CLIENT, running_desk

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page  # noqa: E402

REPO = Path(__file__).parent.parent
FIVE = [
    "backsystem3-low-back-relief",
    "knee-to-chest",
    "bird-dog",
    "glute-bridge",
    "kneeling-hip-flexor-stretch",
]
SIZES = [(1366, 768), (1280, 720)]
IN_VIEW = """sel => {
  const el = document.querySelector(sel), r = el.getBoundingClientRect();
  const body = document.getElementById('packet-body').getBoundingClientRect();
  const inBody = !el.closest('#packet-body') || (r.top >= body.top && r.bottom <= body.bottom);
  return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && inBody;
}"""

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("desk-fit")
    shutil.copytree(REPO / "content", root / "content")
    with running_desk(root) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def five_in_the_packet(page: Page, url: str) -> None:
    page.goto(url)
    for entry_id in FIVE:
        page.click(f"li:has(#t-{entry_id}) button[name=add]")
        page.wait_for_selector(f'input[name=entry][value="{entry_id}"]', state="attached")


@needs_axe
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_with_five_entries_the_name_the_dosage_and_the_buttons_are_in_view(
    browser: Browser, desk_url: str, tmp_path: Path, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    five_in_the_packet(page, desk_url)
    page.screenshot(path=str(tmp_path / f"desk-{width}x{height}.png"))
    for what in ("#client", "#doses > legend", "button.primary", "button[data-print]"):
        assert page.evaluate(IN_VIEW, what), f"{what} is not in view at {width}×{height}"
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")  # the page itself fits
    more = page.evaluate(
        "() => { const b = document.getElementById('packet-body'); return b.scrollHeight > b.clientHeight; }"
    )
    assert not more or page.is_visible("#more"), "the panel scrolls without saying so"
    for entry_id in FIVE:  # each card says it is in the packet, and offers a way out
        card = f"li:has(#t-{entry_id})"
        assert page.inner_text(f"{card} .added") == "✓ Added"
        assert page.get_attribute(f"{card} button[name=drop]", "aria-labelledby") == f"drop t-{entry_id}"
    page.click("li:has(#t-bird-dog) button[name=drop]")
    page.wait_for_selector('input[name=entry][value="bird-dog"]', state="detached")
    assert page.inner_text("li:has(#t-bird-dog) button[name=add]") == "Add"
    assert page.evaluate("document.activeElement.value") == "bird-dog"  # the keyboard stays on the card
    serious = serious_problems(page)
    assert not serious, serious
    context.close()


def test_a_refused_handout_opens_no_tab_and_the_focus_is_on_what_to_fix(
    browser: Browser, desk_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    five_in_the_packet(page, desk_url)
    page.check('input[name=language][value="es"]')  # no Spanish is reviewed in the starter content
    assert page.inner_text("li:has(#t-bird-dog) .no-lang") == "Not in Spanish yet"  # marked at once
    page.click("button.primary")  # and no name typed
    page.wait_for_selector("#packet-notice")
    assert len(context.pages) == 1
    assert page.evaluate("document.activeElement.id") == "client"  # the first field to fix
    assert page.get_attribute("#client", "aria-invalid") == "true"
    notice = page.inner_text("#packet-notice")
    assert "This packet cannot be printed in Spanish yet: 5 entries have no reviewed Spanish." in notice
    assert "Bird-dog: its Spanish is awaiting review" in notice and "Type the client's name" in notice
    page.screenshot(path=str(tmp_path / "desk-refused-1366x768.png"))

    page.fill("#client", CLIENT)
    page.click("button[data-print]")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'packet-notice'")
    assert len(context.pages) == 1 and page.get_attribute("#packet-notice", "role") == "alert"
    assert page.input_value("#client") == CLIENT
    if AXE.is_file():
        serious = serious_problems(page)
        assert not serious, serious

    page.click("button[name=to_language]")  # "Print in English instead"
    page.wait_for_selector("#packet-notice", state="detached")
    assert page.is_checked('input[name=language][value="en"]')
    assert page.query_selector(".no-lang") is None  # the marks are gone with the Spanish
    made = context.expect_event("response", lambda r: r.url.endswith("/handout") and r.status == 200)
    with page.expect_popup() as opened, made as handout:
        page.click("button.primary")  # asked first (204), then the PDF in the new tab
    assert handout.value.headers["content-type"] == "application/pdf"
    assert handout.value.frame.page == opened.value
    context.close()


def test_without_javascript_a_refusal_comes_back_in_the_same_tab_focused(
    browser: Browser, desk_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, java_script_enabled=False)
    page = context.new_page()
    page.goto(desk_url)
    for entry_id in FIVE:
        page.click(f"li:has(#t-{entry_id}) button[name=add]")
    field = "dose.knee-to-chest.hold_seconds"
    page.click(f'details:has(input[name="{field}"]) > summary')
    page.fill(f'input[name="{field}"]', "45")
    page.fill("#client", CLIENT)
    page.click("button.primary")
    assert len(context.pages) == 1
    assert page.title().startswith("Fix the packet")
    # Focused with no script needed: the one field to fix carries `autofocus`. (Whether a
    # headless Chromium applies it depends on its window having the focus, which another
    # test's page may hold: the page's own promise is tested, not the window manager.)
    assert page.eval_on_selector_all("[autofocus]", "found => found.map(e => e.name)") == [field]
    said = page.inner_text(f'[id="p-{field}"]')
    assert said == "Hold for 45 seconds is too long for this stretch at beginner level: enter 30 or less."
    assert page.inner_text(f'[id="w-{field}"]') == (
        "The studio's limit for a beginner static stretch (ACSM: hold 10–30 s)."
    )
    assert page.evaluate(IN_VIEW, "button.primary")
    page.screenshot(path=str(tmp_path / "desk-no-script-1280x720.png"))
    context.close()
