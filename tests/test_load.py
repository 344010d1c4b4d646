"""The loader: positions for every value, and refusals that cannot live in a case folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.load.yaml import MAX_FILE_BYTES, Document, load_bytes, load_file


def load(text: str | bytes) -> Document:
    raw = text.encode() if isinstance(text, str) else text
    return load_bytes(raw, Document("x.yaml", None))


def test_positions_point_at_values_and_keys() -> None:
    doc = load("id: a\ndosage:\n  reps: 3\nsteps:\n  - one\n  - two\n")
    assert doc.positions[("dosage", "reps")] == (3, 9)
    assert doc.key_positions[("dosage", "reps")] == (3, 3)
    assert doc.positions[("steps", 1)] == (6, 5)
    assert doc.locate(("dosage", "missing", "deeper")) == (3, 3)  # the mapping that lacks it


def test_plain_yaml_types_become_plain_data() -> None:
    doc = load("a: 2024-01-31\nb: 0x1F\nc: 1_000\nd: 1.5\ne: ~\nf: true\ng: '12'\n")
    assert doc.data == {"a": "2024-01-31", "b": 31, "c": 1000, "d": 1.5, "e": None, "f": True, "g": "12"}


def test_bom_and_crlf_keep_positions() -> None:
    doc = load(b"\xef\xbb\xbfid: a\r\nreps: 3\r\n")
    assert doc.data == {"id": "a", "reps": 3}
    assert doc.positions[("reps",)] == (2, 7)


def test_file_over_one_mebibyte_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    doc = load_file(big, "big.yaml")
    assert doc.data is None
    assert [(d.line, d.rule) for d in doc.diagnostics] == [(1, "yaml-too-large")]


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    doc = load_file(tmp_path / "gone.yaml", "gone.yaml")
    assert [d.rule for d in doc.diagnostics] == ["file-unreadable"]


def test_merge_and_complex_keys_are_refused() -> None:
    doc = load("base: {a: 1}\nother:\n  <<: {b: 2}\n? [x, y]\n: 3\n")
    assert [(d.line, d.rule) for d in doc.diagnostics] == [(3, "yaml-key"), (4, "yaml-key")]
    assert doc.data is None


def test_billion_laughs_is_refused_at_the_first_alias() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    doc = load("\n".join(levels) + "\n")
    assert [(d.line, d.rule) for d in doc.diagnostics] == [(2, "yaml-alias")]


def test_nesting_far_past_the_composer_limit_is_refused_without_crashing() -> None:
    doc = load("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert [d.rule for d in doc.diagnostics] == ["yaml-too-deep"]


def test_block_nesting_is_bounded_too() -> None:
    text = "".join(" " * i + "k:\n" for i in range(40))
    doc = load(text)
    assert [d.rule for d in doc.diagnostics] == ["yaml-too-deep"]


# Found by `make fuzz` (atheris): aliases where the loader expected a plain value.
def test_aliases_anywhere_are_refused_not_crashed_on() -> None:
    for text in ("*-", "*a", "*a: 1\n", "a: 1\n*b : 2\n", "- *x\n", "a: [*x, *y]\n", "{*x : 1}\n"):
        doc = load(text)
        assert doc.data is None
        alias_line = text[: text.index("*")].count("\n") + 1
        assert doc.diagnostics and doc.diagnostics[0].line in (1, alias_line), text
        assert doc.diagnostics[0].rule in ("yaml-alias", "yaml-syntax", "yaml-not-mapping"), text


# Found by `make fuzz`: an empty value at the very end is marked past the last line.
def test_problems_at_the_end_of_the_file_point_at_its_last_line() -> None:
    for text in ("---  ", "--- ", "a:", "a: 1\nb:"):
        doc = load(text)
        lines = max(len(text.splitlines()), 1)
        located = [*doc.diagnostics, *(doc.error(p, "x", "y") for p in doc.positions)]
        assert all(1 <= d.line <= lines for d in located), (text, located)


@pytest.mark.parametrize(
    "file",
    ["content/exercises/a.yaml", "a.yaml", "content/x/.yaml", "x/a.es.yaml", "x", "x/.h.yml", "d.x/y"],
)
def test_a_files_stem_is_pathlibs(file: str) -> None:
    from pathlib import PurePosixPath

    from pipeline.load.library import stem_of

    assert stem_of(file) == PurePosixPath(file).stem
