"""The packet on the phone, as a client opens it: a printed packet's QR code is scanned from
the PDF, the link is opened in Chromium at a phone's size against the built html/ folder
served locally, and the page shows the same exercises, in the same order, with the dosage
the desk set, the photos and the studio's number to tap; in English and in Spanish. A code
edited by hand is refused in the check's words; nothing is fetched from anywhere else; the
page works offline once opened; the day's ticks stay on the phone until forgotten."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import segno
from browserkit import chromium, needs_axe, needs_chromium, serious_problems
from conftest import publish_spanish
from pypdf import PdfReader

from pipeline.publish.adjust import adjusted, problems
from pipeline.publish.build import BuildOptions, build
from pipeline.publish.packet import PacketRequest, make_packet
from pipeline.publish.phone.code import check_characters, entry_key

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page  # noqa: E402

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 24)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TITLES = {
    "en": ["Single knee-to-chest stretch", "Bird-dog"],
    "es": ["Estiramiento de una rodilla al pecho", "Perro de caza"],
}

pytestmark = [
    needs_chromium,
    pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar (zbar-tools) is not installed"),
]


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter library with its Spanish published, built for the web."""
    root = tmp_path_factory.mktemp("phone")
    shutil.copytree(REPO / "content", root / "content")
    publish_spanish(root)
    report = build(root, BuildOptions(out=root / "build", today=TODAY, pdf=False, jobs=2))
    assert report.ok, (report.check.errors, report.failed)
    return root


@pytest.fixture(scope="module")
def site(studio: Path) -> Iterator[str]:
    """build/html/ on a local web server, as the studio's website serves it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(studio / "build/html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def printed_link(studio: Path, language: str, ids: list[str], tmp_path: Path, adjust: bool = True) -> str:
    """The link a packet prints, read back from its QR code on the PDF."""
    request = PacketRequest(
        ids=ids,
        client="Ana Ruiz",
        notes="Go gently.",
        adjustments={"knee-to-chest": {"hold_seconds": 25}} if adjust else {},
        language=language,
    )
    pdf = tmp_path / f"packet-{language}.pdf"
    result = make_packet(studio, request, pdf, today=TODAY)
    assert not result.diagnostics, result.diagnostics
    # 150 dpi: about 2.6 pixels a module for a version-9 code at 2.5 cm, less than a phone's camera sees
    image = tmp_path / f"cover-{language}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(image)],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{image}.png"], capture_output=True, text=True, check=True
    )
    link = scanned.stdout.strip()
    code = link.split("#", 1)[1]  # the address to type has the same code (tests/test_phone_short.py)
    assert f"/p#{code}" in PdfReader(pdf).pages[0].extract_text().replace("\n", "")
    return link


def local(link: str, site: str) -> str:
    """The printed address, on the local server: its page and everything after the #."""
    parts = urlsplit(link)
    assert parts.scheme == "https" and parts.path.endswith("/html/packet.html")
    return f"{site}packet.html#{parts.fragment}"


