"""`pipeline import free-exercise-db`, on a small library in the upstream format built here."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from pipeline.check import check_project
from pipeline.cli import cli
from pipeline.load.library import load_library

REPO = Path(__file__).parent.parent


def _photo() -> bytes:
    """A real JPEG as upstream has them (850 × 567): the check decodes every image."""
    buffer = io.BytesIO()
    Image.new("RGB", (850, 567), (180, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = _photo()


def upstream_entry(name: str, **fields: object) -> dict[str, object]:
    folder = name.replace(" ", "_").replace("/", "_")
    entry: dict[str, object] = {
        "name": name,
        "force": "static",
        "level": "beginner",
        "mechanic": None,
        "equipment": "body only",
        "primaryMuscles": ["hamstrings"],
        "secondaryMuscles": ["lower back", "calves"],
        "instructions": ["Lie on your back.", "Raise one leg and hold it gently."],
        "category": "stretching",
        "images": [f"{folder}/0.jpg", f"{folder}/1.jpg"],
        "id": folder,
    }
    entry.update(fields)
    return entry


def make_upstream(root: Path) -> Path:
    entries = [
        upstream_entry("Hamstring Stretch"),
        upstream_entry("Hamstring-Stretch"),  # slugs like the one above
        upstream_entry("No Instructions", instructions=[]),
        upstream_entry(
            "Long Step", instructions=["Lie down. " + "Breathe slowly and relax your shoulders. " * 15]
        ),
        upstream_entry("Many Steps", instructions=[f"Step number {i}." for i in range(15)]),
        upstream_entry(
            "Barbell Deadlift",
            category="powerlifting",
            level="expert",
            equipment="barbell",
            primaryMuscles=["lower back"],
            secondaryMuscles=["glutes", "hamstrings"],
        ),
        upstream_entry("Jogging", category="cardio", level="intermediate"),
        upstream_entry("Mystery", category="dancing"),
        upstream_entry("Missing Photo", images=["Missing_Photo/0.jpg"]),
        upstream_entry("A" * 100),
    ]
    exercises = root / "exercises"
    exercises.mkdir(parents=True)
    for entry in entries:
        (exercises / f"{entry['id']}.json").write_text(json.dumps(entry))
        for image in entry["images"]:  # type: ignore[attr-defined]
            if not str(image).startswith("Missing_Photo"):
                (exercises / str(image)).parent.mkdir(exist_ok=True)
                (exercises / str(image)).write_bytes(JPEG)
    (exercises / "Broken.json").write_text("{not json")
    return root


def test_import_writes_drafts_that_pass_the_check_and_says_what_it_changed(tmp_path: Path) -> None:
    upstream = make_upstream(tmp_path / "free-exercise-db")
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    result = CliRunner().invoke(cli, ["--root", str(project), "import", "free-exercise-db", str(upstream)])
    print(result.output)
    assert result.exit_code == 0
    assert "skipped No_Instructions.json: it has no instructions" in result.output
    assert 'skipped Mystery.json: its category "dancing" has no kind of ours' in result.output
    assert "skipped Broken.json: it cannot be read as JSON" in result.output
    assert 'its id "hamstring-stretch" is taken; it is imported as "hamstring-stretch-2"' in result.output
    assert "Long_Step.json: a step of" in result.output and "split at its sentences" in result.output
    assert "Many_Steps.json: 15 steps were merged into 12" in result.output
    assert "photo Missing_Photo/0.jpg is missing; left out" in result.output
    assert "the title was shortened to 80 characters" in result.output

    library = load_library(project)
    imported = {
        d.data["id"]: d.data
        for d in library.exercises
        if d.data and "free-exercise-db" in d.data.get("tags", [])
    }
    assert len(imported) == 8
    assert all(
        d["status"] == "draft" and "free-exercise-db" in d["review"]["author"] for d in imported.values()
    )
    deadlift = imported["barbell-deadlift"]
    assert (deadlift["kind"], deadlift["level"], deadlift["equipment"]) == (
        "strength",
        "advanced",
        ["barbell"],
    )
    assert deadlift["targets"] == ["lower-back", "glutes", "hamstrings"]
    assert imported["jogging"]["kind"] == "mobility"
    assert all(len(s) <= 400 for s in imported["long-step"]["steps"])
    assert len(imported["many-steps"]["steps"]) == 12
    assert (project / "content/images/free-exercise-db/hamstring-stretch-0.jpg").read_bytes() == JPEG
    assert "images" not in imported["missing-photo"]
    check = check_project(project)
    assert check.errors == []
