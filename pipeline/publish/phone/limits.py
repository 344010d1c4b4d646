"""The safety limits the phone page checks a code's numbers against, with the check's words.

A code edited by hand must be refused on the page as the desk refuses it. The page cannot run
the schema, so for each exercise the limits that apply to it are read from the same schemas the
desk uses (`publish/adjust.py`, the packaged ones and a studio's own on top): every `minimum`
and `maximum` on a dosage field, along the `if`/`then` branches its kind and level take, and
`x-max-hold-per-side`, the stricter of each (pipeline/rules/limits.py). The words come from
the check itself: `adjust.problems` is asked about a value just outside each limit, and the
value in its message becomes a placeholder the page fills in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from pipeline.model import ADJUSTABLE
from pipeline.publish.adjust import adjusted, problems
from pipeline.rules.limits import dosage_schemas, exercise_validators, field_schema

# The numbers a code carries (publish/phone/code.py: CODE_FIELDS), as paths in the dosage
CHECKED = (*(path for path, _ in ADJUSTABLE), ("rest_seconds",))


class FieldLimit(TypedDict):
    min: int | None
    max: int | None
    below: str | None  # the check's words for a value under `min`, "{value}" where it goes
    above: str | None


class Limits(TypedDict):
    fields: dict[str, FieldLimit]
    per_side: int | None  # hold_seconds × reps at most this
    per_side_words: str | None  # "{hold} × {reps} = {total}" where the numbers go


def limits_of(exercise: Mapping[str, Any], schema_dir: Path | None = None) -> Limits:
    """The limits `exercise` is held to under the packaged schema and the project's own
    (`schema_dir`). They follow from its kind and level (and, in case a studio's schema says
    so, its sides): worked out once for each of those in a library."""
    kind, level = str(exercise.get("kind")), str(exercise.get("level"))
    return _limits_for(kind, level, str(exercise["dosage"].get("sides")), schema_dir)


@cache
def _limits_for(kind: str, level: str, sides: str, schema_dir: Path | None) -> Limits:
    # A dosage with nothing in it but what every dosage has; each probe below sets the rest
    exercise = {"id": "limits", "kind": kind, "level": level, "dosage": {"reps": 1, "sides": sides}}
    instance = {"kind": kind, "level": level, "dosage": exercise["dosage"]}
    found: dict[str, dict[str, int]] = {"_".join(path): {} for path in CHECKED}
    per_side: list[int] = []
    for dosage_schema in dosage_schemas(exercise_validators(schema_dir), instance):
        for path in CHECKED:
            node = field_schema(dosage_schema, path)
            name = "_".join(path)
            if "minimum" in node:
                found[name]["min"] = max(found[name].get("min", node["minimum"]), node["minimum"])
            if "maximum" in node:
                found[name]["max"] = min(found[name].get("max", node["maximum"]), node["maximum"])
        spec = dosage_schema.get("x-max-hold-per-side")
        if isinstance(spec, Mapping) and isinstance(spec.get("limit"), int):
            per_side.append(spec["limit"])
    limit = min(per_side) if per_side else None
    fields = {name: _with_words(exercise, name, bounds, limit, schema_dir) for name, bounds in found.items()}
    words = _per_side_words(exercise, limit, schema_dir)
    return Limits(fields=fields, per_side=limit, per_side_words=words)


def _with_words(
    exercise: Mapping[str, Any],
    name: str,
    bounds: Mapping[str, int],
    limit: int | None,
    schema_dir: Path | None,
) -> FieldLimit:
    low, high = bounds.get("min"), bounds.get("max")
    return FieldLimit(
        min=low,
        max=high,
        below=None if low is None or low < 1 else _words_for(exercise, name, low - 1, limit, schema_dir),
        above=None if high is None else _words_for(exercise, name, high + 1, limit, schema_dir),
    )


def _words_for(
    exercise: Mapping[str, Any], name: str, value: int, limit: int | None, schema_dir: Path | None
) -> str | None:
    """What the check says of `value` in field `name`, the value replaced by {value}. The other
    of hold and reps is set to 1, so that hold × reps does not speak first."""
    change = {name: value}
    if name in ("hold_seconds", "reps") and limit is not None:
        change["reps" if name == "hold_seconds" else "hold_seconds"] = 1
    found = problems(exercise, adjusted(exercise["dosage"], change), schema_dir)
    said = [p.message for p in found if p.field == name]
    if not said:
        return None
    return re.sub(rf"\bis {value}\b", "is {value}", said[0], count=1)


def _per_side_words(exercise: Mapping[str, Any], limit: int | None, schema_dir: Path | None) -> str | None:
    """The check's words for hold × reps over `limit`: asked of a hold of `limit` done twice
    (whatever else it says of those two numbers on their own is not these words)."""
    if limit is None:
        return None
    change = {"hold_seconds": limit, "reps": 2}
    found = problems(exercise, adjusted(exercise["dosage"], change), schema_dir)
    said = [p.message for p in found if p.field == ""]
    if not said:
        return None
    return said[0].replace(f"{limit} × 2 = {limit * 2}", "{hold} × {reps} = {total}", 1)
