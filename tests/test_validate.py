"""The validator's own keywords and shortcuts agree with plain JSON Schema."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from casekit import CASES
from jsonschema import Draft202012Validator

from pipeline.load.library import load_files
from pipeline.rules.schema import build_validators, load_schemas


def _loadable(path: Path) -> bool:
    return load_files(path.parent, [path])[0].data is not None


REPO = Path(__file__).parent.parent
EXERCISE_FILES = [p for p in sorted(CASES.glob("*/*/content/exercises/*.yaml")) if _loadable(p)]


def _errors(validator: object, data: object) -> list[tuple[str, str]]:
    return sorted((e.json_path, e.message) for e in validator.iter_errors(data))  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.parent.parent.parent.name)
def test_shortcuts_decide_like_standard_json_schema(path: Path) -> None:
    (doc,) = load_files(path.parent.parent.parent, [path])
    content = path.parent.parent
    fast = build_validators(content, {})["exercise"]
    standard = build_validators(content, {}, fast=False)["exercise"]
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


def _mutations(data: dict, rng: random.Random) -> dict:
    """A copy of `data` with a few values replaced by values of other types and sizes."""
    doc = json.loads(json.dumps(data))
    odd_values = [
        None,
        True,
        0,
        -3,
        7,
        99,
        2.5,
        "",
        "x",
        "a" * 500,
        [],
        ["ab"],
        {},
        {"k": 1},
        "static-stretch",
        "beginner",
        "each",
        10**9,
    ]
    for _ in range(rng.randint(1, 4)):
        target = doc
        path = []
        while isinstance(target, (dict, list)) and target and rng.random() < 0.7:
            key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
            if not isinstance(target[key], (dict, list)):
                break
            path.append(key)
            target = target[key]
        if isinstance(target, dict) and target:
            target[rng.choice(list(target))] = rng.choice(odd_values)
        elif isinstance(target, list) and target:
            target[rng.randrange(len(target))] = rng.choice(odd_values)
    return doc


def test_shortcuts_agree_with_standard_on_mutated_documents() -> None:
    rng = random.Random(2026)
    content = REPO / "content"
    fast = build_validators(content, {})["exercise"]
    standard = build_validators(content, {}, fast=False)["exercise"]
    originals = [d.data for d in load_files(REPO, sorted((content / "exercises").glob("*.yaml")))]
    for _ in range(3000):
        doc = _mutations(rng.choice(originals), rng)
        assert _errors(fast, doc) == _errors(standard, doc), doc
