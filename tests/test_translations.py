"""Translations kept in step with their English: staleness found by `pipeline check`, shown by
`pipeline translate status` (old and new English side by side), recorded by `update`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli

REPO = Path(__file__).parent.parent
ES = "content/exercises/knee-to-chest.es.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], env={"PIPELINE_TODAY": "2026-11-24"})
    print(result.output)
    return result


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new))


def publish(root: Path) -> None:
    """What a reviewer does: mark the translation reviewed and record the English it matches."""
    edit(root, ES, "status: draft", "status: published")
    edit(root, ES, "  translated_by:", "  reviewed_by: Ana Ruiz\n  reviewed_on: 2026-11-20\n  translated_by:")
    assert run(root, "translate", "update", "es", "knee-to-chest").exit_code == 0


def line_of(root: Path, name: str, text: str) -> int:
    return next(
        n for n, line in enumerate((root / name).read_text().splitlines(), 1) if line.startswith(text)
    )


def test_a_published_translation_passes_until_its_english_changes(root: Path) -> None:
    publish(root)
    assert run(root, "check").exit_code == 0
    edit(
        root, "content/exercises/knee-to-chest.yaml", "Hold, breathing slowly.", "Hold, breathing out slowly."
    )
    result = run(root, "check")
    assert result.exit_code == 0  # steps without a number: a warning
    steps = line_of(root, ES, "steps:")
    assert f"{ES}:{steps}:1: warning: the English of `steps` has changed" in result.output
    edit(root, "content/exercises/knee-to-chest.yaml", "into a leg", "into a leg, or numbness")
    result = run(root, "check")
    assert result.exit_code == 1  # stop_if: an error, the handout must not print the old one
    stop_if = line_of(root, ES, "stop_if:")
    assert f"{ES}:{stop_if}:1: error: the English of `stop_if` has changed" in result.output


def test_status_shows_the_english_it_was_made_from_beside_todays(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    publish(root)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "translated"], check=True)
    edit(root, "content/exercises/knee-to-chest.yaml", "into a leg", "into a leg, or numbness")
    result = run(root, "translate", "status", "es")
    assert "stale: content/exercises/knee-to-chest.es.yaml: stop_if" in result.output
    assert "translated from: Pain that increases or spreads into a leg\n" in result.output
    assert "English now:     Pain that increases or spreads into a leg, or numbness\n" in result.output
    assert "not translated: content/exercises/bird-dog.yaml" in result.output


def test_update_records_the_english_and_keeps_the_files_comments(root: Path) -> None:
    path = root / ES
    path.write_text(path.read_text().replace("status: draft", "status: draft  # awaiting Ana"))
    publish(root)
    text = path.read_text()
    assert "status: published  # awaiting Ana" in text  # the reviewer's comment is kept
    assert "translated_from:\n  title:" in text
    again = run(root, "translate", "update", "es")
    assert "Nothing to record" in again.output
