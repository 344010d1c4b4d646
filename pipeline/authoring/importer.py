"""`pipeline import free-exercise-db DIR`: the public-domain free-exercise-db as drafts.

Every imported exercise is a draft with a review that names the import, so nothing reaches a
client before an instructor has read it; each gets a cautious dosage inside the limits of its
kind and level. What does not fit our format is adjusted (long steps split at sentences,
long titles shortened, ids that slug alike numbered) or skipped, and every such decision is
reported with its reason.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from pipeline.authoring.scaffold import STARTING_DOSAGE
from pipeline.authoring.starter import in_this_project

CATEGORY_TO_KIND = {
    "stretching": "static-stretch",
    "strength": "strength",
    "powerlifting": "strength",
    "olympic weightlifting": "strength",
    "strongman": "strength",
    "plyometrics": "strength",
    "cardio": "mobility",
}
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
MUSCLES = {
    "abdominals",
    "obliques",
    "abductors",
    "adductors",
    "biceps",
    "triceps",
    "forearms",
    "calves",
    "chest",
    "glutes",
    "hamstrings",
    "quadriceps",
    "lats",
    "traps",
    "shoulders",
    "neck",
    "lower back",
    "middle back",
    "upper back",
    "hip flexors",
}
MAX_STEPS, MAX_STEP, MIN_STEP, MAX_TITLE = 12, 400, 3, 80
STOP_IF = ["Sharp or shooting pain", "Numbness, tingling or dizziness"]
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/exercise.schema.json\n"
REVIEW_AUTHOR = "Imported from free-exercise-db (public domain); not yet reviewed"


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    adjusted: list[tuple[str, str]] = field(default_factory=list)


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:64].rstrip("-") or "exercise"


def split_long_step(step: str) -> list[str]:
    """A step over the limit, split at sentence ends (then at word boundaries)."""
    sentences = re.split(r"(?<=[.!?])\s+", step.strip())
    parts: list[str] = []
    for sentence in sentences:
        while len(sentence) > MAX_STEP:
            cut = sentence.rfind(" ", 0, MAX_STEP)
            cut = cut if cut > 0 else MAX_STEP
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if parts and len(parts[-1]) + 1 + len(sentence) <= MAX_STEP:
            parts[-1] = f"{parts[-1]} {sentence}"
        elif sentence:
            parts.append(sentence)
    return parts


def convert(
    source: dict[str, Any], entry_id: str, image_dir: str, report: ImportReport, name: str
) -> dict[str, Any] | None:
    steps: list[str] = []
    for step in source.get("instructions") or []:
        step = " ".join(str(step).split())
        if len(step) < MIN_STEP:
            continue
        if len(step) > MAX_STEP:
            report.adjusted.append((name, f"a step of {len(step)} characters was split at its sentences"))
            steps.extend(split_long_step(step))
        else:
            steps.append(step)
    if not steps:
        report.skipped.append((name, "it has no instructions to turn into steps"))
        return None
    if len(steps) > MAX_STEPS:
        report.adjusted.append((name, f"{len(steps)} steps were merged into {MAX_STEPS}"))
        last = " ".join(steps[MAX_STEPS - 1 :])
        if len(last) > MAX_STEP:
            last = last[: last.rfind(" ", 0, MAX_STEP)]
            report.adjusted.append(
                (name, "the last step was cut at 400 characters; compare it with the source")
            )
        steps = [*steps[: MAX_STEPS - 1], last]
    category = str(source.get("category") or "")
    kind = CATEGORY_TO_KIND.get(category)
    if kind is None:
        report.skipped.append((name, f'its category "{category}" has no kind of ours'))
        return None
    level = LEVELS.get(str(source.get("level")), "beginner")
    title = str(source.get("name") or entry_id).strip()
    if len(title) > MAX_TITLE:
        report.adjusted.append((name, f"the title was shortened to {MAX_TITLE} characters"))
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    muscles = [
        m for m in [*source.get("primaryMuscles", []), *source.get("secondaryMuscles", [])] if m in MUSCLES
    ]
    targets = list(dict.fromkeys(m.replace(" ", "-") for m in muscles))[:10]
    data: dict[str, Any] = {
        "id": entry_id,
        "title": title if len(title) >= 3 else f"{title} exercise",
        "summary": f"Imported {category} exercise"
        + (f" for the {', '.join(t.replace('-', ' ') for t in targets[:3])}" if targets else "")
        + ". An instructor must write why the client does it.",
        "status": "draft",
        "kind": kind,
        "level": level,
    }
    equipment = source.get("equipment")
    if equipment and equipment != "body only":
        data["equipment"] = [str(equipment)[:60]]
    if targets:
        data["targets"] = targets
    data["tags"] = ["free-exercise-db"]
    data["steps"] = steps
    data["dosage"] = dict(STARTING_DOSAGE[kind])
    data["stop_if"] = list(STOP_IF)
    if image_dir:
        data["images"] = [
            {"src": f"{image_dir}/{entry_id}-{i}.jpg", "alt": f"{title[:180]}, position {i + 1}"}
            for i, _ in enumerate(source.get("images", [])[:6])
        ]
        if not data["images"]:
            del data["images"]
    data["review"] = {"author": REVIEW_AUTHOR}
    return data


def import_free_exercise_db(upstream: Path, root: Path) -> ImportReport:
    report = ImportReport()
    exercises_dir = root / "content" / "exercises"
    images_rel = "images/free-exercise-db"
    taken = {p.stem for p in exercises_dir.glob("*.yaml")} | {
        p.stem for p in (root / "content/routines").glob("*.yaml")
    }
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    for source_path in sorted((upstream / "exercises").glob("*.json")):
        name = source_path.name
        try:
            source = json.loads(source_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            report.skipped.append((name, f"it cannot be read as JSON ({exc})"))
            continue
        if not isinstance(source, dict):
            report.skipped.append((name, "it does not hold one exercise"))
            continue
        entry_id = base = slug(str(source.get("name") or source_path.stem))
        number = 2
        while entry_id in taken:
            entry_id = f"{base[:60]}-{number}"
            number += 1
        if entry_id != base:
            report.adjusted.append((name, f'its id "{base}" is taken; it is imported as "{entry_id}"'))
        data = convert(source, entry_id, images_rel, report, name)
        if data is None:
            continue
        for index, image in enumerate(source.get("images", [])[:6]):
            photo = (upstream / "exercises" / str(image)).resolve()
            if not photo.is_relative_to((upstream / "exercises").resolve()) or not photo.is_file():
                report.adjusted.append((name, f"photo {image} is missing; left out"))
                data["images"] = [i for i in data.get("images", []) if not i["src"].endswith(f"-{index}.jpg")]
                continue
            target = root / "content" / images_rel / f"{entry_id}-{index}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(photo, target)
        if "images" in data and not data["images"]:
            del data["images"]
        taken.add(entry_id)
        path = exercises_dir / f"{entry_id}.yaml"
        exercises_dir.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(in_this_project(root, SCHEMA_LINE))
            yaml.dump(data, handle)
        report.written.append(path)
    return report
