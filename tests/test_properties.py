"""The schema and the checker can never disagree: documents generated from the schemas.

hypothesis-jsonschema generates documents the schema accepts; mutating them gives documents
it rejects. For each, `pipeline check` must reach the same verdict as the schemas (with our
own keywords) and locate every problem; accepted exercises must also render.
"""

from __future__ import annotations

import copy
import json
import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from markupsafe import escape

from pipeline.check import check_project
from pipeline.model import Entry, ExerciseFacts
from pipeline.publish.project import Project
from pipeline.rules.schema import build_validators, load_schemas

TODAY = date(2026, 11, 23)
STUDIO = {"name": "Test Studio", "disclaimer": "These instructions do not replace advice from your doctor."}
SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
BASE_EXERCISE = {
    "title": "Base exercise",
    "summary": "A base exercise for routines.",
    "status": "published",
    "kind": "strength",
    "level": "advanced",
    "steps": ["Do it."],
    "stop_if": ["Pain"],
    "dosage": {"reps": 10, "sets": 2, "sides": "none"},
    "images": [],
    "review": {"reviewed_by": "Tester", "reviewed_on": "2026-11-01"},
}


def yaml_text(doc: dict[str, Any]) -> str:
    """JSON is YAML, except that YAML escapes characters outside the BMP as \\U........ and does
    not allow some characters raw: write those raw or escaped as YAML wants."""
    text = json.dumps(doc, ensure_ascii=False)
    return "".join(c if _yaml_printable(c) else f"\\u{ord(c):04x}" for c in text)


def _yaml_printable(c: str) -> bool:
    code = ord(c)
    return (
        code in (0x9, 0xA, 0xD, 0x85)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )


def write_project(root: Path, exercises: list[dict[str, Any]], routines: list[dict[str, Any]]) -> None:
    """Each document is written as it was generated (JSON is YAML), with nothing reformatted."""
    for folder, docs in (("exercises", exercises), ("routines", routines)):
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
        for doc in docs:
            (root / "content" / folder / f"{doc['id']}.yaml").write_text(yaml_text(doc), "utf-8")
    (root / "content" / "studio.yaml").write_text(json.dumps(STUDIO), "utf-8")


def schema_verdict(root: Path, kind: str, doc: dict[str, Any], facts: dict[str, ExerciseFacts]) -> bool:
    validator = build_validators(root / "content", facts)[kind]
    return not any(True for _ in validator.iter_errors(doc))


def assert_located(result: Any, root: Path) -> None:
    for d in result.diagnostics:
        lines = (root / d.file).read_text("utf-8").splitlines() or [""]
        assert 1 <= d.line <= len(lines), d
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d


