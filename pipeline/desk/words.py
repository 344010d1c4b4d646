"""The desk's words for a refused dosage: the rule `pipeline check` applies, said to the
person at the desk.

One rule, two audiences: the limit, who it is for and its source come from the schema error
behind the check's message (publish/adjust.py's `LimitFacts`), never from a copy of the
limits. The instructor reads "dosage.hold_seconds is 45, but a beginner static stretch
allows at most 30 s (ACSM: ...)"; the desk says "Hold for 45 seconds is too long for this
stretch at beginner level: enter 30 or less.", with the source as a second, smaller line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.publish.adjust import AdjustmentProblem, LimitFacts


@dataclass(frozen=True)
class StaffWords:
    message: str  # what is wrong and what to type instead
    why: str  # the limit's source, shown smaller ("" when the schema gives none)


@dataclass(frozen=True)
class _Field:
    amount: str  # "Hold for {} seconds"
    over: str  # "too long"
    under: str
    at_most: str  # "or less"
    at_least: str = "or more"


_FIELDS = {
    "hold_seconds": _Field("Hold for {} seconds", "too long", "too short", "or less"),
    "reps": _Field("{} times", "too many", "too few", "or fewer"),
    "sets": _Field("{} sets", "too many", "too few", "or fewer"),
    "frequency_times_per_day": _Field("{} times a day", "too often", "too few", "or fewer"),
    "frequency_days_per_week": _Field("{} days a week", "too often", "too few", "or fewer"),
}
_NOUNS = {
    "static-stretch": "stretch",
    "dynamic-stretch": "moving stretch",
    "isometric": "hold exercise",
    "strength": "strengthening exercise",
    "mobility": "mobility exercise",
    "balance": "balance exercise",
}
_OLDER = re.compile(r"older adults", re.IGNORECASE)
_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)")


def staff_words(problem: AdjustmentProblem, exercise: Mapping[str, Any]) -> StaffWords:
    """The desk's sentence for one refusal; the check's own words when it is not a limit."""
    facts = problem.facts
    if facts is None:
        return StaffWords(_sentence(problem.message), "")
    if facts.keyword == "x-max-hold-per-side" and isinstance(facts.limit, Mapping):
        return _hold_times_reps(facts, exercise)
    field = _FIELDS.get(problem.field)
    if field is None or not isinstance(facts.limit, int | float) or facts.keyword not in _BOUNDS:
        return StaffWords(_sentence(problem.message), "")
    too_much, enter = _BOUNDS[facts.keyword](field, int(facts.limit))
    amount = field.amount.format(facts.value)
    message = f"{amount} is {too_much} for {_this(exercise, bool(facts.who))}: enter {enter}."
    return StaffWords(message, _why(facts, int(facts.limit)))


_BOUNDS = {
    "maximum": lambda f, n: (f.over, f"{n} {f.at_most}"),
    "exclusiveMaximum": lambda f, n: (f.over, f"{n - 1} {f.at_most}"),
    "minimum": lambda f, n: (f.under, f"{n} {f.at_least}"),
    "exclusiveMinimum": lambda f, n: (f.under, f"{n + 1} {f.at_least}"),
}


def _this(exercise: Mapping[str, Any], by_level: bool) -> str:
    """ "this stretch at beginner level"; a studio's bound that says for whom is for all."""
    noun = _NOUNS.get(str(exercise.get("kind")), "exercise")
    level = exercise.get("level")
    return f"this {noun} at {level} level" if by_level and level else f"this {noun}"


def _hold_times_reps(facts: LimitFacts, exercise: Mapping[str, Any]) -> StaffWords:
    dosage = facts.value if isinstance(facts.value, Mapping) else {}
    hold, reps, limit = int(dosage["hold_seconds"]), int(dosage["reps"]), int(facts.limit["limit"])
    side = " on each side" if dosage.get("sides") in ("each", "alternate") else ""
    message = (
        f"Holding {hold} seconds {reps} times is {hold * reps} seconds{side}, more than the "
        f"{limit} seconds in all that {_this(exercise, False)} allows: enter a hold of "
        f"{limit // reps} seconds or less, or {max(1, limit // hold)} times or fewer."
    )
    reason = str(facts.limit.get("reason") or facts.limit.get("description") or "")
    return StaffWords(message, _sentence(reason) if reason else "")


def _why(facts: LimitFacts, limit: int) -> str:
    """The limit's source, without a range the studio's limit does not use."""
    if not facts.who:  # a plain bound: the studio's own, or ours that any value must meet
        return "This studio's own limit (its schema/)." if facts.studios else ""
    source = _kept_clauses(facts.source, limit)
    return f"The studio's limit for {facts.who}" + (f" ({source})." if source else ".")


def _kept_clauses(source: str, limit: int) -> str:
    """`source` without its older-adults clause unless the limit is in that range alone:
    "ACSM: hold 10–30 s, 30–60 s for older adults" with a limit of 30 is "ACSM: hold 10–30 s"
    (the older adults' longer hold is not what this studio allows), with 45 it stays whole."""
    clauses = [clause.strip() for clause in source.split(",")]
    older = [c for c in clauses if _OLDER.search(c)]
    if not older:
        return source
    others = [c for c in clauses if c not in older]
    if any(_within(c, limit) for c in others) or not all(_within(c, limit) for c in older):
        return ", ".join(others)
    return source


def _within(clause: str, limit: int) -> bool:
    found = _RANGE.search(clause)
    return bool(found) and int(found.group(1)) <= limit <= int(found.group(2))  # type: ignore[union-attr]


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
