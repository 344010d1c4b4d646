"""The address a packet prints for a person to type (issue 25 item 5): measured from the PDF
in every layout and both languages (its length after the studio's host, its type size, only
characters that cannot be mistaken), the same code as the QR code holds (zbar), and typed as
printed, in lower case, without hyphens, with O for 0, it opens the same packet in Chromium
from the website `build --site` writes, served on loopback. A slip is refused; an exercise
withdrawn since shows as withdrawn; a link of format 1 printed before still opens."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browserkit import chromium, needs_chromium
from conftest import publish_spanish
from pdfkit import text_runs
from ruamel.yaml import YAML

from pipeline.publish.build import BuildOptions, build
from pipeline.publish.packet import PacketRequest, make_packet
from pipeline.publish.phone.code import CODE_FIELDS, packet_code
from pipeline.publish.phone.short import ALPHABET, short_code, short_key
from pipeline.publish.views import dosage_view
from pipeline.publish.website import write_site

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page  # noqa: E402

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 24)
HOST = "bodyfundamentals.example"  # content/studio.yaml's website
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
THREE = ["knee-to-chest", "bird-dog", "cat-cow"]
SIX = [*THREE, "glute-bridge", "supine-hamstring-stretch-strap", "kneeling-hip-flexor-stretch"]
CODE = re.compile(rf"/p#[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}})*(-[{ALPHABET}]{{1,3}})?")
SMALLEST = {"standard": 12.0, "compact": 12.0, "large": 18.0}  # points

pytestmark = [
    needs_chromium,
    pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar (zbar-tools) is not installed"),
]


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter library with its Spanish published, built, and its website written."""
    root = tmp_path_factory.mktemp("short")
    shutil.copytree(REPO / "content", root / "content")
    publish_spanish(root)
    report = build(root, BuildOptions(out=root / "build", today=TODAY, pdf=False, jobs=2))
    assert report.ok, (report.check.errors, report.failed)
    assert write_site(root / "build", root / "site").ok
    return root


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host, as GitHub Pages is: /p answered by a redirect to the folder /p/."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class WithoutRedirect(Quiet):
    """A host that answers /p with p/index.html itself (as `pipeline serve` does)."""

    def send_head(self) -> Any:
        if self.path == "/p":
            self.path = "/p/index.html"
        return super().send_head()


@contextmanager
def serving(folder: Path, host: type[Quiet] = Quiet) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(host, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(studio: Path) -> Iterator[str]:
    """The website on a local web server, at its root as the studio's host serves it."""
    with serving(studio / "site") as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def packet(studio: Path, tmp_path: Path, ids: list[str], language: str, layout: str = "standard") -> Path:
    request = PacketRequest(
        ids=ids,
        client="Ana Ruiz",
        notes="Go gently.",
        adjustments={"knee-to-chest": {"hold_seconds": 25}},
        language=language,
        layout=layout,  # type: ignore[arg-type]
    )
    pdf = tmp_path / f"packet-{language}-{layout}.pdf"
    result = make_packet(studio, request, pdf, today=TODAY)
    assert not result.diagnostics, result.diagnostics
    return pdf


def scanned(pdf: Path) -> str:
    """What the cover's QR code holds, as a phone's camera reads it."""
    image = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(image)],
        check=True,
    )
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{image}.png"], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def printed_address(pdf: Path) -> tuple[str, list[float]]:
    """The address as the cover prints it after its words, across its lines, and the size of
    each line of it (from the PDF's text: the bold runs that follow the words)."""
    runs = [run for run in text_runs(pdf) if run.page == 1 and run.text.strip()]
    words = next(i for i, run in enumerate(runs) if run.text.strip().endswith(("phone:", "teléfono:")))
    address = []
    for run in runs[words + 1 :]:
        if (
            not run.bold
            or not re.fullmatch(r"[\w./#-]+", run.text.strip())
            or not (HOST in run.text or address)
        ):
            break  # the title that follows the box, in bold too, has spaces
        address.append(run)
    return "".join(run.text.strip() for run in address), [run.size for run in address]