def opened(browser: Browser, url: str, requests: list[str]) -> Page:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_selector("html[data-shown]")
    return page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_printed_code_opens_the_same_packet_on_the_phone(
    studio: Path, site: str, browser: Browser, tmp_path: Path, language: str
) -> None:
    link = printed_link(studio, language, ["knee-to-chest", "bird-dog"], tmp_path)
    assert "Ana" not in link and "Go gently" not in link and "2026" not in link  # nothing about her
    requests: list[str] = []
    page = opened(browser, local(link, site), requests)
    assert page.locator("article h2").all_inner_texts() == TITLES[language]
    first = page.locator("article").first
    hold = {"en": "Hold 25 seconds", "es": "Mantenga 25 segundos"}[language]
    assert first.locator(".dosage li").first.inner_text() == hold  # the desk's, not the library's 20
    sheets = PdfReader(tmp_path / f"packet-{language}.pdf").pages
    printed = " ".join(" ".join(sheet.extract_text().split()) for sheet in sheets)
    for line in page.locator("article .dosage li").all_inner_texts():  # the phone says what the paper says
        assert line in printed, line
    photos = first.locator("figure img")
    assert photos.count() == 2
    photos.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelector('article').querySelectorAll('img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    call = first.locator(".stop a[href^='tel:']")
    assert call.get_attribute("href") == "tel:5205550142" and "(520) 555-0142" in call.inner_text()
    assert page.evaluate("document.documentElement.lang") == language
    assert all(url.startswith(site) for url in requests), [u for u in requests if not u.startswith(site)]
    page.context.close()


def test_the_language_switch_shows_the_other_language(
    studio: Path, site: str, browser: Browser, tmp_path: Path
) -> None:
    link = printed_link(studio, "es", ["knee-to-chest", "bird-dog"], tmp_path)
    page = opened(browser, local(link, site), [])
    page.click("nav.languages button[lang=en]")
    assert page.locator("article h2").all_inner_texts() == TITLES["en"]
    assert page.locator("article .dosage li").first.inner_text() == "Hold 25 seconds"
    page.context.close()


def code_with(studio: Path, items: list[tuple[str, str]], language: str = "en") -> str:
    """A code as a person editing a link by hand would make it, its check put right."""
    body = "~".join([f"1.{language}", *(f"{entry_key(exercise)}.{numbers}" for exercise, numbers in items)])
    return f"{body}~{check_characters(body)}"


def test_numbers_past_the_safety_limits_are_refused_in_the_checks_words(
    studio: Path, site: str, browser: Browser
) -> None:
    code = code_with(studio, [("knee-to-chest", "90.3.1.2.7..e"), ("bird-dog", "8.6.1.1.5.30.a")])
    page = opened(browser, f"{site}packet.html#{code}", [])
    exercise = {"id": "knee-to-chest", "kind": "static-stretch", "level": "beginner"}
    said = problems(exercise, adjusted({"reps": 3, "sides": "each"}, {"hold_seconds": 90}))
    alert = page.locator("[role=alert]")
    assert "safety limits" in alert.inner_text()
    assert alert.locator("li").all_inner_texts() == [p.message for p in said]  # as the desk says it
    assert page.locator("article").count() == 0  # nothing of the packet is shown
    page.context.close()


def test_hold_times_reps_past_its_limit_is_refused_too(studio: Path, site: str, browser: Browser) -> None:
    # 45 s is over a beginner's hold, and 45 s × 3 over the 120 s a side: both are said
    exercise = {"id": "knee-to-chest", "kind": "static-stretch", "level": "beginner"}
    said = problems(exercise, adjusted({"reps": 1, "sides": "each"}, {"hold_seconds": 45, "reps": 3}))
    assert len(said) == 2 and "hold_seconds × reps is 45 × 3 = 135 s per side" in said[1].message
    page = opened(browser, f"{site}packet.html#{code_with(studio, [('knee-to-chest', '45.3.1.2.7..e')])}", [])
    assert page.locator("[role=alert] li").all_inner_texts() == [p.message for p in said]
    page.context.close()


def test_a_damaged_code_and_a_withdrawn_exercise_are_said_plainly(
    studio: Path, site: str, browser: Browser
) -> None:
    good = code_with(studio, [("knee-to-chest", "20.3.1.2.7..e")])
    slipped = good.replace("20.3", "29.3")  # one digit changed by hand: the check no longer matches
    page = opened(browser, f"{site}packet.html#{slipped}", [])
    assert "This link is damaged" in page.locator("[role=alert]").inner_text()
    assert page.locator("article").count() == 0
    page.context.close()
    gone = code_with(
        studio, [("knee-to-chest", "20.3.1.2.7..e"), ("an-exercise-since-withdrawn", "10.5.1.1.5..n")]
    )
    page = opened(browser, f"{site}packet.html#{gone}", [])
    withdrawn = page.locator("article.withdrawn")
    assert "no longer in the studio's library: call us" in withdrawn.inner_text()
    assert withdrawn.locator("a[href^='tel:']").count() == 1
    assert page.locator("article h2").first.inner_text() == TITLES["en"][0]
    page.context.close()


def test_it_works_offline_once_opened_and_keeps_ticks_on_the_phone_only(
    studio: Path, site: str, browser: Browser
) -> None:
    code = code_with(studio, [("knee-to-chest", "20.3.1.2.7..e"), ("bird-dog", "8.6.1.1.5.30.a")])
    requests: list[str] = []
    page = opened(browser, f"{site}packet.html#{code}", requests)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now under the service worker, which keeps what the page needs
    page.wait_for_selector("html[data-shown]")
    page.locator("input.tick").first.check()
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-shown]")
    assert page.locator("article h2").all_inner_texts() == TITLES["en"]
    assert page.locator("input.tick").first.is_checked()  # kept on the phone
    page.click("button.forget")
    assert not page.locator("input.tick").first.is_checked()
    assert page.evaluate("localStorage.length") == 0
    assert "forgotten" in page.locator("[role=status]").inner_text()
    assert all(url.startswith(site) for url in requests)
    page.context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_opened_from_a_saved_file_it_says_what_to_do_in_the_packets_language(
    studio: Path, browser: Browser, tmp_path: Path, language: str
) -> None:
    # A saved copy (file://) can read none of the page's data: instead of a blank page it says
    # to open the printed link or scan the code, the packet's language first, with the link.
    code = code_with(studio, [("knee-to-chest", "20.3.1.2.7..e")], language)
    saved = (studio / "build/html/packet.html").as_uri()
    page = opened(browser, f"{saved}#{code}", [])
    said = page.locator("#saved-copy p")
    assert page.locator("#saved-copy").is_visible() and page.locator("article").count() == 0
    assert said.evaluate_all("ps => ps.map(p => p.lang)") == [language, *({"en", "es"} - {language})]
    first = said.first.inner_text()
    assert {"en": "opened from a saved file", "es": "archivo guardado"}[language] in first
    assert {"en": "scan its QR code", "es": "escanee su código QR"}[language] in first
    link = said.first.locator("a.online")
    assert link.is_visible()
    assert link.get_attribute("href") == f"https://bodyfundamentals.example/html/packet.html#{code}"
    page.context.close()
    # Saved without its script and stylesheet ("HTML only"), it still says it, and no link
    alone = tmp_path / "packet.html"
    shutil.copyfile(studio / "build/html/packet.html", alone)
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{alone.as_uri()}#{code}")
    assert page.locator("#saved-copy").is_visible()
    assert "opened from a saved file" in page.locator("#saved-copy").inner_text()
    assert page.locator("#saved-copy a.online:visible").count() == 0
    page.context.close()


