"""The numeric limits on an exercise's dosage, read from every schema in force.

The desk's dosage check validates against the schemas themselves; what shows a limit as a
number (the phone page's data, the hold-in-text rule) reads it here: every `minimum`,
`maximum` and `x-max-hold-per-side` along the `allOf`/`$ref`/`if` branches an exercise's
kind and level take, in the packaged schema and then in a studio's own. The stricter of each
is the one that holds, since a document must pass both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema.protocols import Validator

from pipeline.rules.studio_schema import validators_in_force


@cache
def exercise_validators(schema_dir: Path | None = None) -> tuple[Validator, ...]:
    """The exercise schema's validators, packaged first, then the studio's (`schema_dir`)."""
    # A dosage has no file paths in it, so the content folder is never read.
    return validators_in_force(Path("content"), {}, schema_dir=schema_dir)["exercise"]


def dosage_schemas(validators: Sequence[Validator], instance: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema, in every layer, that applies to the dosage of `instance`."""
    for validator in validators:
        yield from _dosage_schemas(validator, validator.schema, instance)


def _dosage_schemas(validator: Validator, node: Any, instance: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    if not isinstance(node, Mapping):
        return
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        yield from _dosage_schemas(validator, _pointed(validator.schema, reference), instance)
    for sub in node.get("allOf", []):
        yield from _dosage_schemas(validator, sub, instance)
    if "if" in node:
        taken = "then" if validator.evolve(schema=node["if"]).is_valid(instance) else "else"
        yield from _dosage_schemas(validator, node.get(taken), instance)
    dosage = node.get("properties", {}).get("dosage")
    if isinstance(dosage, Mapping):
        yield dict(dosage)


def _pointed(schema: Any, reference: str) -> Any:
    """What a local `#/...` reference names, or None (the check itself reports a bad one)."""
    target = schema
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, Mapping):
            target = target.get(part)
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def field_schema(dosage_schema: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any]:
    """The schema of one dosage field (`("hold_seconds",)`) inside a dosage schema."""
    node: Any = dosage_schema
    for key in path:
        node = node.get("properties", {}).get(key, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}


class HoldLimit(NamedTuple):
    seconds: int
    who: str  # "a beginner static stretch", or "" when no schema says
    source: str


def hold_limit(kind: Any, level: Any, schema_dir: Path | None = None) -> HoldLimit | None:
    """The largest `hold_seconds` every schema in force allows this kind and level."""
    # Checked before the cache: a broken file may hold a list here, which cannot be hashed.
    if not isinstance(kind, str) or not isinstance(level, str):
        return None
    return _hold_limit(kind, level, schema_dir)


@cache
def _hold_limit(kind: str, level: str, schema_dir: Path | None) -> HoldLimit | None:
    instance = {"kind": kind, "level": level, "dosage": {"reps": 1}}
    layers = exercise_validators(schema_dir)
    holds = [field_schema(schema, ("hold_seconds",)) for schema in dosage_schemas(layers, instance)]
    bounded = [hold for hold in holds if isinstance(hold.get("maximum"), int | float)]
    if not bounded:
        return None
    strictest = min(bounded, key=lambda hold: hold["maximum"])
    # A studio's lower maximum may come without our words for who it is for: keep ours.
    who = [hold["x-limit-for"] for hold in (strictest, *bounded) if isinstance(hold.get("x-limit-for"), str)]
    source = strictest.get("description") or "this project's own schema/"
    return HoldLimit(int(strictest["maximum"]), who[0] if who else "", str(source))