@pytest.mark.parametrize("layout", ["standard", "compact", "large"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("ids", [THREE, SIX], ids=["three", "six"])
def test_the_printed_address_is_short_plain_and_large_and_the_qr_code_holds_it(
    studio: Path, tmp_path: Path, layout: str, language: str, ids: list[str]
) -> None:
    pdf = packet(studio, tmp_path, ids, language, layout)
    address, sizes = printed_address(pdf)
    assert address.startswith(HOST), address
    after_host = address[len(HOST) :]
    assert len(after_host) <= 45, address
    assert CODE.fullmatch(after_host), address  # no ~, no .., no I L O U, no lower case
    assert sizes and min(sizes) >= SMALLEST[layout], sizes
    # The QR code opens the phone page itself with the same code (publish/phone/link.py)
    assert scanned(pdf) == f"https://{HOST}/html/packet.html#{address.split('#')[1]}"


def typed(address: str, site: str) -> str:
    """The address as a person might type it on the local server: in lower case, without the
    hyphens, with the letter O for a zero."""
    after_host = address.split(HOST, 1)[1]
    return site.rstrip("/") + after_host.lower().replace("-", "").replace("0", "o")


def shown(browser: Browser, url: str) -> tuple[Page, list[str], list[str]]:
    page = browser.new_context(**PHONE).new_page()
    page.goto(url)
    page.wait_for_selector("html[data-shown]")
    return page, page.locator("article h2").all_inner_texts(), page.locator(".dosage li").all_inner_texts()


@pytest.mark.parametrize("language", ["en", "es"])
def test_typed_as_printed_it_opens_the_packet_the_qr_code_opens(
    studio: Path, site: str, browser: Browser, tmp_path: Path, language: str
) -> None:
    pdf = packet(studio, tmp_path, THREE, language)
    address, _ = printed_address(pdf)
    scan = scanned(pdf).replace(f"https://{HOST}/", site)
    page, titles, dosages = shown(browser, scan)
    assert len(titles) == 3 and dosages
    assert ("Hold 25 seconds" if language == "en" else "Mantenga 25 segundos") in dosages[0]  # the desk's 25
    page.context.close()
    for url in (site + address.split(HOST + "/", 1)[1], typed(address, site)):
        page, typed_titles, typed_dosages = shown(browser, url)
        assert (typed_titles, typed_dosages) == (titles, dosages), url
        assert page.url.split("#")[0] == f"{site}html/packet.html"  # /p opened the phone page
        assert page.evaluate("document.documentElement.lang") == language
        page.context.close()


def test_the_short_path_opens_the_packet_where_a_host_answers_it_without_a_redirect(
    studio: Path, browser: Browser
) -> None:
    knee = published("knee-to-chest")
    code = short_code("en", [("knee-to-chest", knee, knee)]).lower()
    with serving(studio / "site", WithoutRedirect) as site:
        page, titles, _ = shown(browser, f"{site}p#{code}")
        assert titles == ["Single knee-to-chest stretch"]
        assert page.url == f"{site}html/packet.html#{code}"
        page.context.close()


def published(exercise_id: str) -> dict[str, Any]:
    dosage = YAML(typ="safe").load(REPO / f"content/exercises/{exercise_id}.yaml")["dosage"]
    view = dosage_view(dosage)
    return {**view["numbers"], "sides": view["sides"]}


def test_a_slip_is_refused_not_opened_wrong(studio: Path, site: str, browser: Browser) -> None:
    knee = published("knee-to-chest")
    code = short_code(
        "en",
        [("knee-to-chest", knee, {**knee, "hold_seconds": 25}), ("bird-dog", *[published("bird-dog")] * 2)],
    )
    plain = code.replace("-", "")
    page, titles, _ = shown(browser, f"{site}p#{code}")
    assert len(titles) == 2
    slips = []
    for index, character in enumerate(plain):
        slips += [plain[:index] + other + plain[index + 1 :] for other in ALPHABET if other != character]
        if index + 1 < len(plain) and plain[index + 1] != character:  # two neighbours swapped
            slips.append(plain[:index] + plain[index + 1] + character + plain[index + 2 :])
    opened = page.evaluate("(codes) => codes.filter((code) => readCode(code) !== null)", slips)
    assert opened == []  # every one of them, as the page reads it
    page.context.close()
    slipped = plain[:5] + ALPHABET[(ALPHABET.index(plain[5]) + 1) % 32] + plain[6:]
    page, titles, _ = shown(browser, f"{site}p#{slipped}")
    assert "This link is damaged" in page.locator("[role=alert]").inner_text() and titles == []
    page.context.close()


def test_an_exercise_withdrawn_since_shows_as_withdrawn(studio: Path, site: str, browser: Browser) -> None:
    knee, gone = published("knee-to-chest"), published("bird-dog")
    code = short_code("en", [("knee-to-chest", knee, knee), ("an-exercise-since-withdrawn", gone, gone)])
    page, titles, _ = shown(browser, f"{site}p#{code}")
    assert titles[0] == "Single knee-to-chest stretch"
    withdrawn = page.locator("article.withdrawn")
    assert "no longer in the studio's library: call us" in withdrawn.inner_text()
    assert withdrawn.locator("a[href^='tel:']").count() == 1
    page.context.close()


def test_a_dosage_the_library_changed_since_printing_is_not_shown_changed(
    studio: Path, site: str, browser: Browser
) -> None:
    # Printed when knee-to-chest was 4 times; the library says 3 now: the page cannot say
    # what the paper says, so it says to ask for the link again rather than show 3
    knee = published("knee-to-chest")
    code = short_code("en", [("knee-to-chest", {**knee, "reps": 4}, {**knee, "reps": 4})])
    page, titles, _ = shown(browser, f"{site}p#{code}")
    assert "This link is damaged" in page.locator("[role=alert]").inner_text() and titles == []
    page.context.close()


def test_a_format_1_link_printed_before_still_opens(studio: Path, site: str, browser: Browser) -> None:
    knee = {**published("knee-to-chest"), "hold_seconds": 25}
    old = packet_code("es", [("knee-to-chest", knee), ("bird-dog", published("bird-dog"))])
    page, titles, dosages = shown(browser, f"{site}html/packet.html#{old}")
    assert titles == ["Estiramiento de una rodilla al pecho", "Perro de caza"]
    assert dosages[0].startswith("Mantenga 25 segundos")
    page.context.close()


def test_the_page_reads_every_code_as_the_build_wrote_it(studio: Path, site: str, browser: Browser) -> None:
    knee = published("knee-to-chest")
    cases = []
    for n in range(120):
        printed = {**knee, "sides": ("each", "alternate", "none")[n % 3]}
        for offset, name in enumerate(CODE_FIELDS):
            if (n >> offset) & 1:
                printed[name] = (n * 7 + offset * 13) % 301
        ids = [f"exercise-{n}-{i}" for i in range(1 + n % 6)]
        language = ("en", "es", "fr", "haw")[n % 4]
        code = short_code(language, [(i, knee, printed) for i in ids])
        changed = {name: printed[name] if printed[name] != knee[name] else None for name in CODE_FIELDS}
        sides = printed["sides"] if printed["sides"] != knee["sides"] else None
        item = {"numbers": changed, "sides": sides}
        cases.append(
            (code.lower(), {"language": language, "items": [{"key": short_key(i), **item} for i in ids]})
        )
    page, _, _ = shown(browser, f"{site}html/packet.html")
    read = page.evaluate(
        """(codes) => codes.map((code) => { const c = readCode(code);
             const item = ({ key, numbers, sides }) => ({ key, numbers, sides });
             return c && { language: c.language, items: c.items.map(item) }; })""",
        [code for code, _ in cases],
    )
    assert read == [expected for _, expected in cases]
    page.context.close()


def test_two_published_exercises_with_one_key_fail_the_build_by_name(tmp_path: Path) -> None:
    # stretch-143 and stretch-735 share a short key (J2S2): one must be renamed before it is
    # published, so that no printed code ever comes to name another exercise
    assert short_key("stretch-143") == short_key("stretch-735")
    shutil.copytree(REPO / "content", tmp_path / "content")
    knee = (tmp_path / "content/exercises/knee-to-chest.yaml").read_text("utf-8")
    for name in ("stretch-143", "stretch-735"):
        (tmp_path / f"content/exercises/{name}.yaml").write_text(
            knee.replace("id: knee-to-chest", f"id: {name}")
        )
    report = build(tmp_path, BuildOptions(out=tmp_path / "build", today=TODAY, pdf=False, jobs=2))
    said = dict(report.failed).get("html/packet.html", "")
    assert '"stretch-735" and "stretch-143" have the same phone key' in said, report.failed
