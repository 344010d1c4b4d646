"""Staff's words (issue 25, item 2): every desk message about a dosage says the value, the
limit and the fix as a receptionist would, the source on a smaller line, and the older
adults' range only where the limit in force lies in it. One rule, two audiences: the words
come from the schema error the check reads, so a studio's own schema/ changes them too,
and `pipeline check` keeps its own precise words (tests/cases are unchanged).

Driven through HTTP as the page's form sends it ("Check dosage" on one exercise)."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from deskkit import CLIENT
from starlette.testclient import TestClient

from pipeline.check import check_project
from pipeline.desk.app import DeskConfig, create_app

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 24)
STRETCH = "The studio's limit for a beginner static stretch"
TOO_LONG = (
    "No muscle is held for more than two minutes in a session (ACSM suggests about 60 s in total per muscle)."
)

# (exercise, what is typed, the field refused, what the desk says, the smaller line)
STARTER = [
    (
        "knee-to-chest",
        {"hold_seconds": "45"},
        "hold_seconds",
        "Hold for 45 seconds is too long for this stretch at beginner level: enter 30 or less.",
        f"{STRETCH} (ACSM: hold 10–30 s).",
    ),
    (
        "knee-to-chest",
        {"hold_seconds": "5"},
        "hold_seconds",
        "Hold for 5 seconds is too short for this stretch at beginner level: enter 10 or more.",
        f"{STRETCH} (ACSM: hold 10–30 s).",
    ),
    (
        "knee-to-chest",
        {"reps": "9"},
        "reps",
        "9 times is too many for this stretch at beginner level: enter 4 or fewer.",
        f"{STRETCH} (ACSM: 2–4 repetitions).",
    ),
    (
        "bird-dog",
        {"hold_seconds": "20", "reps": "8"},
        "",
        "Holding 20 seconds 8 times is 160 seconds on each side, more than the 120 seconds in all "
        "that this hold exercise allows: enter a hold of 15 seconds or less, or 6 times or fewer.",
        TOO_LONG,
    ),
    (
        "glute-bridge",
        {"reps": "16"},
        "reps",
        "16 times is too many for this strengthening exercise at beginner level: enter 15 or fewer.",
        # 15 is the older adults' range alone: this studio's limit uses it, so it is said
        "The studio's limit for a beginner strength exercise (ACSM: novices 8–12, older adults 10–15).",
    ),
    (
        "glute-bridge",
        {"sets": "4"},
        "sets",
        "4 sets is too many for this strengthening exercise at beginner level: enter 3 or fewer.",
        "The studio's limit for a beginner strength exercise (ACSM: novices 1–3 sets).",
    ),
    (
        "knee-to-chest",
        {"frequency_times_per_day": "0"},
        "frequency_times_per_day",
        "0 times a day is too few for this stretch: enter 1 or more.",
        "",  # the schema's plain bound: nothing more to say
    ),
]


def desk_on(root: Path) -> Iterator[TestClient]:
    app = create_app(DeskConfig(root=root, today=lambda: TODAY, workers=1, watch=False))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        yield client


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("desk-words")
    shutil.copytree(REPO / "content", root / "content")
    yield from desk_on(root)


@pytest.fixture(scope="module")
def studio_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An intermediate stretch, and a studio's own schema/ allowing at most 12 repetitions."""
    root = tmp_path_factory.mktemp("desk-words-studio")
    shutil.copytree(REPO / "content", root / "content")
    hip = root / "content" / "exercises" / "kneeling-hip-flexor-stretch.yaml"
    hip.write_text(hip.read_text().replace("level: beginner", "level: intermediate"))
    (root / "schema").mkdir()
    own = {"properties": {"dosage": {"properties": {"reps": {"maximum": 12}}}}}
    (root / "schema" / "exercise.schema.json").write_text(json.dumps(own))
    return root


@pytest.fixture(scope="module")
def studio(studio_root: Path) -> Iterator[TestClient]:
    yield from desk_on(studio_root)


def said_for(desk: TestClient, exercise: str, typed: dict[str, str], field: str) -> tuple[str, str]:
    """What the desk says beside the refused field (or the exercise's dosage as a whole)."""
    page = desk.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    form = {"csrf": csrf.group(1), "client": CLIENT, "entry": [exercise], "check": exercise}
    form.update({f"dose.{exercise}.{name}": value for name, value in typed.items()})
    response = desk.post("/", data=form)
    assert response.status_code == 422
    key = re.escape(f"dose.{exercise}.{field}")
    message = re.search(rf'class="problem" id="p-{key}">([^<]+)<', response.text)
    why = re.search(rf'class="why"( id="w-{key}")?>([^<]+)<', response.text)
    assert message, response.text[-3000:]
    return html.unescape(message.group(1)), html.unescape(why.group(2)) if why else ""


@pytest.mark.parametrize(("exercise", "typed", "field", "message", "why"), STARTER)
def test_the_desk_says_the_value_the_limit_and_the_fix(
    starter: TestClient, exercise: str, typed: dict[str, str], field: str, message: str, why: str
) -> None:
    assert said_for(starter, exercise, typed, field) == (message, why)


def test_a_hold_refused_alone_is_said_once_not_again_as_hold_times_reps(starter: TestClient) -> None:
    # 45 × 3 is also over 120 s; "enter 30 or less" is the one fix to make first
    page = starter.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    form = {"csrf": csrf.group(1), "entry": ["knee-to-chest"], "check": "knee-to-chest"}
    response = starter.post("/", data={**form, "dose.knee-to-chest.hold_seconds": "45"})
    assert re.findall(r'class="problem"[^>]*>([^<]+)<', response.text) == [
        "Hold for 45 seconds is too long for this stretch at beginner level: enter 30 or less."
    ]


def test_the_older_adults_range_is_said_where_the_limit_in_force_lies_in_it(studio: TestClient) -> None:
    assert said_for(studio, "kneeling-hip-flexor-stretch", {"hold_seconds": "50"}, "hold_seconds") == (
        "Hold for 50 seconds is too long for this stretch at intermediate level: enter 45 or less.",
        "The studio's limit for an intermediate static stretch "
        "(ACSM: hold 10–30 s, 30–60 s for older adults).",
    )


def test_a_studios_own_limit_is_the_desks_too_and_the_check_keeps_its_words(
    studio: TestClient, studio_root: Path
) -> None:
    assert said_for(studio, "glute-bridge", {"reps": "13"}, "reps") == (
        "13 times is too many for this strengthening exercise: enter 12 or fewer.",
        "This studio's own limit (its schema/).",
    )
    bridge = studio_root / "content" / "exercises" / "glute-bridge.yaml"
    original = bridge.read_text()
    try:
        bridge.write_text(original.replace("reps: 10", "reps: 13"))
        checked = check_project(studio_root, today=TODAY)
    finally:
        bridge.write_text(original)
    assert "dosage.reps is 13; it must be at most 12" in [d.message for d in checked.errors]
