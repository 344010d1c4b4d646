"""The check's fast reading (pipeline/load/quick.py) and the full reading agree: the same data,
the same positions once asked for, and every check the same report, word for word; whatever
the full reading reports or refuses, the fast one hands to it."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from casekit import CASES, TODAY, case_dirs, report_lines, run_case
from conftest import REPO, run

from pipeline.check import check_project
from pipeline.load import quick
from pipeline.load.yaml import Document, load_bytes

CASE_FILES = sorted(CASES.rglob("*.yaml"))
CORPUS = sorted([*(REPO / "fuzz" / "corpus").glob("*.yaml"), *(REPO / "content").rglob("*.yaml")])


def both_ways(raw: bytes) -> tuple[Document, Document]:
    return load_bytes(raw, Document("x.yaml", None)), load_bytes(raw, Document("x.yaml", None), quick=True)


def assert_agree(raw: bytes) -> bool:
    """The two readings of `raw` agree; True when the fast one read it itself."""
    full, fast = both_ways(raw)
    if not isinstance(fast, quick.QuickDocument):
        assert (fast.data, fast.diagnostics) == (full.data, full.diagnostics)
        return False
    assert full.diagnostics == [] and full.data is not None, "the fast reading kept a file with a problem"
    assert fast.data == full.data
    assert fast.sha256 == full.sha256 and fast.text == full.text
    slim_keys = list(full.data)
    assert fast.slim(slim_keys) == full.slim(slim_keys)  # what travels back from a worker
    for path in full.positions:
        assert fast.locate(path) == full.locate(path)
        assert fast.locate_key(path) == full.locate_key(path)
    assert fast.locate(("no", "such", "key")) == full.locate(("no", "such", "key"))
    return True


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: str(p.relative_to(CASES)))
def test_every_case_file_reads_the_same_both_ways(path: Path) -> None:
    assert_agree(path.read_bytes())


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_case_reports_the_same_with_the_full_reading_alone(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # test_cases.py runs the check as it is (fast reading first); here every file is read fully.
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    monkeypatch.setattr("pipeline.load.yaml.read_quickly", lambda text, doc, remembered: None)
    assert report_lines(run_case(case, tmp_path)) == expected


# Text edits that make a file something the full reading reports, refuses or reads otherwise.
EDITS = [
    lambda t, r: t + t.splitlines()[0] + "\n",  # a key twice
    lambda t, r: t.replace("\n", "\n---\n", 1),  # two documents
    lambda t, r: t.replace(": ", ": !!str ", 1),  # a tag
    lambda t, r: t.replace(": ", ": !!python/object:os.system ", 1),
    lambda t, r: t.replace(": ", ": &a ", 1) + "again: *a\n",  # an anchor and its alias
    lambda t, r: t.replace(": ", ": &a ", 1),  # an anchor alone is fine
    lambda t, r: t + "<<: {a: 1}\n",  # a merge key
    lambda t, r: t + "'<<': quoted, so a plain key\n",
    lambda t, r: t + "? [a, b]\n: complex key\n",
    lambda t, r: t + "? {a: b}\n: complex key\n",
    lambda t, r: "- " + t.replace("\n", "\n  "),  # a list, not a mapping
    lambda t, r: "just text\n",
    lambda t, r: "",
    lambda t, r: "# only a comment\n",
    lambda t, r: "---\n...\n",
    lambda t, r: t + "deep: " + "[" * 40 + "]" * 40 + "\n",
    lambda t, r: t + "deep: " + "[" * 31 + "]" * 31 + "\n",
    lambda t, r: t.replace("  ", "\t", 1),  # a tab in the indentation
    lambda t, r: t.replace(": ", ":: ", 1),
    lambda t, r: t + "empty_at_the_end:",
    lambda t, r: t + "id:\n",  # a second, empty id
    lambda t, r: t.replace("id: ", "id: ~ # ", 1),
    lambda t, r: t.replace("id: ", "id: ''\nold_id: ", 1),
    lambda t, r: t + 'numbers: [0x1F, 0o17, 1_000, -2, +3, .5, 1e3, .inf, -.Inf, .nan, "12", 0b1]\n',
    lambda t, r: t + "flags: [true, False, NULL, ~, yes, no, on, 2026-11-24]\n",
    lambda t, r: t + "flow: {a: 1, b: [x, {c: d}], 'e': \"f\"}\n",
    lambda t, r: t + "text: |\n  kept\n  lines\nfolded: >-\n  one\n  two\n",
    lambda t, r: t + "1: a number as a key\nnull: a null as a key\n",
    lambda t, r: "\ufeff" + t,  # a byte order mark
    lambda t, r: t.replace("\n", "\r\n"),
    lambda t, r: t + "bad: [unclosed\n",
    lambda t, r: t + "ctl: \x07\n",
    lambda t, r: t + f"k{r.randrange(9)}: " + "x" * r.randrange(300) + "\n",
    lambda t, r: t.replace("\n", " # a comment\n", r.randrange(1, 5)),
    lambda t, r: t + "%YAML 1.2\n",
    lambda t, r: "%YAML 1.2\n---\n" + t,
    lambda t, r: t + "nested:\n  - a: 1\n    a: 2\n",  # a key twice, deeper
    lambda t, r: t + "nested:\n  - !!map {a: 1}\n",
    lambda t, r: t + "nested:\n  - ! {a: 1}\n",
    lambda t, r: t + "list: !!seq [1]\n",
]


def test_generated_files_read_the_same_both_ways() -> None:
    rng = random.Random(26)
    texts = [p.read_text("utf-8") for p in CORPUS]
    kept = handed_over = 0
    for _ in range(2000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            text = rng.choice(EDITS)(text, rng)
        if assert_agree(text.encode("utf-8")):
            kept += 1
        else:
            handed_over += 1
    assert kept > 200 and handed_over > 200  # both ways were exercised


@pytest.mark.parametrize(
    "text",
    [
        "id: a\nid: b\n",
        "id: a\nx: &v 1\ny: *v\n",
        "id: !!binary aGk=\n",
        "<<: {a: 1}\n",
        "[a]: b\n",
        "id: a\n---\nid: b\n",
        "- id: a\n",
        "id: [" + "[" * 32 + "]" * 32 + "]\n",
        "id: 'unclosed\n",
    ],
)
def test_what_the_full_reading_reports_is_left_to_it(text: str) -> None:
    assert quick.read_quickly(text, Document("x.yaml", None)) is None
    assert load_bytes(text.encode(), Document("x.yaml", None)).diagnostics


def test_a_fast_document_finds_its_positions_only_when_asked() -> None:
    doc = load_bytes(b"id: a\ndosage:\n  reps: 3\n", Document("x.yaml", None), quick=True)
    assert isinstance(doc, quick.QuickDocument)
    assert set(doc.positions) == {(), ("id",)}
    assert doc.locate(("dosage", "reps")) == (3, 9)
    assert doc.locate_key(("dosage", "reps")) == (3, 3)


# -- what the fast reading remembers between checks (pipeline/load/memo.py) -------------------


def readings(tmp_path: Path) -> dict[str, object]:
    (index,) = (Path(os.environ["XDG_CACHE_HOME"]) / "bodyfundamentals-pipeline" / "readings").glob(
        f"read-{hashlib.sha256(str((tmp_path / 'content').resolve()).encode()).hexdigest()[:20]}.json"
    )
    entries: dict[str, object] = json.loads(index.read_text("utf-8"))["entries"]
    return entries


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_case_reports_the_same_when_its_files_were_read_before(case: Path, tmp_path: Path) -> None:
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    first = run_case(case, tmp_path)
    second = check_project(tmp_path / case.name / "", today=TODAY)  # the same folder again
    assert report_lines(first) == report_lines(second) == expected


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    assert run(tmp_path, "check").exit_code == 0
    assert len(readings(tmp_path)) >= 8  # the starter library's files were remembered
    edited = tmp_path / "content/exercises/knee-to-chest.yaml"
    edited.write_text(edited.read_text("utf-8").replace("status: published", "status: publish"), "utf-8")
    again = run(tmp_path, "check")
    assert again.exit_code == 1
    assert 'knee-to-chest.yaml:6:9: error: status is "publish"' in again.output


def test_the_memo_keeps_only_the_files_of_the_last_check(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    run(tmp_path, "check")
    before = set(readings(tmp_path))
    (tmp_path / "content/exercises/knee-to-chest.yaml").unlink()
    run(tmp_path, "check")
    after = set(readings(tmp_path))
    assert after < before and len(before - after) == 1


def test_a_damaged_memo_is_no_memo(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    first = run(tmp_path, "check")
    index = next(
        (Path(os.environ["XDG_CACHE_HOME"]) / "bodyfundamentals-pipeline" / "readings").glob("read-*")
    )
    for damage in (b"{", b'{"format": 1, "reader": "x", "entries": {}}', b"[]", index.read_bytes()[:-40]):
        for other in index.parent.glob("read-*.json"):
            other.write_bytes(damage)
        assert run(tmp_path, "check").output == first.output


def test_a_remembered_file_still_finds_where_its_problems_are(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    edited = tmp_path / "content/exercises/knee-to-chest.yaml"
    edited.write_text(edited.read_text("utf-8").replace("status: published", "status: publish"), "utf-8")
    first = run(tmp_path, "check")
    assert run(tmp_path, "check").output == first.output  # line and column as the first time


def test_a_second_check_reads_no_file_it_remembers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    first = run(tmp_path, "check")
    walked: list[str] = []
    walk = quick._walk
    monkeypatch.setattr(quick, "_walk", lambda parser: walked.append("x") or walk(parser))
    assert run(tmp_path, "check").output == first.output
    assert walked == []


def test_a_build_checked_in_workers_gets_all_of_every_file_first_time_and_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers send back only the keys every check needs for a file the memo holds, and the
    main process fills in the rest from its own copy: the build must get the same data as a
    reading in one process, whether the memo held the file or not."""
    from pipeline import check as check_module

    shutil.copytree(REPO / "content", tmp_path / "content")

    def data(jobs: int) -> dict[str, object]:
        result = check_project(tmp_path, today=TODAY, jobs=jobs, full_documents=True)
        return {doc.file: doc.data for doc in result.library.documents()}

    monkeypatch.setattr(check_module, "PARALLEL_THRESHOLD", 1)
    first = data(jobs=2)  # nothing remembered: every file's data comes from the workers
    serial = data(jobs=1)
    remembered = data(jobs=2)  # every file remembered: filled in here
    assert len(serial) > 10 and first == serial == remembered
    assert all(len(value) > 5 for file, value in remembered.items() if "/exercises/" in file and value)


def test_two_files_with_the_same_bytes_are_filled_with_data_of_their_own(tmp_path: Path) -> None:
    from pipeline.check import READINGS
    from pipeline.load import memo
    from pipeline.resources import user_cache

    shutil.copytree(REPO / "content", tmp_path / "content")
    run(tmp_path, "check")
    sha = hashlib.sha256((tmp_path / "content/exercises/knee-to-chest.yaml").read_bytes()).hexdigest()
    memo.start_run(user_cache(READINGS), tmp_path / "content")
    twins = [Document("a.yaml", {"id": "a"}, sha256=sha), Document("b.yaml", {"id": "a"}, sha256=sha)]
    memo.fill(twins)
    memo.finish_run({}, [sha])
    first, second = (doc.data for doc in twins)
    assert first == second and first is not None and first["id"] == "knee-to-chest"
    assert first is not second
