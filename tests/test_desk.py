"""`pipeline desk` through HTTP: the packet made from the page's form, every bad input refused
with a clear message and a 4xx status, and nothing about the client kept anywhere.

The browser's side (typing, clicking, the keyboard, with and without JavaScript) is in
test_desk_browser.py; these tests send what a browser would send.
"""

from __future__ import annotations

import asyncio
import html
import io
import re
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from deskkit import BS3, CLIENT, STRAP, check_the_handout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfkit import text_runs
from PIL import Image
from pypdf import PdfReader
from starlette.applications import Starlette
from starlette.testclient import TestClient

from pipeline.check import check_project
from pipeline.desk.app import DeskConfig, create_app
from pipeline.desk.workers import Busy, Job, RenderPool
from pipeline.publish.pdf_settings import PdfSettings
from pipeline.resources import templates_for

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desk")
    shutil.copytree(REPO / "content", root / "content")
    return root


@pytest.fixture(scope="module")
def desk(root: Path) -> Iterator[TestClient]:
    app = create_app(DeskConfig(root=root, today=lambda: TODAY, workers=1, watch=False))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        yield client


def token(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def packet_form(desk: TestClient, entries: list[str], **fields: str) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {"csrf": token(desk), "client": CLIENT, "date": "2026-11-24"}
    form["entry"] = entries
    form.update(fields)
    return form


def problems_on(page: str) -> list[str]:
    return re.findall(r'class="problem"[^>]*>([^<]+)<', page)


def notices_on(page: str) -> list[str]:
    return re.findall(r'<div class="notice" role="alert"><p>([^<]+)</p>', page)


def card_html(page: str, entry_id: str) -> str:
    """The library card (<li>) of an entry, from its title's id to its end."""
    for card in re.findall(r"<li[ >].*?</li>", page, re.S):
        if f'<h3 id="t-{entry_id}">' in card:
            return str(card)
    raise AssertionError(f"no card for {entry_id}")


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


# -- the page ----------------------------------------------------------------------------------


def test_the_page_lists_routines_first_then_exercises_and_drafts_cannot_be_picked(desk: TestClient) -> None:
    page = desk.get("/").text
    titles = re.findall(r'<h3 id="t-([a-z0-9-]+)">', page)
    assert titles[:2] == ["backsystem3-low-back-relief", "home-hamstring-care"]
    assert len(titles) == 11
    draft = card_html(page, "pelvic-tilt")
    assert "Awaiting review" in draft and 'name="add"' not in draft
    assert "10 of 11 entries can be printed." in page


def test_a_card_shows_kind_level_targets_equipment_dosage_and_a_small_clean_photo(desk: TestClient) -> None:
    page = desk.get("/").text
    card = card_html(page, "knee-to-chest")
    assert "Stretch · beginner" in card and "lower back, glutes · mat" in card
    assert "Hold 20 seconds · 3 times · each side · twice a day, every day" in card
    thumbnail = re.search(r'<img src="(/media/[^"]+)"', card)
    assert thumbnail
    response = desk.get(thumbnail.group(1))
    assert response.headers["content-type"] == "image/webp"
    image = Image.open(io.BytesIO(response.content))
    assert image.width == 160 and not image.info.get("exif") and not image.info.get("xmp")
    assert desk.get("/media/..%2f..%2fcontent%2fstudio.yaml").status_code == 404


def test_search_matches_what_pipeline_list_matches_and_filters_narrow_it(desk: TestClient) -> None:
    found = desk.get("/search", params={"q": "hamstring"}).json()["ids"]
    assert BS3 in found and STRAP in found and "knee-to-chest" not in found
    on_bs3 = desk.get("/search", params={"equipment": "BackSystem3"}).json()["ids"]
    assert set(on_bs3) == {BS3, "backsystem3-hamstring-stretch", "backsystem3-low-back-stretch"}
    both = desk.get("/search", params={"q": "hamstring", "target": "hip flexors"}).json()["ids"]
    assert both == ["home-hamstring-care"]  # the routine: its exercises include a hip-flexor stretch
    # without the script, the Search button does the same on the server
    page = desk.post("/", data={"csrf": token(desk), "q": "hamstring", "search": "1"}).text
    assert set(re.findall(r'<h3 id="t-([a-z0-9-]+)">', page)) == set(found)


def test_every_response_keeps_third_parties_out_and_client_pages_out_of_caches(desk: TestClient) -> None:
    desk.cookies.clear()  # a new browser: the desk sets its session cookie
    page = desk.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["cache-control"] == "no-store"
    assert "http://" not in page.text and "https://" not in page.text and "style=" not in page.text
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


# -- making a packet ---------------------------------------------------------------------------


def test_buttons_add_move_and_remove_entries_keeping_the_clients_details(desk: TestClient) -> None:
    form = packet_form(desk, [BS3], add=STRAP, notes="Gently.")
    page = desk.post("/", data=form).text
    assert re.findall(r'name="entry" value="([^"]+)"', page) == [BS3, STRAP]
    assert f'value="{CLIENT}"' in page and ">Gently.</textarea>" in page
    page = desk.post("/", data=packet_form(desk, [BS3, STRAP], up="1")).text
    assert re.findall(r'name="entry" value="([^"]+)"', page) == [STRAP, BS3]
    page = desk.post("/", data=packet_form(desk, [STRAP, BS3], remove="0")).text
    assert re.findall(r'name="entry" value="([^"]+)"', page) == [BS3]


def test_a_hold_above_the_limit_is_refused_in_the_desks_words_from_the_checks_own_rule(
    desk: TestClient, root: Path, tmp_path: Path
) -> None:
    field = f"dose.{STRAP}.hold_seconds"
    response = desk.post("/", data=packet_form(desk, [BS3, STRAP], **{field: "45", "check": STRAP}))
    assert response.status_code == 422
    refusal = re.search(rf'id="p-{re.escape(field)}">([^<]+)<', response.text)
    why = re.search(rf'id="w-{re.escape(field)}">([^<]+)<', response.text)
    assert refusal and why
    assert (
        refusal.group(1)
        == "Hold for 45 seconds is too long for this stretch at beginner level: enter 30 or less."
    )
    # the source, said smaller, without the older adults' range this studio does not allow
    assert (
        html.unescape(why.group(1))
        == "The studio's limit for a beginner static stretch (ACSM: hold 10–30 s)."
    )
    # `pipeline check` on the same exercise with the same hold keeps its precise words
    shutil.copytree(root / "content", tmp_path / "content")
    source = tmp_path / "content" / "exercises" / f"{STRAP}.yaml"
    source.write_text(source.read_text().replace("hold_seconds: 30", "hold_seconds: 45"))
    checked = check_project(tmp_path, today=TODAY)
    assert [d.message for d in checked.errors if d.rule == "safety-limit"] == [
        "dosage.hold_seconds is 45, but a beginner static stretch allows at most 30 s "
        "(ACSM: hold 10–30 s, 30–60 s for older adults)"
    ]
    # and the handout is not made
    made = desk.post("/handout", data=packet_form(desk, [BS3, STRAP], **{field: "45"}))
    assert made.status_code == 422 and made.headers["content-type"].startswith("text/html")


def test_the_handout_has_the_name_the_order_and_the_adjusted_dosage_and_is_not_kept(desk: TestClient) -> None:
    form = packet_form(desk, [STRAP, BS3], **{f"dose.{STRAP}.hold_seconds": "25", "notes": "Slowly."})
    response = desk.post("/handout", data=form)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == 'inline; filename="handout.pdf"'
    check_the_handout(pdf_text(response.content))


def test_an_exercise_asked_for_twice_prints_once_or_is_refused_with_two_dosages(desk: TestClient) -> None:
    # home-hamstring-care holds the strap stretch for 20 s, the exercise on its own for 30 s
    refused = desk.post("/handout", data=packet_form(desk, ["home-hamstring-care", STRAP]))
    assert refused.status_code == 422
    assert f'"{STRAP}" would be printed twice with different dosages' in html.unescape(refused.text)
    added = desk.post("/", data=packet_form(desk, ["home-hamstring-care"], add=STRAP))  # said at once
    assert added.status_code == 422 and "printed twice with different dosages" in added.text
    response = desk.post("/handout", data=packet_form(desk, ["home-hamstring-care", "cat-cow"]))
    assert response.status_code == 200  # cat-cow twice, same dosage: printed once
    assert pdf_text(response.content).count("Moves the spine gently through rounding") == 1


def test_compact_layout_and_a4_are_the_desks_choice_too(desk: TestClient) -> None:
    form = packet_form(desk, ["home-hamstring-care"], page_size="a4", layout="compact")
    response = desk.post("/handout", data=form)
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert round(float(pages[0].mediabox.width)) == 595
    standard = desk.post("/handout", data=packet_form(desk, ["home-hamstring-care"], page_size="a4"))
    assert len(pages) < len(PdfReader(io.BytesIO(standard.content)).pages)


def test_large_print_is_the_desks_choice_too(desk: TestClient) -> None:
    page = desk.get("/").text
    assert 'name="layout" value="large"' in page and "Large print" in page
    form = packet_form(desk, ["knee-to-chest"], layout="large")
    response = desk.post("/handout", data=form)
    assert response.status_code == 200
    sizes = [run.size for run in text_runs(response.content)]
    assert len(sizes) > 50 and min(sizes) >= 17.95  # every text on every page, the tracker's too


# -- bad input: a clear message and a 4xx, never a traceback --------------------------------


BAD_FORMS = [
    ("an unknown id", {"entry": ["knee-to-chst"]}, 400, 'There is no exercise or routine "knee-to-chst"'),
    ("a draft id", {"entry": ["pelvic-tilt"]}, 400, '"Pelvic tilt" is awaiting review'),
    ("adding a draft", {"add": "pelvic-tilt"}, 400, '"Pelvic tilt" is awaiting review'),
    ("a dosage field for an exercise not in the packet", {"dose.glute-bridge.reps": "3"}, 400, "is not one"),
    ("a dosage field that does not exist", {f"dose.{STRAP}.speed": "3"}, 400, "is not one this packet has"),
    ("a move button naming no entry", {"up": "7"}, 400, "names no entry"),
    ("a paper size the page does not offer", {"page_size": "legal"}, 400, "page_size must be one of"),
    ("61 entries", {"entry": ["bird-dog"] * 61}, 413, "at most 60 entries"),
    ("a dosage that is not a number", {f"dose.{STRAP}.reps": "two"}, 422, "Type a whole number"),
    ("a dosage in other digits", {f"dose.{STRAP}.reps": "²"}, 422, "Type a whole number"),
    (
        "a dosage of a million",
        {f"dose.{STRAP}.reps": "1000000"},
        422,
        "1000000 times is too many for this stretch at beginner level: enter 4 or fewer.",
    ),
    ("a name with a control character", {"client": "Zoë\x1b[31m"}, 422, "control character"),
    ("a bell in the notes", {"notes": "ring\x07"}, 422, "control character"),
    ("a date that is not one", {"date": "2026-02-30"}, 422, "Not a date"),
]


@pytest.mark.parametrize(("case", "change", "status", "message"), BAD_FORMS, ids=[c[0] for c in BAD_FORMS])
def test_bad_input_gets_a_clear_message_and_a_4xx(
    desk: TestClient, case: str, change: dict[str, object], status: int, message: str
) -> None:
    form: dict[str, object] = {**packet_form(desk, [STRAP]), **change}
    for path in ("/", "/handout"):
        response = desk.post(path, data=form)  # type: ignore[arg-type]
        assert response.status_code == status, (case, path)
        assert message in html.unescape(response.text)
        assert "Traceback" not in response.text and response.headers["content-type"].startswith("text/html")


def test_the_61st_entry_is_not_added_and_nothing_typed_is_lost(desk: TestClient) -> None:
    ids = [i for i in re.findall(r'name="add" value="([^"]+)"', desk.get("/").text) if i != "knee-to-chest"]
    sixty = (ids * 10)[:60]  # the button refuses an entry already in; a form may repeat one
    response = desk.post("/", data=packet_form(desk, sixty, add="knee-to-chest"))
    assert response.status_code == 422
    assert "was not added: a packet holds at most 60 entries" in html.unescape(response.text)
    assert f'value="{CLIENT}"' in response.text


def test_a_body_over_64_kib_is_refused_before_it_is_read(desk: TestClient) -> None:
    response = desk.post("/", data=packet_form(desk, [STRAP], notes="x" * 70_000))
    assert response.status_code == 413 and "more than 64 KiB" in response.text


def test_making_a_handout_without_a_name_or_an_entry_says_what_is_missing(desk: TestClient) -> None:
    response = desk.post("/handout", data=packet_form(desk, [], client=""))
    assert response.status_code == 422
    assert "Add at least one exercise" in response.text
    assert "Type the client's name" in html.unescape(response.text)


def test_a_post_without_the_pages_token_or_from_another_site_is_refused(desk: TestClient) -> None:
    form = packet_form(desk, [STRAP])
    assert desk.post("/handout", data={**form, "csrf": "forged"}).status_code == 403
    assert desk.post("/handout", data={k: v for k, v in form.items() if k != "csrf"}).status_code == 403
    other = desk.post("/handout", data=form, headers={"Origin": "http://evil.example"})
    assert other.status_code == 403 and "another site" in other.text
    cross = desk.post("/handout", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_a_host_the_desk_does_not_listen_on_is_refused(desk: TestClient) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1."""
    assert desk.get("/", headers={"Host": "evil.example:8001"}).status_code == 400
    assert desk.get("/", headers={"Host": "localhost:8001"}).status_code == 200


# -- privacy -----------------------------------------------------------------------------------


def test_the_client_is_never_written_to_disk_or_to_the_log(tmp_path: Path) -> None:
    """A real desk, in its own process with a temporary folder of its own (nothing else on the
    machine writes there, so the walk cannot be disturbed): after a packet for a client, no
    file under the project or that folder holds the name or the notes, and neither does the log."""
    from urllib.parse import urlencode

    from benchmarks.desk import running_desk, session

    shutil.copytree(REPO / "content", tmp_path / "content")
    private = tmp_path / "tmp"
    private.mkdir()
    name = "Quintessa Example-Client"
    log = tmp_path / "desk.log"
    notes = "private note Zq7QxR-41"
    before = _files_under([tmp_path])
    with running_desk(tmp_path, env={"TMPDIR": str(private)}, log=log) as desk:
        cookie, csrf = session(desk)
        form = [("csrf", csrf), ("client", name), ("notes", notes), ("date", "2026-11-24")]
        form += [("entry", STRAP)]
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"http://{desk.host}:{desk.port}",
        }
        for path in ("/handout", "/"):
            connection = desk.connection()
            connection.request("POST", path, body=urlencode(form).encode(), headers=headers)
            response = connection.getresponse()
            assert response.status == 200, response.read()[:300]
            response.read()
            connection.close()
    text = log.read_text()
    assert name not in text and notes not in text
    assert "POST /handout 200" in text  # the access log: method, path, status only
    for path in _files_under([tmp_path]) - before:
        data = path.read_bytes()
        assert name.encode() not in data and notes.encode() not in data, path


def _files_under(folders: list[Path]) -> set[Path]:
    found: set[Path] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    found.add(path)
            except OSError:
                continue
    return found


# -- a passcode on the network -----------------------------------------------------------------


def test_a_desk_on_the_network_asks_for_the_passcode_once(root: Path) -> None:
    config = DeskConfig(root=root, host="0.0.0.0", passcode="1234-5678-9012", workers=1, watch=False)
    with TestClient(create_app(config), base_url="http://127.0.0.1:8001") as client:
        first = client.get("/", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/login"
        assert client.get("/search", params={"q": "x"}).status_code == 401
        login = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)  # type: ignore[union-attr]
        wrong = client.post("/login", data={"csrf": csrf, "passcode": "0000-0000-0000"})
        assert wrong.status_code == 401 and "not right" in wrong.text
        right = client.post("/login", data={"csrf": csrf, "passcode": "123456789012"}, follow_redirects=False)
        assert right.status_code == 303
        cookie = right.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert client.get("/").status_code == 200


# -- reloading, and the workers ----------------------------------------------------------------


@contextmanager
def desk_on_a_copy(root: Path, watch: bool) -> Iterator[tuple[Starlette, TestClient, Path]]:
    """A desk of its own on a copy of the starter content; yields the app, a browser and the
    bird-dog exercise's file to edit."""
    shutil.copytree(REPO / "content", root / "content")
    app = create_app(DeskConfig(root=root, today=lambda: TODAY, workers=1, watch=watch))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        yield app, client, root / "content" / "exercises" / "bird-dog.yaml"


def test_the_desk_keeps_the_last_good_library_and_names_the_file_to_fix(tmp_path: Path) -> None:
    with desk_on_a_copy(tmp_path, watch=False) as (app, client, source):
        source.write_text(source.read_text().replace("title: Bird-dog", "title: Bird-dog renamed"))
        app.state.desk.library.load(tmp_path, TODAY)
        assert "Bird-dog renamed" in client.get("/").text
        source.write_text(source.read_text().replace("reps: 6", "reps: 600"))
        app.state.desk.library.load(tmp_path, TODAY)
        page = client.get("/").text
        assert "Some content files have errors" in page and "content/exercises/bird-dog.yaml" in page
        assert "Bird-dog renamed" in page  # still printable from the last good library
        made = client.post("/handout", data=packet_form(client, ["bird-dog"]))
        assert made.status_code == 200 and "6 times" in pdf_text(made.content)


def test_a_full_queue_answers_busy_and_the_workers_stop_with_the_desk(root: Path) -> None:
    folders = PdfSettings(templates_for(REPO), root / "content", root / "build" / "cache" / "images")
    pool = RenderPool(folders, workers=1, queue=1)

    async def rush() -> list[object]:
        jobs = [pool.render(Job("<p>one</p>", False, (), ("standard", "letter", "en"))) for _ in range(4)]
        return await asyncio.gather(*jobs, return_exceptions=True)

    results = asyncio.run(rush())
    assert sum(isinstance(r, bytes) for r in results) == 2
    assert sum(isinstance(r, Busy) for r in results) == 2
    workers = list(pool._pool._processes.values())  # type: ignore[union-attr]
    pool.close()
    assert workers and not any(worker.is_alive() for worker in workers)


def test_a_content_file_changed_on_disk_reloads_the_library_by_itself(tmp_path: Path) -> None:
    with desk_on_a_copy(tmp_path, watch=True) as (_, client, source):
        source.write_text(source.read_text().replace("title: Bird-dog", "title: Bird-dog, reloaded"))
        deadline = time.monotonic() + 20
        while "Bird-dog, reloaded" not in client.get("/").text:
            assert time.monotonic() < deadline, "the library was not reloaded"
            time.sleep(0.2)


def test_starting_at_a_learnt_fit_level_gives_the_same_handout(desk: TestClient) -> None:
    """The strap stretch needs the first fit stylesheet in a packet; starting there saves a
    layout and must not change a thing (pipeline/desk/workers.py, FitHints)."""
    from pipeline.desk.library import load_snapshot
    from pipeline.publish.packet import PacketRequest, packet_document
    from pipeline.publish.pdf import render_pdf

    snapshot = load_snapshot(REPO, TODAY)
    project = snapshot.project
    request = PacketRequest(ids=["knee-to-chest", "cat-cow", STRAP], client=CLIENT)
    document = packet_document(project, request, TODAY)
    fresh = render_pdf(document.html, project.pdf_settings, start=0)
    hinted = render_pdf(document.html, project.pdf_settings, start=1)
    learnt = {exercise: fresh.needed.get(anchor) for exercise, anchor in document.anchors}
    assert learnt == {"knee-to-chest": 0, "cat-cow": 0, STRAP: 1}
    assert pdf_text(fresh.pdf) == pdf_text(hinted.pdf)
    assert len(PdfReader(io.BytesIO(fresh.pdf)).pages) == len(PdfReader(io.BytesIO(hinted.pdf)).pages) == 4


def test_a_desk_on_the_network_answers_to_this_computers_names_and_no_other() -> None:
    from pipeline.web.guard import allowed_hosts

    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost"]
    on_the_network = allowed_hosts("0.0.0.0", ["desk.studio.lan"])
    assert socket.gethostname().lower() in on_the_network and "desk.studio.lan" in on_the_network
    assert "0.0.0.0" not in on_the_network and "evil.example" not in on_the_network


def test_a_port_already_taken_is_a_usage_error_with_a_message(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    shutil.copytree(REPO / "content", tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(cli, ["--root", str(tmp_path), "desk", "--no-open", "--port", port])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output


FIELDS = ["entry", "add", "up", "down", "remove", "client", "notes", "date", "page_size", "layout", "q"]
FIELDS += ["target", "equipment", "level", "check", f"dose.{STRAP}.hold_seconds", f"dose.{STRAP}.reps"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(
        st.tuples(
            st.sampled_from(FIELDS), st.one_of(st.sampled_from([STRAP, BS3, "0", "45", ""]), st.text())
        ),
        max_size=8,
    )
)
def test_any_form_gets_a_page_or_a_clear_refusal_never_a_500(
    desk: TestClient, fields: list[tuple[str, str]]
) -> None:
    form: list[tuple[str, str]] = [("csrf", token(desk)), ("entry", STRAP), *fields]
    body = urlencode(form).encode()
    response = desk.post("/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code in (200, 400, 413, 422), response.text[:500]
    assert "Traceback" not in response.text


# The desk in Spanish, and what stops a packet in it: tests/test_desk_languages.py
