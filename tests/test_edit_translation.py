"""`pipeline edit`: a translation beside its English, through plain HTTP forms. The library
lists each entry's translations and their state; the page has the English beside each field
item for item, marks the fields whose English changed (with the English it was made from,
from git history); Save writes what `pipeline translate update` would, after the check."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, publish_spanish, run
from starlette.testclient import TestClient
from test_edit import post_form, problems_on, read_form, sent

from pipeline.authoring.fmt import formatted
from pipeline.edit.app import EditConfig, create_app

SPANISH = "content/exercises/bird-dog.es.yaml"
ENGLISH = "content/exercises/bird-dog.yaml"
REACH = "Reach one arm forward and the opposite leg back until both are level with your body."
NEW_REACH = "Reach one arm forward and the opposite leg back, no higher than your body."


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


def change_the_english(root: Path) -> None:
    path = root / ENGLISH
    path.write_text(path.read_text().replace(REACH, NEW_REACH))


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=root, check=True
    )


def test_the_library_lists_each_entrys_translations_and_their_state(editor: TestClient, root: Path) -> None:
    row = re.search(r'<a href="/exercise/bird-dog">Bird-dog</a>.*?</tr>', editor.get("/").text, re.S)
    link = '<a href="/exercise/bird-dog/es">Spanish</a>'  # not "... Bird-dog": one link has that name
    assert row and f"{link}: draft</td>" in row.group(0)
    change_the_english(root)
    row = re.search(r'<a href="/exercise/bird-dog">Bird-dog</a>.*?</tr>', editor.get("/").text, re.S)
    assert row and '<span class="warning">draft, 1 field to look at again</span>' in row.group(0)


def test_each_field_is_beside_its_english_item_for_item(editor: TestClient, root: Path) -> None:
    page = editor.get("/exercise/bird-dog/es")
    assert page.status_code == 200
    form = read_form(page.text)
    fields = dict(form.fields)
    assert fields["steps.1"] == (
        "Estire un brazo hacia adelante y la pierna contraria hacia atrás hasta que los dos "
        "queden a la altura del cuerpo."
    )
    assert fields["variations.0.name"] == "Solo la pierna" and fields["status"] == "draft"
    assert form.labels["t-steps-1"] == "Step 2 in Spanish"
    assert form.labels["t-variations-0-instructions"] == "Variation 1: instructions in Spanish"
    english = re.search(
        r'id="t-steps-1-en"><span class="visually-hidden">English: </span>([^<]+)<', page.text
    )
    assert english and english.group(1) == REACH
    assert 'aria-describedby="t-steps-1-en"' in page.text
    assert [name for name, _ in form.fields if name.startswith("steps.")] == [f"steps.{i}" for i in range(4)]
    assert "The English changed" not in page.text
    assert all(form.labels.get(control) for control in form.ids), "a control without a label"


def test_a_field_whose_english_changed_is_marked_with_the_english_it_was_made_from(
    editor: TestClient, root: Path
) -> None:
    git(root, "init", "--quiet")
    git(root, "add", "content")
    git(root, "commit", "--quiet", "-m", "starter")
    change_the_english(root)
    page = editor.get("/exercise/bird-dog/es").text
    steps = re.search(r'<fieldset class="side-by-side stale" id="group-steps">.*?</fieldset>', page, re.S)
    assert steps, "the steps are not marked"
    assert "The English changed since this was translated." in steps.group(0)
    assert (
        f"It was translated from: “Tighten your stomach gently, as if bracing for a light push. / {REACH}"
        in (steps.group(0))
    )
    assert NEW_REACH in steps.group(0)
    assert page.count("The English changed since") == 1  # the title, the cues... are not


def test_saving_changes_only_the_text_and_records_the_english_as_translate_update_does(
    editor: TestClient, root: Path, tmp_path: Path
) -> None:
    change_the_english(root)
    other = tmp_path / "other"
    shutil.copytree(root / "content", other / "content")
    before = (root / SPANISH).read_text()
    typed = (
        "Estire un brazo hacia adelante y la pierna contraria hacia atrás, sin pasar la altura del cuerpo."
    )
    page = editor.get("/exercise/bird-dog/es").text
    answer = post_form(
        editor, "/exercise/bird-dog/es", sent(page, **{"steps.1": typed}), follow_redirects=False
    )
    assert answer.status_code == 303, problems_on(answer.text)
    after = (root / SPANISH).read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 4 and changed[0].startswith("-   steps: ") and changed[1].startswith("+   steps: ")
    assert changed[3] == f"+   - {typed}"
    # The same edit by hand, then `pipeline translate update`: the same file.
    by_hand = other / SPANISH
    by_hand.write_text(before.replace(changed[2][2:], f"  - {typed}"))
    assert run(other, "translate", "update", "es", "bird-dog").exit_code == 0
    assert by_hand.read_text() == after
    assert "1 field" not in editor.get("/").text.split("Bird-dog</a>")[1].split("</tr>")[0]
    assert "Saved content/exercises/bird-dog.es.yaml" in editor.get(answer.headers["location"]).text


def test_an_error_of_a_published_translation_is_refused_beside_its_field(
    editor: TestClient, root: Path
) -> None:
    publish_spanish(root)
    before = (root / SPANISH).read_text()
    page = editor.get("/exercise/bird-dog/es").text
    refused = post_form(editor, "/exercise/bird-dog/es", sent(page, **{"steps.2": "Ok"}))
    assert refused.status_code == 422
    assert (root / SPANISH).read_text() == before
    field = re.search(r'id="t-steps-2".*?</div>', refused.text, re.S)
    assert field and ">Ok</textarea>" in field.group(0) and problems_on(field.group(0))
    assert f'<li><a href="#t-steps-2">{problems_on(field.group(0))[0]}</a></li>' in refused.text
    held = "  - Mantenga la posición con la espalda quieta y las caderas niveladas."
    (root / SPANISH).write_text(before.replace(held, "  - Ok"))
    printed = re.findall(r"error: (.*) \[[a-z-]+\]", run(root, "check", str(root / SPANISH)).output)
    assert problems_on(field.group(0)) == printed  # the check's own words


def test_a_save_over_a_translation_changed_on_disk_is_refused(editor: TestClient, root: Path) -> None:
    page = editor.get("/exercise/bird-dog/es").text
    theirs = (root / SPANISH).read_text().replace("Perro de caza", "Perro cazador")
    (root / SPANISH).write_text(theirs)
    refused = post_form(editor, "/exercise/bird-dog/es", sent(page, title="Perro de muestra"))
    assert refused.status_code == 409 and "changed on disk since you opened it" in refused.text
    assert (root / SPANISH).read_text() == theirs
    assert 'value="Perro de muestra"' in refused.text


def test_no_page_for_a_translation_that_is_not_there(editor: TestClient) -> None:
    for path in ("/exercise/bird-dog/fr", "/exercise/nothing/es", "/exercise/bird-dog/..", "/studio/x/es"):
        assert editor.get(path).status_code == 404, path


def test_a_translation_not_there_yet_is_started_from_the_library_as_a_draft(
    editor: TestClient, root: Path
) -> None:
    (root / SPANISH).unlink()
    row = re.search(r'<a href="/exercise/bird-dog">Bird-dog</a>.*?</tr>', editor.get("/").text, re.S)
    assert (
        row
        and 'href="/exercise/bird-dog/es">Spanish<' in row.group(0)
        and ": not translated</td>" in row.group(0)
    )
    page = editor.get("/exercise/bird-dog/es").text
    assert "There is no Spanish translation of this exercise yet." in page
    assert dict(read_form(page).fields)["steps.0"] == ""
    typed = {"title": "Perro de caza", "review.translated_by": "Lucía Paz"}
    answer = post_form(editor, "/exercise/bird-dog/es", sent(page, **typed), follow_redirects=False)
    assert answer.status_code == 303, problems_on(answer.text)
    assert (root / SPANISH).read_text() == (
        "# yaml-language-server: $schema=../../schema/translation.schema.json\n"
        "status: draft\n"
        "review:\n"
        "  translated_by: Lucía Paz\n"
        "translated_from:\n"
        "  title: 94fa5631ce\n"
        "title: Perro de caza\n"
    )
    assert formatted(root / SPANISH)[0] == formatted(root / SPANISH)[1]
    assert run(root, "check", str(root / SPANISH)).exit_code == 0  # a draft's gaps are warnings
    again = post_form(editor, "/exercise/bird-dog/es", sent(page, **typed))
    assert again.status_code == 409  # started twice: the second is refused, the first kept


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("content/*/*.es.yaml")), ids=str
)
def test_saving_a_starter_translation_unchanged_changes_no_byte(
    editor: TestClient, root: Path, path: str
) -> None:
    before = (root / path).read_bytes()
    kind = "exercise" if "/exercises/" in path else "routine"
    url = f"/{kind}/{Path(path).name.split('.')[0]}/es"
    answer = post_form(editor, url, sent(editor.get(url).text), follow_redirects=False)
    assert answer.status_code == 303, problems_on(answer.text)
    assert (root / path).read_bytes() == before
