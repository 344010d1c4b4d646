"""The README tells the truth about the commands."""

from __future__ import annotations

from docs import README, cli_reference, readme_with_reference
from pipeline.cli import cli


def test_every_command_help_is_in_the_readme() -> None:
    text = README.read_text("utf-8")
    assert readme_with_reference(text) == text, "run `python tests/docs.py` to update the README"
    for name in cli.commands:
        assert f"$ pipeline {name} --help" in cli_reference()


def test_readme_quick_start_is_the_two_commands() -> None:
    text = README.read_text("utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make build" in quick_start and "make test" in quick_start
