"""An instructor's whole day in `pipeline edit`, as a new user meets it: a studio made by
`pipeline init`, in git with a GitHub remote, the editor started as the installed command
(`pipeline edit --no-open`) and driven in Chromium at a desk's size and a phone's, and with
JavaScript off. A new exercise from a title, an unsafe hold refused in the check's words
beside the field, the fix, a photo with GPS stored without it, Preview, Save (the changed
lines only), Commit on a branch with its pull request link (main unmoved), a translation and
a routine. axe-core finds nothing serious on any page; every step's screenshot is kept in
the test's folder to look at."""

from __future__ import annotations

import difflib
import io
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import chromium, needs_axe, needs_chromium, serious_problems
from PIL import Image

pytestmark = [needs_chromium, needs_axe]
playwright = pytest.importorskip("playwright.sync_api")
PIPELINE = Path(sys.executable).parent / "pipeline"  # the installed command, as a user runs it
REMOTE = "git@github.com:bodyfundamentals/library.git"
UNSAFE = "dosage.hold_seconds is 45, but a beginner static stretch allows at most 30 s"
EXERCISE = "content/exercises/wall-roll-down.yaml"
SIZES = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A fresh studio as `pipeline init` makes it, committed on main, with a GitHub remote."""
    made = [str(PIPELINE), "init", "studio", "--yes", "--name", "Body Fundamentals", "--languages", "en,es"]
    subprocess.run(made, cwd=tmp_path, check=True, capture_output=True)
    root = tmp_path / "studio"
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana@studio.example")
    git(root, "remote", "add", "origin", REMOTE)
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "The studio as pipeline init made it")
    return root


@pytest.fixture
def editor(studio: Path) -> Iterator[str]:
    """`pipeline edit --no-open` started in the studio's folder, as its README says."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(PIPELINE), "edit", "--no-open", "--port", str(port)]
    terminal = studio.parent / "terminal.txt"  # what the instructor's terminal shows
    with terminal.open("wb") as shown:
        server = subprocess.Popen(command, cwd=studio, stdout=shown, stderr=shown)
    try:
        while True:
            assert server.poll() is None, "pipeline edit did not start"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The terminal says where the editor is and what it did, not a library's progress lines
    # for every Preview (WeasyPrint's "Step 2 - Fetching and parsing CSS"), nor a traceback.
    said = terminal.read_text("utf-8", errors="replace")
    assert "Step " not in said and "Traceback" not in said, said[-2000:]


def camera_jpeg(path: Path) -> Path:
    """A phone camera's photo: EXIF with the maker and the GPS position of the studio."""
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)})
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 80)).save(out, "JPEG", quality=90, exif=exif)
    path.write_bytes(out.getvalue())
    return path


