"""A dosage adjusted for one client (at the desk), checked against the content's safety limits.

An instructor may change an exercise's hold, reps, sets or frequency for one client. The
adjusted dosage is put in place of the exercise's own and the exercise is validated by the
same schemas `pipeline check` uses (the packaged ones, and a studio's own on top), so a
refusal is worded exactly as the check words it ("dosage.hold_seconds is 45, but a beginner
static stretch allows at most 30 s (ACSM: ...)"), and carries the facts it was made from
(`LimitFacts`) so the desk can say the same rule in a receptionist's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema.protocols import Validator

from pipeline.diagnostics import Diagnostic
from pipeline.load.yaml import Document
from pipeline.model import ADJUSTABLE, ADJUSTABLE_FIELDS
from pipeline.rules.limits import exercise_validators
from pipeline.rules.messages import diagnostics_for
from pipeline.rules.schema import schema_diagnostics

Adjustment = Mapping[str, int]  # field name (ADJUSTABLE_FIELDS) -> the value typed at the desk


@dataclass(frozen=True)
class LimitFacts:
    """What a refusal was made from, read off the schema error: one rule, two audiences."""

    keyword: str  # "maximum", "minimum", ..., or "x-max-hold-per-side"
    value: Any  # what was typed (the dosage, for hold × reps)
    limit: Any  # the schema's bound (for hold × reps: its {"limit", "reason", ...})
    who: str  # "a beginner static stretch", or "" for a bound that says for whom
    source: str  # the schema's description: "ACSM: hold 10–30 s, ..."
    studios: bool = False  # from the studio's own schema/, not the packaged one


@dataclass(frozen=True)
class AdjustmentProblem:
    field: str  # one of ADJUSTABLE_FIELDS, or "" for the dosage as a whole (hold × reps)
    message: str  # the check's words, for instructors and `pipeline handout`
    facts: LimitFacts | None = None


def adjusted(dosage: Mapping[str, Any], adjustment: Adjustment) -> dict[str, Any]:
    """`dosage` with the adjusted fields put in; a field left empty keeps the dosage's value."""
    result = {key: dict(value) if isinstance(value, Mapping) else value for key, value in dosage.items()}
    for (path, _), name in zip(ADJUSTABLE, ADJUSTABLE_FIELDS, strict=True):
        if name not in adjustment:
            continue
        target = result
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = adjustment[name]
    return result


def problems(
    exercise: Mapping[str, Any],
    dosage: Mapping[str, Any],
    schema_dir: Path | None = None,
    *,
    with_facts: bool = False,  # the desk's: what each refusal was made from (a second pass)
) -> list[AdjustmentProblem]:
    """What the check would say of `exercise` if its dosage were `dosage`, under the packaged
    schema and the project's own (`schema_dir`, the project's schema/ when it has one)."""
    # Only what the safety limits read: the rest of the exercise passed the check already.
    data = {"kind": exercise.get("kind"), "level": exercise.get("level"), "dosage": dict(dosage)}
    doc = Document(f"exercises/{exercise.get('id')}.yaml", data)
    layers = exercise_validators(schema_dir)
    facts = _facts_by_diagnostic(layers, doc) if with_facts else {}
    found = []
    for diagnostic in schema_diagnostics(layers, doc):
        parts = diagnostic.path.split("/")[1:]
        if parts[:1] != ["dosage"]:
            continue  # "id is required" and the like: not part of the dosage
        found.append(AdjustmentProblem("_".join(parts[1:]), diagnostic.message, facts.get(diagnostic)))
    return found


def _facts_by_diagnostic(layers: Sequence[Validator], doc: Document) -> dict[Diagnostic, LimitFacts]:
    """The schema error behind each diagnostic of `doc` (the check picks which to show)."""
    facts: dict[Diagnostic, LimitFacts] = {}
    for layer, validator in enumerate(layers):  # the packaged schema first, then the studio's
        for error in validator.iter_errors(doc.data):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            fact = LimitFacts(
                keyword=str(error.validator),
                value=error.instance,
                limit=error.validator_value,
                who=str(schema.get("x-limit-for") or ""),
                source=str(schema.get("description") or ""),
                studios=layer > 0,
            )
            for diagnostic in diagnostics_for(error, doc):
                facts.setdefault(diagnostic, fact)
    return facts
