"""`pipeline edit` through plain HTTP forms, as a browser without JavaScript sends them: the
library, a new exercise, a page generated from the schema, a save that changes only the
lines changed, and the refusals (an unsafe value in the check's words, a lost update, a
form without its token, another Host)."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import REPO, run
from httpx2 import Response
from starlette.testclient import TestClient

from pipeline.authoring.fmt import formatted
from pipeline.edit.app import EditConfig, create_app

BIRD_DOG = "content/exercises/bird-dog.yaml"
UNSAFE = "dosage.hold_seconds is 45, but a beginner isometric hold allows at most 20 s"


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


class FormReader(HTMLParser):
    """What a browser would send for the page's form: every named control's value, the
    checked boxes, the selected options; and each control's label."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.labels: dict[str, str] = {}  # control id -> label text
        self.ids: dict[str, str] = {}  # control id -> name
        self.buttons: list[tuple[str, str, str]] = []  # (name, value, text)
        self._label: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._button: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "label":
            self._label, self._text = a.get("for", ""), []
        if a.get("id") and tag in ("input", "select", "textarea"):
            self.ids[a["id"]] = a.get("name", "")
        if tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._option = a.get("name"), None
        elif tag == "option" and self._select is not None:
            if "selected" in a or self._option is None:
                self._option = a.get("value", "\0text")
                if "selected" in a:
                    self._selected = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "button":
            self._button, self._text = (a.get("name", ""), a.get("value", "")), []

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._select is not None and self._option == "\0text":
            self._option = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            self.labels[self._label] = "".join(self._text).strip()
            self._label = None
        elif tag == "select" and self._select:
            self.fields.append((self._select, self._option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "button" and self._button:
            self.buttons.append((*self._button, "".join(self._text).strip()))
            self._button = None


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def sent(page: str, button: str = "save", **changes: str) -> list[tuple[str, str]]:
    fields = [(k, changes.pop(k, v)) for k, v in read_form(page).fields]
    return [*fields, *changes.items(), ("button", button)]


def post_form(client: TestClient, path: str, fields: list[tuple[str, str]], **options: object) -> Response:
    """`fields` sent as a browser sends a form (one name may come several times)."""
    headers = {"content-type": "application/x-www-form-urlencoded", **options.pop("headers", {})}  # type: ignore[dict-item]
    return client.post(path, content=urlencode(fields), headers=headers, **options)  # type: ignore[arg-type]


def problems_on(page: str) -> list[str]:
    return re.findall(r'class="problem" role="alert">([^<]+)<', page)


def test_the_library_lists_every_exercise_and_routine_with_a_link_and_its_problems(
    editor: TestClient,
) -> None:
    page = editor.get("/")
    assert page.status_code == 200
    for path in sorted((REPO / "content").glob("*/*.yaml")):
        if path.parent.name in ("exercises", "routines") and "." not in path.stem:
            kind = "exercise" if path.parent.name == "exercises" else "routine"
            assert f'href="/{kind}/{path.stem}"' in page.text, path.stem
    assert '<a href="/exercise/bird-dog">Bird-dog</a>' in page.text
    assert "0 errors, 1 warning" in page.text  # bird-dog has no photo


def test_a_new_exercise_is_the_file_pipeline_new_writes_and_opens(
    editor: TestClient, root: Path, tmp_path: Path
) -> None:
    csrf = read_form(editor.get("/").text).fields[0][1]
    form = {
        "csrf": csrf,
        "id": "side-plank",
        "title": "",
        "what": "exercise",
        "kind": "isometric",
        "level": "beginner",
    }
    answer = editor.post("/new", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/exercise/side-plank"
    other = tmp_path / "other"
    (other / "content").mkdir(parents=True)
    assert (
        run(other, "new", "exercise", "side-plank", "--kind", "isometric", "--level", "beginner").exit_code
        == 0
    )
    written = (root / "content/exercises/side-plank.yaml").read_text()
    assert written == (other / "content/exercises/side-plank.yaml").read_text()
    assert "Side plank" in editor.get("/exercise/side-plank").text
    again = editor.post("/new", data=form)
    assert again.status_code == 422 and "already exists" in again.text


def test_the_page_has_a_labelled_control_for_every_field_of_the_schema(editor: TestClient) -> None:
    page = editor.get("/exercise/bird-dog").text
    form = read_form(page)
    names = {name for name, _ in form.fields}
    schema = json.loads((REPO / "schema/exercise.schema.json").read_text())
    for key, sub in schema["properties"].items():
        if key == "id":
            assert 'value="bird-dog" readonly' in page
        elif sub.get("type") == "object":
            assert any(n.startswith(f"{key}.") for n in names) or f'id="f-{key}"' in page, key
        else:
            assert f'id="f-{key}' in page, key
    assert all(form.labels.get(control) for control in form.ids), "a control without a label"
    assert "Hold" in form.labels["f-dosage-hold_seconds"]
    assert {"steps.0", "steps.3", "stop_if.0", "variations.0.name", "setup.0", "cues.0"} <= names
    assert any("Save" in text for _, _, text in form.buttons)
    assert "Required when status is published" in page  # the schema's if/then, beside review
    assert "How long each repetition is held, in seconds." in page  # the schema's description


def test_saving_changes_only_the_lines_that_changed(editor: TestClient, root: Path) -> None:
    path = root / BIRD_DOG
    before = path.read_text()
    page = editor.get("/exercise/bird-dog").text
    answer = post_form(
        editor,
        "/exercise/bird-dog",
        sent(page, **{"dosage.hold_seconds": "10", "steps.1": "Reach one arm forward."}),
        follow_redirects=False,
    )
    assert answer.status_code == 303, problems_on(answer.text)
    after = path.read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "-   - Reach one arm forward and the opposite leg back until both are level with your body.",
        "+   - Reach one arm forward.",
        "-   hold_seconds: 8",
        "+   hold_seconds: 10",
    ]
    assert formatted(path)[0] == formatted(path)[1]  # pipeline fmt would change nothing
    assert "Saved content/exercises/bird-dog.yaml" in editor.get(answer.headers["location"]).text


def test_an_unsafe_hold_is_refused_beside_its_field_in_the_checks_words(
    editor: TestClient, root: Path
) -> None:
    path = root / BIRD_DOG
    before = path.read_text()
    page = editor.get("/exercise/bird-dog").text
    refused = post_form(editor, "/exercise/bird-dog", sent(page, **{"dosage.hold_seconds": "45"}))
    assert refused.status_code == 422
    assert path.read_text() == before
    field = re.search(r'id="f-dosage-hold_seconds".*?</div>', refused.text, re.S)
    assert field and UNSAFE in field.group(0) and 'value="45"' in field.group(0)
    path.write_text(before.replace("hold_seconds: 8", "hold_seconds: 45"))
    printed = re.findall(r"error: (.*) \[safety-limit\]", run(root, "check", str(path)).output)
    assert set(problems_on(refused.text)) == set(printed)  # the check's own words, each of them


def test_a_save_over_a_file_changed_on_disk_is_refused_and_nothing_is_lost(
    editor: TestClient, root: Path
) -> None:
    path = root / BIRD_DOG
    page = editor.get("/exercise/bird-dog").text
    theirs = path.read_text().replace("reps: 6", "reps: 7")  # another editor, or a git pull
    path.write_text(theirs)
    refused = post_form(editor, "/exercise/bird-dog", sent(page, **{"dosage.hold_seconds": "10"}))
    assert refused.status_code == 409
    assert "changed on disk since you opened it" in refused.text and "reload the file" in refused.text
    assert path.read_text() == theirs
    assert re.search(r'id="f-dosage-hold_seconds" name="dosage.hold_seconds" value="10"', refused.text)


def test_a_post_without_the_token_or_from_another_site_changes_nothing(
    editor: TestClient, root: Path
) -> None:
    path = root / BIRD_DOG
    before = path.read_text()
    page = editor.get("/exercise/bird-dog").text
    tokenless = [(k, v) for k, v in sent(page, **{"dosage.hold_seconds": "10"}) if k != "csrf"]
    assert post_form(editor, "/exercise/bird-dog", tokenless).status_code == 403
    other = post_form(
        editor,
        "/exercise/bird-dog",
        sent(page, **{"dosage.hold_seconds": "10"}),
        headers={"Origin": "http://evil.example"},
    )
    assert other.status_code == 403 and "another site" in other.text
    assert editor.get("/", headers={"Host": "evil.example:8002"}).status_code == 400
    assert path.read_text() == before


def test_list_buttons_add_move_and_remove_items_without_saving(editor: TestClient, root: Path) -> None:
    before = (root / BIRD_DOG).read_text()
    page = editor.get("/exercise/bird-dog").text
    added = post_form(editor, "/exercise/bird-dog", sent(page, "add:cues")).text
    assert 'name="cues.1"' in added and "Cue 2" in added
    moved = post_form(editor, "/exercise/bird-dog", sent(page, "down:steps.0")).text
    steps = [v for k, v in read_form(moved).fields if k.startswith("steps.")]
    assert steps[1] == "Tighten your stomach gently, as if bracing for a light push."
    removed = post_form(editor, "/exercise/bird-dog", sent(page, "remove:stop_if.0")).text
    assert 'name="stop_if.0"' not in removed
    assert (root / BIRD_DOG).read_text() == before
    saved = post_form(editor, "/exercise/bird-dog", sent(removed), follow_redirects=False)
    assert saved.status_code == 422 and (root / BIRD_DOG).read_text() == before  # stop_if needs one


def test_every_page_keeps_third_parties_out_and_out_of_caches(editor: TestClient) -> None:
    for path in (
        "/",
        "/exercise/bird-dog",
        "/routine/"
        + next(p.stem for p in sorted((REPO / "content/routines").glob("*.yaml")) if "." not in p.stem),
    ):
        page = editor.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["cache-control"] == "no-store"
        assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/edit.js" defer>']
        assert "</script>" not in page.text.replace("defer></script>", "") and "style=" not in page.text
    assert editor.get("/exercise/..%2F..%2Fstudio").status_code == 404
