"""The author's tools: `pipeline new`, `pipeline fmt`, and the pre-commit hooks."""

from __future__ import annotations

from pathlib import Path

from conftest import run as run_cli
from ruamel.yaml import YAML

from pipeline.authoring.scaffold import KINDS, LEVELS
from pipeline.check import check_project

REPO = Path(__file__).parent.parent


def run(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli(root, *args)
    return result.exit_code, result.output


def test_new_exercise_of_every_kind_and_level_passes_the_check(root: Path) -> None:
    for kind in KINDS:
        for level in LEVELS:
            code, output = run(
                root, "new", "exercise", f"new-{kind}-{level}", "--kind", kind, "--level", level
            )
            assert code == 0 and output.strip().endswith(f"content/exercises/new-{kind}-{level}.yaml")
    code, output = run(root, "new", "routine", "new-routine")
    assert code == 0
    result = check_project(root)
    assert result.errors == []
    assert "kind: balance" in (root / "content/exercises/new-balance-advanced.yaml").read_text()


def test_new_refuses_to_overwrite_and_refuses_a_bad_id(root: Path) -> None:
    before = (root / "content/exercises/knee-to-chest.yaml").read_text()
    code, output = run(root, "new", "exercise", "knee-to-chest")
    assert code == 2 and "already exists" in output
    assert (root / "content/exercises/knee-to-chest.yaml").read_text() == before
    code, output = run(root, "new", "exercise", "Knee To Chest")
    assert code == 2 and "not a valid id" in output
    assert not list((root / "content/exercises").glob("Knee*"))


def test_new_suggests_the_id_it_would_accept_for_a_title(root: Path) -> None:
    code, output = run(root, "new", "exercise", "Seated Figure Four")
    assert code == 2
    assert "Did you mean `seated-figure-four`? Run: pipeline new exercise seated-figure-four" in output
    code, output = run(root, "new", "routine", "Rodilla al pecho (niño)")
    assert code == 2 and "Run: pipeline new routine rodilla-al-pecho-nino" in output
    code, output = run(root, "new", "exercise", "seated-figure-four")  # the suggestion is accepted
    assert code == 0 and (root / "content/exercises/seated-figure-four.yaml").is_file()


MESSY = """# yaml-language-server: $schema=../../schema/exercise.schema.json
stop_if:
- Sharp pain   # the most important one
title: Messy exercise
id: messy
dosage: {reps: 3, hold_seconds: 20, sides: each}
steps:
    -   Lie down.
    -   "Stretch: gently."
summary: >-
  A long summary that is folded
  over two lines.
level: beginner
kind: static-stretch
status: draft
"""


def test_fmt_orders_keys_keeps_comments_and_is_idempotent(root: Path) -> None:
    path = root / "content/exercises/messy.yaml"
    path.write_text(MESSY)
    assert run(root, "fmt", "--check")[0] == 1
    assert path.read_text() == MESSY, "--check must not write"
    code, output = run(root, "fmt", str(path))
    assert code == 0 and "reformatted" in output
    text = path.read_text()
    assert list(YAML(typ="safe").load(text)) == [
        "id",
        "title",
        "summary",
        "status",
        "kind",
        "level",
        "steps",
        "dosage",
        "stop_if",
    ]
    assert "# the most important one" in text and "# yaml-language-server" in text
    assert "  - Lie down.\n" in text and "dosage: {hold_seconds: 20, reps: 3, sides: each}" in text
    assert YAML(typ="safe").load(text) == YAML(typ="safe").load(MESSY)  # same data
    assert run(root, "fmt", "--check")[0] == 0


def test_fmt_check_passes_on_the_repository_content() -> None:
    assert run(REPO, "fmt", "--check") == (0, "All content files are formatted.\n")


def test_fmt_reports_a_file_that_is_not_yaml(root: Path) -> None:
    (root / "content/exercises/broken.yaml").write_text("id: [unclosed\n")
    code, output = run(root, "fmt", "--check")
    assert code == 1 and "broken.yaml: cannot be formatted" in output


def test_pre_commit_hooks_run_the_check_and_fmt() -> None:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"]: h["entry"] for h in hooks} == {
        "pipeline-check": "pipeline check",
        "pipeline-fmt": "pipeline fmt",
    }
    config = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text())
    local = [h["id"] for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert local == ["pipeline-check", "pipeline-fmt"]
