"""Preview in `pipeline edit` (issue 23 item 5), through plain HTTP forms: the handout of the
form's unsaved state, made by the build's renderer, in the layout and language chosen, beside
the form; the project's files untouched; a form the check refuses shows its errors instead."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run
from pdfkit import text_runs
from starlette.testclient import TestClient
from test_edit import BIRD_DOG, UNSAFE, post_form, read_form, sent

from pipeline.edit.app import EditConfig, create_app

PAGE = "/exercise/bird-dog"


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


def tree(root: Path) -> dict[str, str]:
    """Every file under the project, by its bytes' hash: what a preview must leave alone."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def preview(editor: TestClient, **changes: str) -> tuple[str, bytes]:
    """Press Preview on bird-dog's page with `changes` typed in: the page, and its PDF."""
    page = editor.get(PAGE).text
    answer = post_form(editor, PAGE, sent(page, "preview", **changes))
    assert answer.status_code == 200, answer.text
    found = re.search(r'<iframe src="(/preview/[\w-]+)"', answer.text)
    assert found, "no preview beside the form"
    pdf = editor.get(found.group(1))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    assert pdf.headers["content-security-policy"] == "frame-ancestors 'self'"
    return answer.text, pdf.content


def words(pdf: bytes) -> str:
    return " ".join(run.text for run in text_runs(pdf))


def test_the_page_offers_preview_with_every_layout_and_the_entrys_languages(editor: TestClient) -> None:
    form = read_form(editor.get(PAGE).text)
    assert any("Preview" in text for _, _, text in form.buttons)
    assert form.labels["preview-layout"] == "Layout" and form.labels["preview-language"] == "Language"
    page = editor.get(PAGE).text
    assert re.findall(r'<option value="(\w+)"[^>]*>(Standard|Large print|Compact)<', page) == [
        ("standard", "Standard"),
        ("compact", "Compact"),
        ("large", "Large print"),
    ]
    assert '<option value="es">Spanish</option>' in page  # bird-dog.es.yaml exists


def test_preview_prints_the_unsaved_form_and_changes_no_file(editor: TestClient, root: Path) -> None:
    before = tree(root)
    page, pdf = preview(editor, **{"dosage.hold_seconds": "10", "steps.1": "Reach one arm forward slowly."})
    assert "Hold 10 seconds" in words(pdf) and "Reach one arm forward slowly." in words(pdf)
    assert 'value="10"' in page and "nothing was saved" in page
    assert tree(root) == before  # not the file, not build/, not a cache inside the project


def test_an_unchanged_form_previews_as_the_very_pdf_pipeline_build_makes(
    editor: TestClient, root: Path, tmp_path: Path
) -> None:
    _, pdf = preview(editor)
    out = tmp_path / "out"
    assert run(root, "build", "--only", "bird-dog", "--no-html", "--out", str(out)).exit_code == 0
    assert pdf == (out / "pdf/exercises/bird-dog.pdf").read_bytes()


def test_preview_in_large_print_and_in_spanish(editor: TestClient) -> None:
    _, standard = preview(editor)
    page, large = preview(editor, preview_layout="large", preview_language="es")
    assert "Large print layout, in Spanish" in page
    assert "Perro de caza" in words(large)
    sizes = [run.size for run in text_runs(large) if run.text.strip().startswith("Mantenga")]
    assert sizes and min(sizes) >= 17.5  # large print: 18 pt and up
    assert max(run.size for run in text_runs(standard) if "Kneel on all fours" in run.text) < 17.5


def test_a_form_the_check_refuses_shows_its_errors_instead_of_a_preview(
    editor: TestClient, root: Path
) -> None:
    before = tree(root)
    page = editor.get(PAGE).text
    refused = post_form(editor, PAGE, sent(page, "preview", **{"dosage.hold_seconds": "45"}))
    assert refused.status_code == 422
    assert "No preview: the check found 2 problems to fix first" in refused.text
    field = re.search(r'id="f-dosage-hold_seconds".*?</div>', refused.text, re.S)
    assert field and UNSAFE in field.group(0)
    assert "<iframe" not in refused.text and tree(root) == before


def test_a_preview_is_for_the_browser_that_asked_and_no_one_else(editor: TestClient, root: Path) -> None:
    page = editor.get(PAGE).text
    answer = post_form(editor, PAGE, sent(page, "preview"))
    url = re.search(r'<iframe src="(/preview/[\w-]+)"', answer.text)
    assert url
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as other:
        assert other.get(url.group(1)).status_code == 404
    editor.cookies.clear()  # the same app, another browser session
    assert editor.get(url.group(1)).status_code == 404
    assert editor.get("/preview/not-a-token").status_code == 404


def test_preview_needs_the_forms_token(editor: TestClient, root: Path) -> None:
    page = editor.get(PAGE).text
    tokenless = [(k, v) for k, v in sent(page, "preview") if k != "csrf"]
    answer = post_form(editor, PAGE, tokenless)
    assert answer.status_code == 403 and "<iframe" not in answer.text
    assert (root / BIRD_DOG).is_file()
