"""A studio schema may only tighten (issue 22 item 4), tried as a pull request's schema/ would.

The packaged schemas always apply; a studio's schema/ adds to them. What a studio file can
never do (loosen a limit, drop a pattern, reach outside with $ref, hang the check with a
catastrophic pattern) is also covered by the data-driven cases
tests/cases/invalid/studio-schema-cannot-loosen and studio-schema-refused.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO, run
from deskkit import BS3, CLIENT, STRAP
from starlette.testclient import TestClient

from pipeline.cli import cli
from pipeline.desk.app import DeskConfig, create_app
from pipeline.report import OWN_SCHEMA_NOTE

PACKAGED_WORDS = "dosage.hold_seconds is 600, but a beginner static stretch allows at most 30 s"
STATIC_BEGINNER = {
    "if": {
        "properties": {"kind": {"const": "static-stretch"}, "level": {"const": "beginner"}},
        "required": ["kind", "level"],
    }
}
# A studio that allows a beginner static stretch 3 repetitions (ours: 4) and one minute of
# hold × reps (ours: two); every starter exercise is within both.
LOWER = {
    "allOf": [
        {
            **STATIC_BEGINNER,
            "then": {
                "properties": {
                    "dosage": {
                        "properties": {
                            "reps": {
                                "maximum": 3,
                                "x-limit-for": "a beginner static stretch at this studio",
                                "description": "our studio: at most 3 repetitions",
                            }
                        },
                        "x-max-hold-per-side": {"limit": 60, "reason": "our studio's own limit"},
                    }
                }
            },
        }
    ]
}


def own_schema(root: Path, name: str, schema: dict[str, Any]) -> Path:
    path = root / "schema" / f"{name}.schema.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(schema, indent=2), "utf-8")
    return path


def set_dosage(root: Path, exercise: str, old: str, new: str) -> None:
    path = root / "content/exercises" / f"{exercise}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_studio_schema_that_raises_the_hold_limit_to_600_s_fails_in_our_words_and_prints_nothing(
    root: Path, tmp_path: Path
) -> None:
    schema = json.loads((REPO / "schema/exercise.schema.json").read_text("utf-8"))
    beginner = schema["$defs"]["safetyLimits"]["allOf"][0]["then"]["allOf"][0]["then"]
    beginner["properties"]["dosage"]["properties"]["hold_seconds"]["maximum"] = 600
    beginner["properties"]["dosage"]["x-max-hold-per-side"]["limit"] = 6000
    own_schema(root, "exercise", schema)
    set_dosage(root, "knee-to-chest", "hold_seconds: 20\n  reps: 3", "hold_seconds: 600\n  reps: 1")

    check = run(root, "check")
    assert check.exit_code == 1
    assert f"content/exercises/knee-to-chest.yaml:22:17: error: {PACKAGED_WORDS}" in check.output
    looser = re.search(
        r"schema/exercise\.schema\.json:\d+:\d+: warning: dosage\.hold_seconds: maximum 600 .*", check.output
    )
    assert looser and "the pipeline's 30" in looser.group(0) and "[studio-schema-looser]" in looser.group(0)

    build = run(root, "build")
    assert build.exit_code == 1 and PACKAGED_WORDS in build.output
    assert not list((root / "build").rglob("knee-to-chest*"))
    handout = run(root, "handout", "knee-to-chest", "--client", "Ana", "-o", str(tmp_path / "ana.pdf"))
    assert handout.exit_code == 1 and PACKAGED_WORDS in handout.output
    assert not (tmp_path / "ana.pdf").exists()


def test_a_lower_limit_holds_in_the_check_the_build_the_phone_page_and_the_desk(root: Path) -> None:
    own_schema(root, "exercise", LOWER)
    build = run(root, "build", "--no-pdf")
    assert build.exit_code == 0
    assert f"Note: {OWN_SCHEMA_NOTE}." in build.output  # the build's log says which rules held

    # the phone page checks a code's numbers against the studio's lower limits, in its words
    published = [
        json.loads(p.read_text("utf-8")) for p in (root / "build/html/packet/exercises").glob("*.json")
    ]
    strap = next(each for each in published if each["id"] == STRAP)
    assert strap["limits"]["fields"]["reps"]["max"] == 3
    assert (
        "a beginner static stretch at this studio allows at most 3"
        in strap["limits"]["fields"]["reps"]["above"]
    )
    assert strap["limits"]["per_side"] == 60
    bird_dog = next(each for each in published if each["id"] == "bird-dog")  # not a static stretch
    assert bird_dog["limits"]["per_side"] == 120

    # the desk refuses an adjusted dosage the studio's schema refuses, though ours allows it
    app = create_app(DeskConfig(root=root, today=lambda: date(2026, 11, 24), workers=1, watch=False))
    with TestClient(app, base_url="http://127.0.0.1:8001") as desk:
        csrf = re.search(r'name="csrf" value="([^"]+)"', desk.get("/").text)
        assert csrf
        field = f"dose.{STRAP}.reps"
        form = {"csrf": csrf.group(1), "client": CLIENT, "date": "2026-11-24", "entry": [BS3, STRAP]}
        response = desk.post("/", data={**form, field: "4", "check": STRAP})
        assert response.status_code == 422
        refusal = re.search(rf'id="p-{re.escape(field)}">([^<]+)<', response.text)
        # in staff's words (pipeline/desk/words.py), with the studio's own limit, not ours
        assert refusal and "enter 3 or fewer" in refusal.group(1), refusal
        assert "our studio: at most 3 repetitions" in response.text  # its source, smaller
        made = desk.post("/handout", data={**form, field: "4"})
        assert made.status_code == 422

    # and the check refuses the same number written in the exercise
    set_dosage(root, "knee-to-chest", "reps: 3", "reps: 4")
    check = run(root, "check")
    assert check.exit_code == 1
    assert "dosage.reps is 4, but a beginner static stretch at this studio allows at most 3" in check.output


def test_a_catastrophic_pattern_is_matched_in_linear_time_not_hung_on(root: Path) -> None:
    """`^(a+)+$` against 60 a's and a b takes Python's `re` about 2^60 steps; RE2 one pass.
    A hang would end at the timeout and fail the test."""
    own_schema(root, "studio", {"properties": {"name": {"pattern": "^(a+)+$"}}})
    studio = root / "content/studio.yaml"
    text = studio.read_text("utf-8")
    studio.write_text(re.sub(r"(?m)^name: .*$", "name: " + "a" * 60 + "b", text), "utf-8")
    environ = {**os.environ, "PIPELINE_TODAY": "2026-11-24"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(root), "check", str(root / "content/studio.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"content/studio\.yaml:\d+:7: error: name .* is not valid", done.stdout)
    assert "Traceback" not in done.stderr


def test_a_schema_file_that_is_a_link_is_refused_not_followed(root: Path) -> None:
    (root / "schema").mkdir()
    (root / "schema/exercise.schema.json").symlink_to(REPO / "schema/exercise.schema.json")
    check = run(root, "check")
    assert check.exit_code == 1
    assert re.search(
        r"schema/exercise\.schema\.json:1:1: error: .*is a link.*\[studio-schema-refused\]", check.output
    )


def _said(root: Path, fmt: str, summary: Path) -> str:
    result = CliRunner().invoke(
        cli,
        ["--root", str(root), "check", "--format", fmt],
        env={"PIPELINE_TODAY": "2026-11-24", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_every_format_says_a_studio_schema_is_in_force(root: Path, tmp_path: Path, fmt: str) -> None:
    summary = tmp_path / "summary.md"
    without = _said(root, fmt, summary)
    own_schema(root, "studio", {"properties": {"name": {"maxLength": 60}}})
    said = _said(root, fmt, summary)
    assert OWN_SCHEMA_NOTE not in without and OWN_SCHEMA_NOTE in said
    if fmt == "json":
        assert json.loads(without)["studio_schema"] is False
        assert json.loads(said)["studio_schema"] is True and json.loads(said)["note"] == OWN_SCHEMA_NOTE
    elif fmt == "github":
        assert f"::notice title=studio schema::{OWN_SCHEMA_NOTE}" in said.splitlines()
        job_summary = summary.read_text("utf-8")
        assert job_summary.count(OWN_SCHEMA_NOTE) == 1  # the second run's summary, not the first
    elif fmt == "sarif":
        run_ = json.loads(said)["runs"][0]
        assert run_["properties"]["studioSchema"] is True
        notice = run_["invocations"][0]["toolConfigurationNotifications"][0]
        assert notice["message"]["text"] == OWN_SCHEMA_NOTE
        assert "invocations" not in json.loads(without)["runs"][0]


def test_a_copy_of_the_packaged_schema_changes_nothing(root: Path) -> None:
    """A studio that starts from a copy of ours, as the README says, gets no warning."""
    for name in ("exercise", "routine", "studio", "translation"):
        own_schema(root, name, copy.deepcopy(json.loads((REPO / f"schema/{name}.schema.json").read_text())))
    check = run(root, "check")
    assert check.exit_code == 0 and "studio-schema" not in check.output
    assert OWN_SCHEMA_NOTE in check.output
