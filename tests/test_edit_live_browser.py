"""`pipeline edit` in Chromium: live checking as an author types (a hold over the limit is
said beside its field before any button is pressed, under the page's real CSP), Preview
beside the form, and a photo added after a hostile file is refused; axe-core finds nothing
serious on any of these pages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from browserkit import chromium, needs_axe, needs_chromium, serious_problems
from test_edit_browser import editor_url  # noqa: F401  (the fixture: the editor under uvicorn)

pytestmark = [needs_chromium, needs_axe]
playwright = pytest.importorskip("playwright.sync_api")

UNSAFE = "a beginner isometric hold allows at most 20 s"
BIRD_DOG = "content/exercises/bird-dog.yaml"
SHOTS = Path("/tmp/edit-screenshots")  # looked at by whoever changes the page; not asserted


def hold_said(page: Any) -> Any:
    """The region beside the Hold control where its problems are said."""
    return page.locator('.said[data-for="f-dosage-hold_seconds"]')


def test_a_holds_problem_appears_beside_it_as_the_author_types_under_the_pages_csp(
    editor_url: str,  # noqa: F811
    root: Path,
) -> None:
    before = (root / BIRD_DOG).read_bytes()
    with chromium() as browser:
        page = browser.new_context().new_page()  # the CSP in force: the packaged script must run
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text))
        page.goto(editor_url + "/exercise/bird-dog")
        page.get_by_label("Hold (seconds)").fill("45")
        hold_said(page).get_by_text(UNSAFE).wait_for(timeout=10_000)
        assert page.locator("#live-status").inner_text() == "2 problems to fix before saving"
        assert page.get_by_label("Hold (seconds)").get_attribute("aria-invalid") == "true"
        page.get_by_label("Hold (seconds)").fill("10")
        page.locator("#live-status").get_by_text("No problems found").wait_for(timeout=10_000)
        assert hold_said(page).inner_text() == ""
        assert page.get_by_label("Hold (seconds)").get_attribute("aria-invalid") is None
        page.get_by_label("Title").fill("")
        page.locator('.said[data-for="f-title"]').get_by_text("`title` is missing").wait_for(timeout=10_000)
        assert "no image" in page.locator("#general-problems").inner_text()  # the page's own, kept
        assert [text for text in refused if "Content Security Policy" in text] == []
    assert (root / BIRD_DOG).read_bytes() == before  # typing saves nothing


def test_live_problems_and_the_preview_pass_axe(editor_url: str, root: Path) -> None:  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    tree = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900}).new_page()
        page.goto(editor_url + "/exercise/bird-dog")
        page.get_by_label("Hold (seconds)").fill("45")
        hold_said(page).get_by_text(UNSAFE).wait_for(timeout=10_000)
        assert serious_problems(page) == []
        page.screenshot(path=str(SHOTS / "live-check.png"))
        page.get_by_label("Hold (seconds)").fill("10")
        page.get_by_label("Layout").select_option(label="Large print")
        page.get_by_role("button", name="Preview").click()
        preview = page.get_by_role("complementary", name="Preview, not saved")
        preview.wait_for()
        assert "Large print layout, in English" in preview.inner_text()
        frame = preview.locator("iframe")
        assert frame.get_attribute("title") == "The handout as it would print (Large print, English)"
        pdf = page.request.get(editor_url + str(frame.get_attribute("src")))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        assert page.get_by_label("Hold (seconds)").input_value() == "10"  # the form as typed
        assert serious_problems(page) == []
        page.screenshot(path=str(SHOTS / "preview.png"))
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()} == tree


def test_an_author_adds_a_photo_after_a_hostile_file_is_refused(
    editor_url: str,  # noqa: F811
    root: Path,
    tmp_path: Path,
) -> None:
    from test_edit_photos import POSTSCRIPT, identifying_jpeg

    hostile, photo = tmp_path / "holiday.jpg", tmp_path / "IMG_0042.jpg"
    hostile.write_bytes(POSTSCRIPT)
    photo.write_bytes(identifying_jpeg())
    images = root / "content/images"
    before = sorted(images.iterdir()) if images.is_dir() else []
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(editor_url + "/exercise/bird-dog")
        page.get_by_role("button", name="Add image").click()
        page.get_by_label("Upload a photo").set_input_files(str(hostile))
        page.get_by_label("Alt text (what the picture shows)").fill("Kneeling on all fours, one arm forward")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("holiday.jpg is a PostScript (EPS) file").first.wait_for()
        assert "Nothing was stored." in page.content()
        assert (sorted(images.iterdir()) if images.is_dir() else []) == before
        assert serious_problems(page) == []
        page.get_by_label("Upload a photo").set_input_files(str(photo))
        page.get_by_label("Alt text (what the picture shows)").fill("Kneeling on all fours, one arm forward")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved content/exercises/bird-dog.yaml").wait_for()
        assert serious_problems(page) == []
    written = (root / BIRD_DOG).read_text()
    assert "src: images/bird-dog-1.jpg" in written and "alt: Kneeling on all fours" in written
    assert b"Secret Camera Co" not in (images / "bird-dog-1.jpg").read_bytes()
