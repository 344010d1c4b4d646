"""A pull request's file names and values are printed, never obeyed: no format lets them start
a workflow command, drive the terminal, or draw a job summary of their own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from pipeline.cli import cli

# A content file's name and values full of what a runner or a terminal would obey.
HOSTILE_NAME = "content/exercises/evil\n::add-mask::secret\r::error::forged ##[add-mask]x\x1b[31m\x9b2J.yaml"
HOSTILE_VALUE = "<b>x</b>\x1b[31m\n::add-mask::k\u202e##[m]%0A"  # under 40 characters: shown whole
EXERCISE = """id: forged-output
title: "\\e[31mForged\\n::error file=x::forged"
summary: A file whose values try to print workflow commands and terminal escapes.
status: draft
kind: "{kind}"
level: beginner
steps:
  - Lie on your back.
dosage:
  hold_seconds: 20
  reps: 3
  sides: each
stop_if:
  - Sharp pain
"""
COMMAND = re.compile(r"^\s*::")  # the runner obeys a line that starts so, leading spaces aside


@pytest.fixture
def hostile(root: Path) -> Path:
    kind = HOSTILE_VALUE.replace("\x1b", "\\e").replace("\n", "\\n").replace("\u202e", "\\u202e")
    (root / "content/exercises/forged-output.yaml").write_text(EXERCISE.format(kind=kind), "utf-8")
    (root / HOSTILE_NAME).write_text("id: evil\n", "utf-8")
    return root


def check(root: Path, fmt: str, summary: Path | None = None) -> tuple[str, int]:
    env = {"PIPELINE_TODAY": "2026-11-24", "GITHUB_STEP_SUMMARY": str(summary) if summary else ""}
    result = CliRunner().invoke(cli, ["--root", str(root), "check", "--format", fmt], env=env)
    print(result.output)
    return result.output, result.exit_code


def assert_obeys_nothing(output: str) -> None:
    for char in ("\x1b", "\x9b", "\r", "\u202e"):
        assert char not in output, f"a raw {char!r} reaches the output"
    assert "##[" not in output
    for line in output.splitlines():
        assert not COMMAND.match(line) or re.match(r"::(error|warning) file=content/", line), line


def test_text_output_shows_control_characters_escaped_and_starts_no_workflow_command(hostile: Path) -> None:
    output, code = check(hostile, "text")
    assert code == 1
    assert_obeys_nothing(output)
    assert not any(COMMAND.match(line) for line in output.splitlines())
    shown = "evil\\n::add-mask::secret\\r::error::forged #\\x23[add-mask]x\\x1b[31m\\x9b2J.yaml"
    assert f'content/exercises/{shown}:1:5: error: id is "evil" but the file is named {shown};' in output
    assert 'kind is "<b>x</b>\\x1b[31m\\n::add-mask::k\\u202e#\\x23[m]%0A"' in output


def test_github_format_escapes_as_the_actions_toolkit_and_prints_only_its_own_annotations(
    hostile: Path, tmp_path: Path
) -> None:
    output, code = check(hostile, "github", tmp_path / "summary.md")
    assert code == 1
    assert_obeys_nothing(output)
    annotations = [line for line in output.splitlines() if COMMAND.match(line)]
    located = [line for line in output.splitlines() if line.startswith("content/")]
    assert annotations and len(annotations) == len(located)
    assert any(
        "file=content/exercises/evil%0A%3A%3Aadd-mask%3A%3Asecret%0D%3A%3Aerror%3A%3Aforged" in line
        for line in annotations
    )
    (kind,) = [line for line in annotations if "title=unknown-value" in line]
    assert '::kind is "<b>x</b>\\x1b[31m%0A::add-mask::k\\u202e#\\x23[m]%250A"' in kind


def test_the_job_summary_renders_every_value_as_plain_words(hostile: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    output, _ = check(hostile, "github", summary)
    problems = len([line for line in output.splitlines() if line.startswith("content/")])
    html = MarkdownIt("gfm-like").render(summary.read_text("utf-8"))  # GitHub's flavour, HTML on
    assert html.count("<tr>") == problems + 1  # the header, then one row per problem
    for forged in ("<b>", "<a ", "<img", "<em>", "<strong>", "<h1"):
        assert forged not in html.replace("<h2>Exercise content check</h2>", "")
    assert "kind is &quot;&lt;b&gt;x&lt;/b&gt;\\x1b[31m\\n::add-mask::k\\u202e##[m]%0A&quot;" in html
    assert "<code>content/exercises/evil\\n::add-mask::secret\\r::error::forged ##[add-mask]x" in html


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_keep_the_values_exactly_and_send_no_raw_control_to_a_terminal(
    hostile: Path, fmt: str
) -> None:
    output, code = check(hostile, fmt)
    assert code == 1
    for char in ("\x1b", "\x9b", "\r", "\u202e"):
        assert char not in output
    data = json.loads(output)
    if fmt == "json":
        files = {d["file"] for d in data["diagnostics"]}
        messages = " ".join(d["message"] for d in data["diagnostics"])
    else:
        results = data["runs"][0]["results"]
        files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        messages = " ".join(r["message"]["text"] for r in results)
    assert HOSTILE_NAME in files
    assert f'kind is "{HOSTILE_VALUE}"' in messages


def test_the_list_of_exercises_shows_a_title_escaped(hostile: Path) -> None:
    result = CliRunner().invoke(cli, ["--root", str(hostile), "list", "--drafts", "forged"])
    print(result.output)
    assert result.exit_code == 0
    assert_obeys_nothing(result.output)
    assert not any(COMMAND.match(line) for line in result.output.splitlines())
    assert "\\x1b[31mForged\\n::error file=x::forged (" in result.output


def test_an_error_naming_a_hostile_folder_is_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "studio\n::add-mask::secret\x1b[2J"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["--root", str(folder), "check"])
    print(result.output)
    assert result.exit_code == 2
    assert "no content/ folder" in result.output
    assert_obeys_nothing(result.output)
    assert not any(COMMAND.match(line) for line in result.output.splitlines())
    assert "studio\\n::add-mask::secret\\x1b[2J" in result.output
