"""`pipeline build --site DIR`: the website the studio's workflow publishes holds the published
library and nothing else, every link inside it resolves, and the phone page there opens the
address printed on a packet (Chromium, as a client's phone would)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browserkit import chromium, needs_chromium
from click.testing import CliRunner, Result
from pypdf import PdfReader
from test_init import publish_two

from pipeline.cli import cli

STUDIO = ["--name", "Core Pilates", "--phone", "(520) 555-0100", "--website", "https://corepilates.example"]
PUBLISHED = {"cat-cow", "knee-to-chest"}


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env={"PIPELINE_TODAY": "2026-11-24"})
    print(result.output)
    return result


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A studio from `pipeline init` whose instructors have reviewed two starter exercises;
    the rest are drafts, and a build --drafts has put them in build/ too."""
    root = tmp_path_factory.mktemp("site") / "core-pilates"
    assert run("init", str(root), "--yes", *STUDIO).exit_code == 0
    publish_two(root)
    assert run("--root", str(root), "build", "--quiet", "--drafts", "--jobs", "2").exit_code == 0
    assert list((root / "build/drafts").rglob("*.pdf"))  # drafts' handouts are there, for review
    built = run("--root", str(root), "build", "--quiet", "--jobs", "2", "--site", str(root / "site"))
    assert built.exit_code == 0 and "Website:" in built.output
    return root


def site_files(studio: Path) -> set[str]:
    return {p.relative_to(studio / "site").as_posix() for p in (studio / "site").rglob("*") if p.is_file()}


def test_the_site_holds_the_published_library_and_nothing_else(studio: Path) -> None:
    files = site_files(studio)
    pages = {f for f in files if f.startswith(("html/exercises/", "pdf/"))}
    assert pages == {f"html/exercises/{i}.html" for i in PUBLISHED} | {
        f"pdf/exercises/{i}.pdf" for i in PUBLISHED
    }
    assert not any("draft" in f or f.startswith(("cache", "manifest", ".")) for f in files)
    originals = {p.name for p in (studio / "content/images").iterdir()}
    assert not {Path(f).name for f in files} & originals  # only the web copies the pipeline made
    photos = {f for f in files if f.startswith("html/media/")}
    assert photos and all(Path(f).name.split("-")[0] in ("cat", "knee") for f in photos)
    for name in {"bird-dog", "glute-bridge", "pelvic-tilt"}:  # drafts, in no page of the site either
        for page in files:
            if page.endswith((".html", ".json", ".js")):
                assert name not in (studio / "site" / page).read_text("utf-8", "replace"), page
    index = (studio / "site/index.html").read_text()
    assert "Cat–cow" in index and "Bird-dog" not in index


def test_every_link_in_the_site_resolves_inside_it(studio: Path) -> None:
    files = site_files(studio)
    for page in (f for f in files if f.endswith(".html")):
        text = (studio / "site" / page).read_text()
        for address in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', text):
            target = (Path(page).parent / address).as_posix()
            resolved = str(Path("/" + target).resolve())[1:]
            assert resolved in files, (page, address)


def test_a_site_with_a_broken_link_is_not_written(studio: Path, tmp_path: Path) -> None:
    snippet = studio / "build/html/exercises/cat-cow.html"
    original = snippet.read_text()
    try:
        snippet.write_text(original + '<img src="../media/images/bird-dog-secret.jpg">')
        from pipeline.publish.website import write_site

        report = write_site(studio / "build", tmp_path / "site")
        assert report.broken == [("html/exercises/cat-cow.html", "../media/images/bird-dog-secret.jpg")]
        assert not (tmp_path / "site").exists()
    finally:
        snippet.write_text(original)


def test_the_site_is_never_written_over_another_folder(studio: Path) -> None:
    refused = run("--root", str(studio), "build", "--quiet", "--site", str(studio / "content"))
    assert refused.exit_code == 2 and "already holds other files" in refused.output
    assert (studio / "content/studio.yaml").is_file()
    narrowed = run("--root", str(studio), "build", "--drafts", "--site", str(studio / "site"))
    assert narrowed.exit_code == 2 and "cannot be combined with --drafts" in narrowed.output


@pytest.fixture(scope="module")
def served(studio: Path) -> Iterator[str]:
    """The site folder on a local web server, as GitHub Pages serves it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(studio / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@needs_chromium
def test_the_phone_page_on_the_site_opens_the_address_a_packet_prints(
    studio: Path, served: str, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    packet = tmp_path / "ana.pdf"
    printed = run(
        "--root", str(studio), "handout", "knee-to-chest", "cat-cow", "--client", "Ana", "-o", str(packet)
    )
    assert printed.exit_code == 0
    cover = PdfReader(packet).pages[0].extract_text()
    typed = cover.split("Or type this address on your phone:")[1].split("Your exercises")[0]
    address = "".join(typed.split())  # as the client types it, across the printed lines
    assert address.startswith("corepilates.example/p#")  # typed as printed, /p is on the site
    parts = urlsplit(f"https://{address}")
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        page.goto(f"{served}{parts.path.lstrip('/')}#{parts.fragment}")
        page.wait_for_selector("html[data-shown]")
        assert page.locator("article h2").all_inner_texts() == ["Single knee-to-chest stretch", "Cat–cow"]
        page.context.close()