class Day:
    """One browser tab of the instructor's, which looks at every page it lands on."""

    def __init__(self, page: Any, shots: Path, name: str, judge: Any = None) -> None:
        self.page, self.shots, self.name, self.count = page, shots, name, 0
        self.judge = judge  # with JavaScript off, axe-core runs on the same HTML in this page

    def problems(self) -> list[dict[str, Any]]:
        if self.judge is None:
            return serious_problems(self.page)
        self.judge.goto(urllib.parse.urljoin(self.page.url, "/static/edit.css"))  # the same origin
        self.judge.set_content(self.page.content())  # its stylesheet from the editor, as shown
        return serious_problems(self.judge)

    def looked_at(self, step: str) -> None:
        self.page.wait_for_load_state()
        self.count += 1
        shot = self.shots / f"{self.name}-{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        assert self.problems() == [], step
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"{step}: the page scrolls sideways"
        ids = self.page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        twice = sorted({i for i in ids if ids.count(i) > 1})  # a label for= one finds the other
        assert twice == [], f"{step}: ids used twice"

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button).first.click()
        self.looked_at(button.lower().replace(" ", "-"))


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize(
    ("size", "script"), [("desk", True), ("phone", True), ("phone", False)], ids=["desk", "phone", "no-js"]
)
def test_an_instructors_whole_day(editor: str, studio: Path, tmp_path: Path, size: str, script: bool) -> None:
    photo = camera_jpeg(tmp_path / "wall.jpg")
    main = git(studio, "rev-parse", "main")
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, viewport=SIZES[size], java_script_enabled=script)
        judge = None if script else browser.new_context(bypass_csp=True, viewport=SIZES[size]).new_page()
        day = Day(context.new_page(), tmp_path, size if script else "no-js", judge)
        page = day.page
        page.goto(editor + "/")
        day.looked_at("library")
        assert "Body Fundamentals" in page.locator("header").inner_text()  # the studio's name

        page.get_by_label("Title").fill("Wall roll down")
        day.press("Start it")
        assert page.url == editor + "/exercise/wall-roll-down"
        started = (studio / EXERCISE).read_text("utf-8")

        page.get_by_label("Summary").fill("Rolls the spine down a wall, one bone at a time.")
        page.get_by_label("Hold (seconds)").fill("45")
        day.press("Save")
        hold = page.locator(".field").filter(has=page.get_by_label("Hold (seconds)"))
        assert UNSAFE in hold.inner_text()  # the check's own words, beside the hold
        assert page.get_by_label("Hold (seconds)").get_attribute("aria-invalid") == "true"
        assert "Not saved: the check found" in page.get_by_role("alert").first.inner_text()
        assert (studio / EXERCISE).read_text("utf-8") == started
        if script:  # the keyboard is on the list of what to fix, so a screen reader says it
            assert page.evaluate("document.activeElement.classList.contains('refused')")

        page.get_by_label("Hold (seconds)").fill("25")
        day.press("Add image")
        page.get_by_label("Upload a photo").set_input_files(str(photo))
        page.get_by_label("Alt text").fill("A woman rolls her spine down against a wall.")
        day.press("Preview")
        assert page.get_by_text("Preview, not saved").is_visible()
        assert page.locator("iframe[src^='/preview/']").count() == 1
        assert (studio / EXERCISE).read_text("utf-8") == started

        day.press("Save")
        page.get_by_text(f"Saved {EXERCISE}").wait_for()
        saved = (studio / EXERCISE).read_text("utf-8")
        assert changed_lines(started, saved) == [
            "-summary: Why the client does this exercise, in one or two sentences.",
            "+summary: Rolls the spine down a wall, one bone at a time.",
            "-  hold_seconds: 20",
            "+  hold_seconds: 25",
            "+images:",
            "+  - src: images/wall-roll-down-1.jpg",
            "+    alt: A woman rolls her spine down against a wall.",
        ]
        stored = (studio / "content/images/wall-roll-down-1.jpg").read_bytes()
        assert b"Secret Camera Co" not in stored
        assert Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825) == {}  # no GPS

        page.get_by_role("link", name="Commit changes").click()
        day.looked_at("commit")
        assert "+  hold_seconds: 25" in page.locator("pre.diff").inner_text()
        page.get_by_label("Message").fill("Wall roll down, a new exercise")
        day.press("Commit")
        page.get_by_text("a new branch, so main is as it was").wait_for()
        branch = git(studio, "branch", "--show-current")
        assert re.fullmatch(r"edit/wall-roll-down-\d{4}-\d\d-\d\d", branch)
        link = page.get_by_role("link", name=re.compile("open a pull request"))
        expected = f"https://github.com/bodyfundamentals/library/compare/main...{branch}?expand=1"
        assert link.get_attribute("href") == expected
        assert git(studio, "rev-parse", "main") == main
        assert git(studio, "show", "--name-only", "--format=", "HEAD").split() == [
            EXERCISE,
            "content/images/wall-roll-down-1.jpg",
        ]

        page.get_by_role("link", name="The library").click()
        day.looked_at("library-again")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Wall roll down", exact=True))
        row.get_by_role("link", name="Spanish").click()
        day.looked_at("translation")
        page.get_by_label("Translated by").fill("Lucía Paz")
        page.get_by_label("Title in Spanish").fill("Enrollado contra la pared")
        day.press("Save")
        page.get_by_text("Saved content/exercises/wall-roll-down.es.yaml").wait_for()
        spanish = (studio / "content/exercises/wall-roll-down.es.yaml").read_text("utf-8")
        assert "title: Enrollado contra la pared" in spanish

        page.get_by_role("link", name="The library").click()
        page.get_by_label("Title").fill("Wall day")
        page.get_by_label("Exercise or routine", exact=True).select_option(label="Routine")
        day.press("Start it")
        assert page.url == editor + "/routine/wall-day"
        day.press("Add exercise")
        focused = page.evaluate("document.activeElement.name")  # the page reopens at the new item
        assert focused == "exercises.1.exercise"
        page.locator("select[name$='.exercise']").last.select_option(label="Wall roll down (draft)")
        day.press("Save")
        page.get_by_text("Saved content/routines/wall-day.yaml").wait_for()
        assert "exercise: wall-roll-down" in (studio / "content/routines/wall-day.yaml").read_text()

        page.get_by_role("link", name="Commit changes").click()
        page.get_by_label("Message").fill("Wall roll down in Spanish, and a routine")
        day.press("Commit")
        page.get_by_text(f"on branch {branch}").first.wait_for()
    assert git(studio, "branch", "--show-current") == branch  # the second commit joins the first
    assert git(studio, "rev-parse", "main") == main


def posted(url: str, fields: dict[str, str], cookie: str = "") -> tuple[int, str]:
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=body, headers={"cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_a_post_without_the_forms_token_is_refused_and_nothing_is_written(editor: str, studio: Path) -> None:
    before = (studio / "content/exercises/bird-dog.yaml").read_bytes()
    status, _ = posted(editor + "/exercise/bird-dog", {"title": "Hijacked", "button": "save"})
    assert status == 403
    status, _ = posted(editor + "/new", {"title": "Hijacked"})
    assert status == 403
    assert (studio / "content/exercises/bird-dog.yaml").read_bytes() == before
    assert not (studio / "content/exercises/hijacked.yaml").exists()


def test_a_save_over_a_file_changed_on_disk_is_refused_and_both_versions_kept(
    editor: str, studio: Path, tmp_path: Path
) -> None:
    path = studio / "content/exercises/bird-dog.yaml"
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, viewport=SIZES["desk"])
        day = Day(context.new_page(), tmp_path, "conflict")
        day.page.goto(editor + "/exercise/bird-dog")
        day.page.get_by_label("Title").fill("Bird-dog, my way")
        theirs = path.read_text("utf-8").replace("title: Bird-dog", "title: Bird-dog, their way")
        path.write_text(theirs, "utf-8")  # a git pull, meanwhile
        day.press("Save")
        assert "was changed on disk since you opened it" in day.page.get_by_role("alert").inner_text()
        assert day.page.get_by_label("Title").input_value() == "Bird-dog, my way"
    assert path.read_text("utf-8") == theirs
