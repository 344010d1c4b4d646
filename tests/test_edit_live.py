"""Live checking in `pipeline edit` (issue 23 item 4, its JavaScript part), through HTTP as
static/edit.js sends it: the form's state to /check/<kind>/<id>, and back, by the id of the
control each belongs beside, the very messages Save refuses with. Guarded like every POST;
nothing written. (In Chromium: tests/test_edit_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_edit import BIRD_DOG, UNSAFE, post_form, problems_on, sent

from pipeline.edit.app import EditConfig, create_app
from pipeline.edit.fields import Field, controls, form_of
from pipeline.edit.live import merged_data
from pipeline.edit.values import data_from_form
from pipeline.edit.yamledit import edited_text
from pipeline.load.yaml import Document, load_bytes

CHECK = "/check/exercise/bird-dog"


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


def live(editor: TestClient, **changes: str) -> Any:
    page = editor.get("/exercise/bird-dog").text
    fields = [(k, v) for k, v in sent(page, **changes) if k != "button"]
    answer = post_form(editor, CHECK, fields, headers={"Origin": "http://127.0.0.1:8002"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"
    return answer.json()


def test_a_fields_problem_comes_back_by_its_controls_id_in_the_words_save_uses(
    editor: TestClient, root: Path
) -> None:
    before = (root / BIRD_DOG).read_text()
    found = live(editor, **{"dosage.hold_seconds": "45"})
    assert any(UNSAFE in text for text in found["errors"]["f-dosage-hold_seconds"])
    assert found["count"] == 2
    page = editor.get("/exercise/bird-dog").text
    refused = post_form(editor, "/exercise/bird-dog", sent(page, **{"dosage.hold_seconds": "45"}))
    shown = [text for texts in found["errors"].values() for text in texts]
    assert sorted(shown) == sorted(problems_on(refused.text))  # the same messages as Save's
    assert (root / BIRD_DOG).read_text() == before


def test_a_form_with_nothing_wrong_has_no_errors_and_keeps_its_warnings(editor: TestClient) -> None:
    found = live(editor, **{"dosage.hold_seconds": "10"})
    assert found["errors"] == {} and found["count"] == 0
    assert "no image" in " ".join(found["general"])


def test_every_problem_has_a_place_on_the_page(editor: TestClient) -> None:
    found = live(editor, **{"dosage.hold_seconds": "45", "title": "Bird-dog " * 40})
    page = editor.get("/exercise/bird-dog").text
    places = set(re.findall(r'class="said" data-for="([^"]+)"', page))
    assert set(found["errors"]) <= places
    assert "f-title" in found["errors"]


def test_live_checking_needs_the_forms_token_and_its_own_origin(editor: TestClient) -> None:
    page = editor.get("/exercise/bird-dog").text
    fields = [(k, v) for k, v in sent(page) if k not in ("button", "csrf")]
    assert post_form(editor, CHECK, fields).status_code == 403
    other = post_form(editor, CHECK, sent(page), headers={"Origin": "http://evil.example"})
    assert other.status_code == 403
    assert post_form(editor, "/check/exercise/no-such", sent(page)).status_code == 404


def test_the_script_is_packaged_and_the_page_works_without_it(editor: TestClient) -> None:
    script = editor.get("/static/edit.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "data-live-check" in script.text  # the address comes from the page
    page = editor.get("/exercise/bird-dog").text
    assert 'data-live-check="/check/exercise/bird-dog"' in page
    assert 'id="live-status" role="status"' in page


@pytest.mark.parametrize("changes", [{}, {"dosage.hold_seconds": "12"}, {"summary": ""}, {"cues.0": ""}])
def test_live_checking_checks_the_very_data_save_would_write(root: Path, changes: dict[str, str]) -> None:
    """For every starter exercise: merged_data gives what ruamel's round trip writes, read
    back (the live check skips the round trip, not a value)."""
    for path in sorted((root / "content/exercises").glob("*.yaml")):
        if "." in path.stem:
            continue
        text = path.read_text("utf-8") + "x-studio-note: a key the form does not know\n"
        on_disk = load_bytes(text.encode(), Document(path.name, None)).data
        spec = form_of("exercise")
        fields = [(name, value) for name, value in form_fields(spec, on_disk)]
        posted: dict[str, list[str]] = {}
        for name, value in fields:
            posted.setdefault(name, []).append(changes.get(name, value))
        data = {**(data_from_form(spec, posted) or {}), "id": path.stem}
        saved = load_bytes(edited_text(text, data, spec).encode(), Document(path.name, None)).data
        assert merged_data(on_disk, data, spec) == saved, path.name


def form_fields(spec: Field, data: Any, name: str = "") -> list[tuple[str, str]]:
    """What the page's form posts for `data`: every control's name and value."""
    control = controls(spec, data, {}, name)
    found: list[tuple[str, str]] = []

    def walk(c: Any) -> None:
        if c.spec.kind in ("group", "list"):
            for child in (*c.children, *c.items):
                walk(child)
        elif c.spec.kind == "choices":
            found.extend((c.name, value) for value in c.value)
        elif not c.spec.read_only:
            found.append((c.name, c.value))

    walk(control)
    return found


def test_a_required_field_left_empty_is_said_beside_that_field(editor: TestClient) -> None:
    found = live(editor, title="", **{"dosage.hold_seconds": ""})
    assert any("`title` is missing" in text for text in found["errors"]["f-title"])
    assert any("`hold_seconds` is missing" in text for text in found["errors"]["f-dosage-hold_seconds"])
    page = editor.get("/exercise/bird-dog").text
    refused = post_form(editor, "/exercise/bird-dog", sent(page, title=""))
    field = re.search(r'id="f-title".*?</div>', refused.text, re.S)
    assert field and "`title` is missing" in field.group(0)  # Save's page, the same place
