"""`pipeline new`: start an exercise or a routine from a commented template that already passes
the schema as a draft, with a starting dosage inside the safety limits for its kind and level."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from pipeline.authoring.starter import in_this_project
from pipeline.errors import UsageError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("static-stretch", "dynamic-stretch", "isometric", "strength", "mobility", "balance")
LEVELS = ("beginner", "intermediate", "advanced")

# A cautious starting dosage per kind, inside the beginner limits (so inside every level's).
STARTING_DOSAGE: dict[str, dict[str, Any]] = {
    "static-stretch": {"hold_seconds": 20, "reps": 3, "sides": "each"},
    "dynamic-stretch": {"reps": 8, "sides": "alternate"},
    "isometric": {"hold_seconds": 10, "reps": 5, "sides": "none"},
    "strength": {"reps": 8, "sets": 1, "sides": "none"},
    "mobility": {"reps": 8, "sides": "none"},
    "balance": {"hold_seconds": 10, "reps": 3, "sides": "each"},
}


class ScaffoldProblem(UsageError):
    pass


MAX_ID = 64


def check_new_id(entry_id: str, kind: str = "exercise") -> None:
    if SLUG.match(entry_id) and len(entry_id) <= MAX_ID:
        return
    message = (
        f'"{entry_id}" is not a valid id: use lowercase letters and digits in words joined by '
        f"single hyphens, at most {MAX_ID} characters, e.g. knee-to-chest"
    )
    suggested = id_from_title(entry_id)
    if suggested:
        message += f". Did you mean `{suggested}`? Run: pipeline new {kind} {suggested}"
    raise ScaffoldProblem(message)


def id_from_title(title: str) -> str:
    """The id an instructor most likely meant: "Seated Figure Four" -> seated-figure-four.
    Accents are dropped (the id is a file name typed on any keyboard), anything else that is
    not a letter or digit separates words, and a long title is cut at a word."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_ID:
            break
        slug = longer
    return slug if SLUG.match(slug) else ""


def title_from_id(entry_id: str) -> str:
    return entry_id.replace("-", " ").capitalize()


def dosage_lines(dosage: dict[str, Any]) -> str:
    return "".join(f"  {key}: {value}\n" for key, value in dosage.items())


def exercise_template(entry_id: str, kind: str, level: str) -> str:
    return f"""# yaml-language-server: $schema=../../schema/exercise.schema.json
# A new exercise. Fill it in, run `pipeline check`, and ask an instructor to review it
# before you set `status: published`.
id: {entry_id}                # must stay equal to the file name
title: {title_from_id(entry_id)}
summary: Why the client does this exercise, in one or two sentences.
status: draft
kind: {kind}                  # static-stretch | dynamic-stretch | isometric | strength | mobility | balance
level: {level}                # beginner | intermediate | advanced: picks the safety limits
equipment: []
targets: []                   # muscle groups, e.g. [hamstrings, lower-back]
setup:
  - Describe the starting position.
steps:
  - Describe the first step.
  - Describe the next step.
cues: []
dosage:                       # a cautious start inside the {level} {kind} limits
{dosage_lines(STARTING_DOSAGE[kind])}stop_if:
  - Sharp pain, numbness or tingling
review:
  author: Your name
"""


def routine_template(entry_id: str, first_exercise: str) -> str:
    return f"""# yaml-language-server: $schema=../../schema/routine.schema.json
# A new routine: exercises handed out together, in order. Each item may override the
# exercise's dosage; the result must still pass the exercise's safety limits.
id: {entry_id}                # must stay equal to the file name
title: {title_from_id(entry_id)}
summary: What the routine is for, in one or two sentences.
status: draft
exercises:
  - exercise: {first_exercise}
    note: A note for this exercise within the routine.
review:
  author: Your name
"""


def create(root: Path, kind: str, entry_id: str, exercise_kind: str, level: str) -> Path:
    """Write the template and return its path; never overwrite."""
    check_new_id(entry_id, kind)
    folder = root / "content" / ("exercises" if kind == "exercise" else "routines")
    path = folder / f"{entry_id}.yaml"
    if path.exists():
        raise ScaffoldProblem(f"{path} already exists; choose another id or edit that file")
    if kind == "exercise":
        text = exercise_template(entry_id, exercise_kind, level)
    else:
        existing = sorted(p.stem for p in (root / "content" / "exercises").glob("*.yaml"))
        text = routine_template(entry_id, existing[0] if existing else "an-exercise-id")
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": refuse a file created meanwhile
        handle.write(in_this_project(root, text))
    return path
