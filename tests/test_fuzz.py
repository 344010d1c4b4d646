"""Mutation fuzzing of the starter files: `pipeline check` never raises, exits 0 or 1, locates
every problem on a line that exists, and speaks to an instructor, not in Python's words."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from casekit import CASES
from click.testing import CliRunner

from pipeline.check import check_project
from pipeline.cli import cli

REPO = Path(__file__).parent.parent
STARTERS = sorted((REPO / "content").rglob("*.yaml"))
# Phrases of jsonschema, Python and ruamel.yaml that must never reach an instructor.
INTERNALS = re.compile(
    r"'str' object|NoneType|is not valid under any of the given schemas|is not of type|"
    r"is a required property|Additional properties are not allowed|does not match '|"
    r"is too (long|short)|is (greater|less) than the (minimum|maximum)|object at 0x|Traceback|"
    r"\bdict\b|\blist\b\(|\[\{|\{'|ValidationError|CommentedMap|Mark\(|tag:yaml\.org"
)


def drop_line(lines: list[str], rng: random.Random) -> list[str]:
    del lines[rng.randrange(len(lines))]
    return lines


def duplicate_line(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return lines


ODD_SCALARS = [
    "[1, 2]",
    "{a: b}",
    "~",
    "true",
    "-5",
    ".inf",
    ".nan",
    "0x10",
    "9" * 30,
    '""',
    "*alias",
    "!!binary x",
]


def change_a_value_type(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    if ": " in lines[i]:
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {rng.choice(ODD_SCALARS)}\n"
    return lines


def swap_indentation(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    stripped = lines[i].lstrip(" ")
    lines[i] = " " * rng.choice([0, 1, 3, 4, 6]) + stripped
    return lines


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    junk = bytes(
        rng.choice([0x00, 0x07, 0x09, 0x0D, 0x22, 0x26, 0x2A, 0x3A, 0x5B, 0x7B, 0x7C, 0x80, 0xC3, 0xFF, 0xEF])
        for _ in range(rng.randint(1, 4))
    )
    return data[:i] + junk + data[i:]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


LINE_MUTATIONS: list[Callable[[list[str], random.Random], list[str]]] = [
    drop_line,
    duplicate_line,
    change_a_value_type,
    swap_indentation,
]
BYTE_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [insert_bytes, truncate]


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.6:
            lines = data.decode("utf-8", errors="replace").splitlines(keepends=True) or ["\n"]
            data = "".join(rng.choice(LINE_MUTATIONS)(lines, rng)).encode("utf-8")
        else:
            data = rng.choice(BYTE_MUTATIONS)(data, rng)
    return data


def assert_readable_and_located(result: object, root: Path) -> None:
    for d in result.diagnostics:  # type: ignore[attr-defined]
        path = root / d.file
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines() if path.exists() else []
        assert 1 <= d.line <= max(len(lines), 1), d
        # The author's own value, shown in quotes, may hold anything ("p[{*|ublished").
        assert not INTERNALS.search(re.sub(r'"[^"]*"', '""', d.message)), d.message
        assert d.message[:1].islower() or d.message[:1] in '`"' or d.message[:1].isupper(), d.message


@pytest.mark.parametrize("seed", range(6))
def test_mutated_starter_files_never_crash_the_check(tmp_path: Path, seed: int) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    rng = random.Random(seed)
    for _ in range(60):
        target = rng.choice(STARTERS)
        path = tmp_path / target.relative_to(REPO)
        original = target.read_bytes()
        path.write_bytes(mutate(original, rng))
        result = check_project(tmp_path, jobs=1)
        assert_readable_and_located(result, tmp_path)
        path.write_bytes(original)


def test_the_cli_exits_0_or_1_on_mutated_content(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    rng = random.Random(99)
    for _ in range(25):
        target = rng.choice(STARTERS)
        (tmp_path / target.relative_to(REPO)).write_bytes(mutate(target.read_bytes(), rng))
        result = CliRunner().invoke(cli, ["--root", str(tmp_path), "check", "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_no_message_of_any_case_leaks_internals() -> None:
    for expected in CASES.glob("*/*/expected.txt"):
        for line in expected.read_text("utf-8").splitlines():
            message = line.split(": ", 2)[-1]
            assert not INTERNALS.search(message), line


def test_a_routine_does_not_call_an_unreadable_exercise_missing(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "content/exercises/cat-cow.yaml").write_text("id: cat-cow\ntitle: [unclosed\n")
    result = check_project(tmp_path, jobs=1)
    assert [d.rule for d in result.errors] == ["yaml-syntax"]
    assert result.errors[0].file == "content/exercises/cat-cow.yaml"


VARIATIONS = """variations:
  - name: Both knees
    instructions: Bring both knees to the chest together once one knee feels easy.
    effect: harder
"""


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("kind: static-stretch", "kind: [static-stretch]", "unknown-value"),
        (VARIATIONS, "variations: 1.0\n", "wrong-type"),
        ("id: knee-to-chest", "id: {a: 1}", "wrong-type"),
    ],
    ids=["list-for-kind", "number-for-variations", "mapping-for-id"],
)
def test_a_value_of_the_wrong_type_is_reported_not_crashed_on(
    tmp_path: Path, old: str, new: str, rule: str
) -> None:
    # Found by fuzzing: the mutation fuzzing above (a list reached the text rule's cache; with
    # 60 more seeds, a mapping used as an id crashed the rules across files) and a longer run of
    # the property tests (the text rule iterated a number).
    shutil.copytree(REPO / "content", tmp_path / "content")
    path = tmp_path / "content/exercises/knee-to-chest.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    result = check_project(tmp_path, jobs=1)
    assert [d.rule for d in result.errors] == [rule]
    assert result.errors[0].file == "content/exercises/knee-to-chest.yaml"


def test_a_routine_naming_an_exercise_with_a_mapping_is_reported_not_crashed_on(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    path = tmp_path / "content/routines/home-hamstring-care.yaml"
    text = path.read_text()
    item = "  - exercise: supine-hamstring-stretch-strap\n    dosage:"  # with a dosage override
    assert item in text
    path.write_text(text.replace(item, "  - exercise: {id: supine-hamstring-stretch-strap}\n    dosage:"))
    result = check_project(tmp_path, jobs=1)
    assert [d.rule for d in result.errors] == ["wrong-type"]
    assert result.errors[0].file == "content/routines/home-hamstring-care.yaml"
