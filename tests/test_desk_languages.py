"""The desk knows what it can print (issue 25, item 1): every card and packet entry says the
languages it prints in today, the language chosen marks what cannot, and a packet that
cannot be made in it names every entry that stops it, at once, by title, with what to do.
Through HTTP, as a browser sends the form (the same in Chromium: test_desk_browser.py)."""

from __future__ import annotations

import html
import io
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from deskkit import CLIENT
from pypdf import PdfReader
from starlette.testclient import TestClient

from pipeline.cli import cli
from pipeline.desk.app import DeskConfig, create_app

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 24)


def publish_translation(root: Path, exercise_id: str, language: str = "es") -> None:
    """What a Spanish-speaking instructor does once the translation is reviewed."""
    path = root / "content" / "exercises" / f"{exercise_id}.{language}.yaml"
    text = path.read_text().replace("status: draft", "status: published")
    path.write_text(
        text.replace(
            "  translated_by:", "  reviewed_by: Ana Ruiz\n  reviewed_on: 2026-11-20\n  translated_by:"
        )
    )
    assert CliRunner().invoke(cli, ["--root", str(root), "translate", "update", language]).exit_code == 0


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("desk-languages")
    shutil.copytree(REPO / "content", root / "content")
    publish_translation(root, "knee-to-chest")
    app = create_app(DeskConfig(root=root, today=lambda: TODAY, workers=1, watch=False))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        yield client


def packet_form(desk: TestClient, entries: list[str], **fields: str) -> dict[str, str | list[str]]:
    page = desk.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    form: dict[str, str | list[str]] = {"csrf": csrf.group(1), "client": CLIENT, "date": "2026-11-24"}
    return {**form, "entry": entries, **fields}


def card(page: str, entry_id: str) -> str:
    found = [c for c in re.findall(r"<li[ >].*?</li>", page, re.S) if f'<h3 id="t-{entry_id}">' in c]
    assert found, entry_id
    return html.unescape(found[0])


def text_of(part: str) -> str:
    spaced = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part))).strip()
    return re.sub(r" ([:.,;])", r"\1", spaced)


def notice(page: str) -> str:
    found = re.search(r'<div class="notice" id="packet-notice" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no notice on the page"
    return text_of(found.group(1))


def test_every_card_says_the_languages_it_prints_in_today(desk: TestClient) -> None:
    page = desk.get("/").text
    assert "Prints in English, Spanish" in card(page, "knee-to-chest")
    assert 'data-langs="en es"' in card(page, "knee-to-chest")
    assert "Prints in English" in card(page, "bird-dog") and "Spanish" not in card(page, "bird-dog")
    # a routine prints in Spanish only when it and every exercise in it are reviewed
    assert "Spanish" not in card(page, "home-hamstring-care")
    assert "Prints in" not in card(page, "pelvic-tilt")  # a draft prints in nothing


def test_choosing_spanish_marks_the_entries_that_cannot_print_in_it(desk: TestClient) -> None:
    form = packet_form(desk, ["knee-to-chest", "bird-dog"], language="es", check="knee-to-chest")
    page = desk.post("/", data=form).text
    assert "Not in Spanish yet" in card(page, "bird-dog") and "Not in Spanish" not in card(
        page, "knee-to-chest"
    )
    packet = page[page.index('<section class="packet"') :]
    picked = re.findall(r'<li data-langs="[^"]*"[^>]*>.*?</li>', packet, re.S)
    marked = [text_of(item) for item in picked if "Not in Spanish yet" in item]
    assert len(marked) == 1 and marked[0].startswith("Bird-dog Hold · beginner · English")


def test_a_packet_in_spanish_lists_every_entry_that_stops_it_by_title_with_what_to_do(
    desk: TestClient,
) -> None:
    entries = ["knee-to-chest", "bird-dog", "home-hamstring-care", "cat-cow"]
    refused = desk.post("/handout", data=packet_form(desk, entries, language="es"))
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    said = notice(refused.text)
    assert "This packet cannot be printed in Spanish yet: 3 entries have no reviewed Spanish." in said
    assert "Bird-dog: its Spanish is awaiting review" in said
    assert "Cat–cow: its Spanish is awaiting review" in said and "Single knee-to-chest" not in said
    # a routine says which of its parts are not ready, by title
    assert (
        "Home hamstring care: its Spanish is awaiting review; the Spanish of “Cat–cow”, "
        "“Lying hamstring stretch with a strap”, “Kneeling hip-flexor stretch” and “Glute bridge” "
        "is awaiting review" in said
    )
    assert (
        "Ask an instructor to review the Spanish of “Bird-dog”, “Home hamstring care” and “Cat–cow”, "
        "or print these in English" in said
    )
    assert '"bird-dog"' not in said  # titles, never file ids
    # the focus goes to the notice (no field is wrong), without JavaScript too
    assert re.search(r'id="packet-notice" role="alert" tabindex="-1" autofocus', refused.text)
    assert "<title>Fix the packet" in refused.text


def test_the_same_packet_in_english_or_without_the_blockers_is_made(desk: TestClient) -> None:
    english = desk.post("/handout", data=packet_form(desk, ["knee-to-chest", "bird-dog"], language="en"))
    assert english.status_code == 200 and english.headers["content-type"] == "application/pdf"
    spanish = desk.post("/handout", data=packet_form(desk, ["knee-to-chest"], language="es"))
    assert spanish.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(spanish.content)).pages)
    assert "Preparado para Zoë Núñez el 24 de noviembre de 2026" in re.sub(r"\s+", " ", text)