@cache
def documents(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """Documents of the schema's shape. The safety limits' if/then blocks are left out of the
    generator (hypothesis-jsonschema needs about a minute to digest them) and applied after,
    by `within_limits`; the verdict is always the full schema's."""
    schema = copy.deepcopy(load_schemas()[kind])
    schema.pop("allOf", None)
    return from_schema(schema)


def limits_for(doc: dict[str, Any]) -> dict[str, Any] | None:
    for kind_block in load_schemas()["exercise"]["$defs"]["safetyLimits"]["allOf"]:
        if kind_block["if"]["properties"]["kind"]["const"] == doc.get("kind"):
            for level_block in kind_block["then"]["allOf"]:
                if level_block["if"]["properties"]["level"]["const"] == doc.get("level"):
                    return level_block["then"]["properties"]["dosage"]
    return None


def within_limits(doc: dict[str, Any], data: Any) -> dict[str, Any]:
    """Most of the time, bring the dosage inside its kind's and level's limits."""
    limits, dosage = limits_for(doc), doc.get("dosage")
    if limits and isinstance(dosage, dict) and data.draw(st.integers(0, 4)) < 4:  # 0 is drawn most
        for name, bounds in limits["properties"].items():
            if name in dosage or name in limits.get("required", []):
                dosage[name] = data.draw(st.integers(bounds["minimum"], bounds["maximum"]))
        if "hold_seconds" in dosage and "x-max-hold-per-side" in limits:
            dosage["reps"] = max(1, min(dosage["reps"], 120 // dosage["hold_seconds"]))
        if doc.get("status") == "published":
            doc["review"] = {
                **(doc.get("review") or {}),
                "reviewed_by": "Tester",
                "reviewed_on": "2026-11-01",
            }
    return doc


def schema_documents(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    shaped = st.deferred(lambda: documents(kind))
    if kind != "exercise":
        return shaped
    return st.tuples(shaped, st.data()).map(lambda pair: within_limits(*pair))


def exercises_without_files(doc: dict[str, Any]) -> dict[str, Any]:
    doc.pop("images", None)  # would name files that do not exist: a cross-file rule
    return doc


@SETTINGS
@given(schema_documents("exercise").map(exercises_without_files))
def test_generated_exercises_get_the_schemas_verdict_and_render(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, [doc], [])
        accepted = schema_verdict(root, "exercise", doc, {})
        result = check_project(root, today=TODAY, jobs=1, full_documents=True)
        assert_located(result, root)
        assert (not result.errors) == accepted, [d.message for d in result.errors]
        if accepted:
            project = Project.from_library(result.library)
            entry = Entry("exercise", doc["id"])
            html = project.handout_html(entry)
            assert str(escape(doc["title"])) in html
            project.snippet_html(entry, media_url="../media/", pdf_url="x.pdf")
            from pipeline.publish.pdf import render_pdf

            assert render_pdf(html, project.pdf_settings).pdf.startswith(b"%PDF")


def with_known_exercises(doc: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    ids = sorted({item["exercise"] for item in doc["exercises"]})
    return doc, [{"id": i, **BASE_EXERCISE} for i in ids if i != doc["id"]]


@SETTINGS
@given(schema_documents("routine").map(with_known_exercises))
def test_generated_routines_get_the_schemas_verdict(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    doc, exercises = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, exercises, [doc])
        facts = {e["id"]: ExerciseFacts(e["kind"], e["level"], e["dosage"]) for e in exercises}
        accepted = schema_verdict(root, "routine", doc, facts)
        result = check_project(root, today=TODAY, jobs=1)
        assert_located(result, root)
        cross_file = {"duplicate-id", "unknown-exercise", "id-mismatch"}
        schema_errors = [d for d in result.errors if d.rule not in cross_file]
        assert (not schema_errors) == accepted, [d.message for d in schema_errors]


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@SETTINGS
@given(schema_documents("exercise").map(exercises_without_files), st.data())
def test_mutated_exercises_are_rejected_exactly_when_the_schemas_reject_them(
    doc: dict[str, Any], data: Any
) -> None:
    target: Any = doc
    keys = sorted(doc)
    key = data.draw(st.sampled_from(keys))
    if isinstance(doc[key], dict) and doc[key] and data.draw(st.booleans()):
        target, key = doc[key], data.draw(st.sampled_from(sorted(doc[key])))
    target[key] = data.draw(ODD_VALUES)
    if not isinstance(doc.get("id"), str) or not doc["id"] or "/" in doc["id"] or doc["id"].startswith("."):
        doc["id"] = "mutated"  # the file is named by the id; the id's own rules are covered by cases
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, [doc], [])
        text = (root / "content/exercises" / f"{doc['id']}.yaml").read_text()
        if "NaN" in text or "Infinity" in text:
            return  # JSON's NaN is not YAML's .nan: a different document, covered by the cases
        accepted = schema_verdict(root, "exercise", doc, {})
        result = check_project(root, today=TODAY, jobs=1)
        assert_located(result, root)
        errors = [d for d in result.errors if d.rule != "id-mismatch"]
        assert (not errors) == accepted, [d.message for d in errors]
