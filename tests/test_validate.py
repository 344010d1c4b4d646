"""The validator's own keywords and shortcuts agree with plain JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casekit import CASES
from jsonschema import Draft202012Validator

from pipeline.library import load_files
from pipeline.validate import build_validators, load_schemas


def _loadable(path: Path) -> bool:
    return load_files(path.parent, [path])[0].data is not None


EXERCISE_FILES = [p for p in sorted(CASES.glob("*/*/content/exercises/*.yaml")) if _loadable(p)]


def _errors(validator: object, data: object) -> list[tuple[str, str]]:
    return sorted((e.json_path, e.message) for e in validator.iter_errors(data))  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.parent.parent.parent.name)
def test_fast_if_decides_like_the_standard_if(path: Path) -> None:
    (doc,) = load_files(path.parent.parent.parent, [path])
    content = path.parent.parent
    fast = build_validators(content, {})["exercise"]
    standard = build_validators(content, {}, fast_if=False)["exercise"]
    assert _errors(fast, doc.data) == _errors(standard, doc.data)


def test_schemas_are_valid_draft_2020_12() -> None:
    for schema in load_schemas().values():
        Draft202012Validator.check_schema(schema)


def test_every_limit_names_who_it_is_for_and_its_source() -> None:
    limits = load_schemas()["exercise"]["$defs"]["safetyLimits"]["allOf"]
    text = json.dumps(limits)
    assert text.count('"x-limit-for"') == 6 * 3 * 3  # kinds x levels x (hold, reps, sets)
    for kind_block in limits:
        for level_block in kind_block["then"]["allOf"]:
            for field in level_block["then"]["properties"]["dosage"]["properties"].values():
                assert field["description"], field