def test_the_pages_script_asks_first_and_gets_a_yes_or_the_packet_with_its_errors(desk: TestClient) -> None:
    ask = {"X-Desk-Check": "1", "X-Desk-Part": "packet"}
    yes = desk.post("/handout", data=packet_form(desk, ["knee-to-chest"], language="es"), headers=ask)
    assert yes.status_code == 204 and not yes.content  # nothing rendered: the tab opens next
    no = desk.post("/handout", data=packet_form(desk, ["bird-dog"], language="es", client=""), headers=ask)
    assert no.status_code == 422 and no.text.lstrip().startswith('<section class="packet"')
    # both problems at once: the name at its field (where the focus goes), the language in the notice
    assert 'data-focus="client"' in no.text
    assert re.search(r'id="client"[^>]*aria-invalid="true" aria-describedby="p-client" autofocus', no.text)
    said = notice(no.text)
    assert "Bird-dog: its Spanish is awaiting review" in said and "Type the client's name" in said


def test_a_cards_add_becomes_added_with_a_remove(desk: TestClient) -> None:
    page = desk.post("/", data=packet_form(desk, [], add="bird-dog")).text
    bird_dog = card(page, "bird-dog")
    assert (
        "✓ Added" in bird_dog and 'name="drop" value="bird-dog"' in bird_dog and 'name="add"' not in bird_dog
    )
    assert 'aria-labelledby="drop t-bird-dog"' in bird_dog  # "Remove from the packet: Bird dog"
    page = desk.post("/", data=packet_form(desk, ["knee-to-chest", "bird-dog"], drop="bird-dog")).text
    assert re.findall(r'name="entry" value="([^"]+)"', page) == ["knee-to-chest"]
    assert 'name="add" value="bird-dog"' in card(page, "bird-dog")
    tampered = desk.post("/", data=packet_form(desk, ["knee-to-chest"], drop="bird-dog"))
    assert tampered.status_code == 400


def test_the_notice_offers_both_fixes_english_or_leaving_the_blockers_out(desk: TestClient) -> None:
    entries = ["knee-to-chest", "bird-dog", "cat-cow"]
    refused = desk.post("/", data=packet_form(desk, entries, language="es", check="knee-to-chest"))
    assert 'name="to_language" value="en">Print in English instead' in refused.text
    assert 'name="leave_out" value="es">Leave these 2 out' in refused.text
    left = desk.post("/", data=packet_form(desk, entries, language="es", leave_out="es"))
    assert left.status_code == 200 and 'id="packet-notice"' not in left.text
    assert re.findall(r'name="entry" value="([^"]+)"', left.text) == ["knee-to-chest"]
    assert re.search(r'name="language" value="es" checked', left.text)
    english = desk.post("/", data=packet_form(desk, entries, language="es", to_language="en"))
    assert english.status_code == 200 and 'id="packet-notice"' not in english.text
    assert re.findall(r'name="entry" value="([^"]+)"', english.text) == entries
    assert re.search(r'name="language" value="en" checked', english.text)
