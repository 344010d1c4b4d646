"""`pipeline edit` in Chromium: an author commits a saved change on a branch of its own; an
instructor reorders a routine, adds an exercise and fixes an unsafe override; a translator
brings a stale Spanish step up to date beside its English. axe-core finds nothing serious on
any of these pages, before or after."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browserkit import chromium, needs_axe, needs_chromium, serious_problems
from test_edit_browser import editor_url  # noqa: F401 (the fixture: the editor on a free port)

pytestmark = [needs_chromium, needs_axe]
playwright = pytest.importorskip("playwright.sync_api")
REACH = "Reach one arm forward and the opposite leg back until both are level with your body."


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def test_an_author_commits_on_a_new_branch_and_the_page_passes_axe(
    editor_url: str,  # noqa: F811
    root: Path,
    tmp_path: Path,
) -> None:
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana@studio.example")
    git(root, "remote", "add", "origin", "git@github.com:body-fundamentals/library.git")
    git(root, "add", "content")
    git(root, "commit", "--quiet", "-m", "The starter library")
    main = git(root, "rev-parse", "main")
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(editor_url + "/exercise/bird-dog")
        page.get_by_label("Hold (seconds)").fill("10")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved content/exercises/bird-dog.yaml").wait_for()
        page.get_by_role("link", name="Commit changes").click()
        assert "+  hold_seconds: 10" in page.locator("pre.diff").inner_text()
        assert serious_problems(page) == []
        page.screenshot(path=str(tmp_path / "commit.png"), full_page=True)
        page.get_by_label("Message").fill("Bird-dog: a 10 s hold")
        page.get_by_role("button", name="Commit").click()
        page.get_by_text("a new branch, so main is as it was").wait_for()
        assert serious_problems(page) == []
        link = page.get_by_role("link", name=re.compile("open a pull request"))
        assert re.fullmatch(
            r"https://github.com/body-fundamentals/library/compare/main\.\.\.edit/bird-dog-[\d-]+\?expand=1",
            str(link.get_attribute("href")),
        )
        page.screenshot(path=str(tmp_path / "committed.png"), full_page=True)
    assert git(root, "rev-parse", "main") == main
    assert re.fullmatch(r"edit/bird-dog-\d{4}-\d\d-\d\d", git(root, "branch", "--show-current"))
    assert git(root, "show", "--name-only", "--format=", "HEAD") == "content/exercises/bird-dog.yaml"


def test_a_translator_updates_a_stale_step_beside_its_english_and_the_page_passes_axe(
    editor_url: str,  # noqa: F811
    root: Path,
    tmp_path: Path,
) -> None:
    english = root / "content/exercises/bird-dog.yaml"
    english.write_text(english.read_text().replace(REACH, "Reach one arm forward and the other leg back."))
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(editor_url + "/")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Bird-dog", exact=True))
        assert "1 field to look at again" in row.inner_text()
        row.get_by_role("link", name="Spanish").click()
        page.get_by_role("heading", name="Bird-dog in Spanish").wait_for()
        steps = page.locator("#group-steps")
        assert steps.get_by_text("The English changed since this was translated.").is_visible()
        assert serious_problems(page) == []
        page.screenshot(path=str(tmp_path / "translation.png"), full_page=True)
        typed = "Estire un brazo hacia adelante y la otra pierna hacia atrás."
        page.get_by_label("Step 2 in Spanish").fill(typed)
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved content/exercises/bird-dog.es.yaml").wait_for()
        assert page.get_by_text("The English changed since").count() == 0
        assert serious_problems(page) == []
    assert "la otra pierna hacia atrás" in (root / "content/exercises/bird-dog.es.yaml").read_text()


def test_an_instructor_reorders_a_routine_and_the_page_passes_axe(
    editor_url: str,  # noqa: F811
    root: Path,
) -> None:
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(editor_url + "/routine/home-hamstring-care")
        assert serious_problems(page) == []
        page.get_by_role("button", name="Move down Exercise 1").click()
        page.get_by_role("button", name="Add exercise").click()
        page.locator("#f-exercises-4-exercise").select_option(label="Bird-dog")
        page.locator("#f-exercises-0-dosage-hold_seconds").fill("90")  # the strap stretch, moved up
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("a beginner static stretch allows at most 30 s").first.wait_for()
        assert serious_problems(page) == []
        page.locator("#f-exercises-0-dosage-hold_seconds").fill("20")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved content/routines/home-hamstring-care.yaml").wait_for()
    text = (root / "content/routines/home-hamstring-care.yaml").read_text()
    assert re.findall(r"- exercise: (\S+)", text) == [
        "supine-hamstring-stretch-strap",
        "cat-cow",
        "kneeling-hip-flexor-stretch",
        "glute-bridge",
        "bird-dog",
    ]