def test_on_the_website_the_saved_copy_words_stay_hidden(studio: Path, site: str, browser: Browser) -> None:
    code = code_with(studio, [("knee-to-chest", "20.3.1.2.7..e")])
    page = opened(browser, f"{site}packet.html#{code}", [])
    assert page.locator("article").count() == 1 and page.locator("#saved-copy").count() == 0
    page.context.close()
    page = opened(browser, f"{site}packet.html", [])  # no code: the damaged-link notice, not this
    assert not page.locator("#saved-copy").is_visible()
    page.context.close()


@needs_axe
@pytest.mark.parametrize("zoom", [1, 2])
def test_axe_finds_no_serious_or_critical_problem(
    studio: Path, site: str, browser: Browser, zoom: int
) -> None:
    code = code_with(studio, [("knee-to-chest", "20.3.1.2.7..e"), ("bird-dog", "8.6.1.1.5.30.a")])
    # The page's CSP (rightly) refuses an injected script; this context lets axe in. Zoom 2:
    # a 390 px phone at 200 % is a 195 px wide page.
    context = browser.new_context(
        **{**PHONE, "viewport": {"width": 390 // zoom, "height": 844 // zoom}}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{site}packet.html#{code}")
    page.wait_for_selector("html[data-shown]")
    serious = serious_problems(page)
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing cut off
    context.close()


def test_a_six_exercise_packet_fits_a_small_code(studio: Path, tmp_path: Path) -> None:
    link = printed_link(
        studio, "en", ["home-hamstring-care", "knee-to-chest", "bird-dog"], tmp_path, adjust=False
    )
    assert len(f"/p#{urlsplit(link).fragment}") <= 45  # typed after the host: a routine's dosages too
    assert segno.make(link, error="m", micro=False).version <= 10
