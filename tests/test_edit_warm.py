"""The editor's warm reading of the library (pipeline/edit/warm.py): an unchanged file is
not read again, a changed one always is (even rewritten with its old size and time put
back), and a file that became a link is refused as `pipeline check` refuses it."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.edit.warm import WarmFiles
from pipeline.load.library import load_files

CAT_COW = "content/exercises/cat-cow.yaml"


def test_an_unchanged_file_is_not_read_again(root: Path) -> None:
    warm = WarmFiles()
    first = warm.load_files(root, [root / CAT_COW])[0]
    assert warm.load_files(root, [root / CAT_COW])[0] is first
    assert first.data == load_files(root, [root / CAT_COW])[0].data


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(root: Path) -> None:
    path = root / CAT_COW
    warm = WarmFiles()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))  # old: times trusted
    first = warm.load_files(root, [path])[0]
    text = path.read_text()
    before = path.stat()
    path.write_text(text.replace("level: beginner", "level: advanced"))  # the same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    again = warm.load_files(root, [path])[0]
    assert again is not first and again.data != first.data


def test_a_file_that_became_a_link_is_refused_as_the_check_refuses_it(root: Path, tmp_path: Path) -> None:
    path = root / CAT_COW
    warm = WarmFiles()
    warm.load_files(root, [path])
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    refused = warm.load_files(root, [path])[0]
    assert refused.data is None
    assert [d.rule for d in refused.diagnostics] == [d.rule for d in load_files(root, [path])[0].diagnostics]
    assert refused.diagnostics[0].rule == "file-link"
