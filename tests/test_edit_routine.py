"""`pipeline edit`: a routine's page through plain HTTP forms. Its exercises are chosen from
the published exercises of the library by title, ordered with Move up and Move down, and a
dosage override over the safety limits is refused beside its field in the words of
`pipeline check`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run
from starlette.testclient import TestClient
from test_edit import post_form, problems_on, read_form, sent

from pipeline.edit.app import EditConfig, create_app

ROUTINE = "content/routines/home-hamstring-care.yaml"
PAGE = "/routine/home-hamstring-care"


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


def chosen(page: str) -> list[str]:
    return [
        value for name, value in read_form(page).fields if re.fullmatch(r"exercises\.\d+\.exercise", name)
    ]


def test_exercises_are_chosen_from_the_published_ones_by_title(editor: TestClient, root: Path) -> None:
    pelvic = root / "content/exercises/pelvic-tilt.yaml"
    pelvic.write_text(pelvic.read_text().replace("status: published", "status: draft"))
    page = editor.get(PAGE).text
    form = read_form(page)
    assert form.labels["f-exercises-0-exercise"] == "Exercise (required)"
    select = re.search(r'<select id="f-exercises-0-exercise".*?</select>', page, re.S)
    assert select
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', select.group(0))
    assert ("cat-cow", " selected", "Cat–cow") in options
    assert ("bird-dog", "", "Bird-dog") in options
    assert "pelvic-tilt" not in [value for value, _, _ in options]  # a draft is not offered
    titles = [text for _, _, text in options]
    assert titles == sorted(titles, key=str.casefold)
    twin = root / "content/exercises/bird-dog-2.yaml"  # a second "Bird-dog": told apart by id
    twin.write_text(
        (root / "content/exercises/bird-dog.yaml").read_text().replace("id: bird-dog", "id: bird-dog-2")
    )
    again = editor.get(PAGE).text
    assert '<option value="bird-dog">Bird-dog (bird-dog)</option>' in again
    assert '<option value="bird-dog-2">Bird-dog (bird-dog-2)</option>' in again
    assert chosen(page) == [
        "cat-cow",
        "supine-hamstring-stretch-strap",
        "kneeling-hip-flexor-stretch",
        "glute-bridge",
    ]


def test_exercises_are_ordered_added_and_saved(editor: TestClient, root: Path) -> None:
    page = editor.get(PAGE).text
    moved = post_form(editor, PAGE, sent(page, "down:exercises.0")).text
    assert chosen(moved)[:2] == ["supine-hamstring-stretch-strap", "cat-cow"]
    added = post_form(editor, PAGE, sent(moved, "add:exercises")).text
    assert "Choose an exercise" in added and "Exercise 5" in added
    answer = post_form(
        editor, PAGE, sent(added, **{"exercises.4.exercise": "bird-dog"}), follow_redirects=False
    )
    assert answer.status_code == 303, problems_on(answer.text)
    text = (root / ROUTINE).read_text()
    assert re.findall(r"- exercise: (\S+)", text) == [
        "supine-hamstring-stretch-strap",
        "cat-cow",
        "kneeling-hip-flexor-stretch",
        "glute-bridge",
        "bird-dog",
    ]
    assert (
        "dosage: {hold_seconds: 20, reps: 3}" in text and "note: Warm up first." in text
    )  # moved with theirs
    assert run(root, "check", str(root / ROUTINE)).exit_code == 0


def test_an_unsafe_dosage_override_is_refused_beside_its_field_in_the_checks_words(
    editor: TestClient, root: Path
) -> None:
    path = root / ROUTINE
    before = path.read_text()
    page = editor.get(PAGE).text
    refused = post_form(editor, PAGE, sent(page, **{"exercises.1.dosage.hold_seconds": "90"}))
    assert refused.status_code == 422
    assert path.read_text() == before
    field = re.search(r'id="f-exercises-1-dosage-hold_seconds".*?</div>', refused.text, re.S)
    assert field and 'value="90"' in field.group(0)
    assert "a beginner static stretch allows at most 30 s" in " ".join(problems_on(field.group(0)))
    path.write_text(before.replace("hold_seconds: 20", "hold_seconds: 90"))
    printed = re.findall(r"error: (.*) \[routine-dosage-limit\]", run(root, "check", str(path)).output)
    assert len(printed) == 2 and sorted(map(html.unescape, problems_on(refused.text))) == sorted(printed)


def test_each_override_says_the_exercises_own_dosage_it_would_replace(editor: TestClient) -> None:
    page = editor.get(PAGE).text
    hold = re.search(r'id="f-exercises-1-dosage-hold_seconds-help">(.*?)</span>\n', page, re.S)
    assert hold and "Lying hamstring stretch with a strap&#39;s own: 30. Left empty, it stays." in hold.group(
        1
    )
    assert 'aria-describedby="f-exercises-1-dosage-hold_seconds-help"' in page
    days = re.search(r'id="f-exercises-0-dosage-frequency-days_per_week-help">(.*?)</span>\n', page, re.S)
    assert days and "Cat–cow&#39;s own: 7." in days.group(1)
    moved = post_form(editor, PAGE, sent(page, "up:exercises.1")).text  # it follows its exercise
    hold = re.search(r'id="f-exercises-0-dosage-hold_seconds-help">(.*?)</span>\n', moved, re.S)
    assert hold and "Lying hamstring stretch with a strap&#39;s own: 30." in hold.group(1)
