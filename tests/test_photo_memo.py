"""The check's memory of photos: one index a run, never fooled by a photo rewritten in place,
never damaged by two checks at once (docs/security.md, "The lesser ones")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

from pipeline.images import inspect as inspect_module
from pipeline.images.inspect import FOLDER
from pipeline.resources import user_cache

PHOTO = "content/images/cat-cow-end.jpg"


def rewrite_in_place_cut_short(path: Path) -> None:
    """What a careless tool (or a hostile one) can do: the same file, inode and size, the
    end of the photo turned to zeros, the old modification time put back."""
    before = path.stat()
    data = path.read_bytes()
    damaged = data[: len(data) // 2] + bytes(len(data) - len(data) // 2)
    with open(path, "r+b") as handle:
        handle.write(damaged)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def index_of(root: Path) -> Path:
    (index,) = user_cache(FOLDER).glob("index-*.json")  # this test's project is the only one
    return index


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, so the only index in it is this project's."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


def test_a_photo_rewritten_in_place_with_its_old_size_and_time_is_inspected_again(
    root: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.trust import stamps

    monkeypatch.setattr(stamps, "RECENT_NS", 0)  # every file old: only its stamp speaks for it
    assert run(root, "check").exit_code == 0
    assert str((root / PHOTO).resolve()) in json.loads(index_of(root).read_text())["entries"]
    rewrite_in_place_cut_short(root / PHOTO)
    result = run(root, "check")
    assert result.exit_code == 1
    assert "content/exercises/cat-cow.yaml:38:" in result.output
    assert "images/cat-cow-end.jpg cannot be decoded (the file is cut short)" in result.output


def test_a_photo_changed_within_its_clock_tick_is_told_by_its_content(root: Path, own_cache: Path) -> None:
    """A file system whose clock is coarse can give the rewrite the very change time the memo
    saw; a photo that was that recent is then known by its sha256, not by its times."""
    assert run(root, "check").exit_code == 0  # the photos were copied just now: recent
    index = index_of(root)
    memo = json.loads(index.read_text())
    key = str((root / PHOTO).resolve())
    entry = json.loads(memo["entries"][key])  # each entry is kept as its own JSON text
    assert entry[0][4], "a recent photo's memo keeps its content's hash"
    rewrite_in_place_cut_short(root / PHOTO)
    entry[0][2] = (root / PHOTO).stat().st_ctime_ns  # as a coarse clock would show
    memo["entries"][key] = json.dumps(entry)
    index.write_text(json.dumps(memo))
    result = run(root, "check")
    assert result.exit_code == 1
    assert "images/cat-cow-end.jpg cannot be decoded (the file is cut short)" in result.output


CHECK = [sys.executable, "-m", "pipeline", "check", "--format", "json"]


def test_checks_run_at_once_leave_one_whole_index_that_the_next_check_uses(
    root: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "PIPELINE_TODAY": "2026-11-24"}
    for _ in range(2):
        for photo in root.glob("content/images/*.jpg"):  # every photo new to the memo again
            photo.write_bytes(photo.read_bytes() + b"\0")
        runs = [subprocess.Popen(CHECK, cwd=root, env=env, stdout=subprocess.PIPE) for _ in range(5)]
        outputs = [process.communicate()[0] for process in runs]
        assert [process.returncode for process in runs] == [0] * 5
        assert len({json.dumps(json.loads(output)["diagnostics"]) for output in outputs}) == 1
    entries = json.loads(index_of(root).read_text())["entries"]
    photos = {str(p.resolve()) for p in root.glob("content/images/*.jpg")}
    assert photos <= set(entries)
    assert not list(index_of(root).parent.glob(".*.tmp")), "no temporary file left behind"

    from pipeline.images import derive

    decoded: list[int] = []
    real = derive.verify
    monkeypatch.setattr(derive, "verify", lambda data: decoded.append(len(data)) or real(data))
    assert run(root, "check").exit_code == 0
    assert decoded == []


def test_what_two_runs_learn_at_once_is_kept_from_both(tmp_path: Path) -> None:
    from pipeline.images.memo import MemoIndex
    from pipeline.trust.stamps import Stamp

    file = tmp_path / "index.json"
    first, second = MemoIndex.open(file, "settings"), MemoIndex.open(file, "settings")
    first.keep(str(tmp_path), Stamp(1, 2, 3, 4), ["first"])
    second.keep(str(file.parent.parent), Stamp(5, 6, 7, 8), ["second"])
    first.save()
    second.save()
    again = MemoIndex.open(file, "settings")
    remembered = [again.get(key) for key in (str(tmp_path), str(file.parent.parent))]
    assert [item.value[0] if item else None for item in remembered] == ["first", "second"]
    assert MemoIndex.open(file, "other settings").get(str(tmp_path)) is None


def test_the_build_reads_a_photo_rewritten_in_place_again(
    root: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build knows each original's sha256 by its stamp (build/cache/original-digests.json):
    a photo rewritten with its old size and time must not keep its old digest, or its web
    copies and handouts would stay those of the old photo."""
    import hashlib

    from pipeline.trust import stamps

    monkeypatch.setattr(stamps, "RECENT_NS", 0)
    assert run(root, "build", "--no-pdf").exit_code == 0
    photo = root / PHOTO
    before = photo.stat()
    data = photo.read_bytes()
    assert data[6:11] == b"JFIF\x00"
    retouched = data[:14] + b"\x01\x2c\x01\x2c" + data[18:]  # 300 dpi: other bytes, the same photo
    with open(photo, "r+b") as handle:
        handle.write(retouched)
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert photo.stat().st_size == before.st_size
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 0
    manifest = json.loads((root / "build/manifest.json").read_text())["outputs"]
    recorded = manifest["html/exercises/cat-cow.html"]["inputs"]["content/images/cat-cow-end.jpg"]
    assert recorded == hashlib.sha256(retouched).hexdigest()


def photo_reads(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    """Every read of a photo's bytes from here on, by its name."""
    images = (root / "content/images").resolve()
    reads: list[str] = []
    real = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.resolve().parent == images:
            reads.append(path.name)
        return real(path)

    def counted_by_name(path: str) -> bytes:
        return counted(Path(path))

    monkeypatch.setattr(Path, "read_bytes", counted)
    monkeypatch.setattr(inspect_module, "_bytes_of", counted_by_name)  # the check reads by name
    return reads


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_build_reads_no_photo_that_its_check_already_knows(
    root: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check's memo keeps each photo's sha256, and the build asks it for the digest of
    each original: the build's own memo of digests is not needed, and no photo is read."""
    from pipeline.trust import stamps

    monkeypatch.setattr(stamps, "RECENT_NS", 0)  # the photos are old: their times tell
    assert run(root, "build", "--no-pdf").exit_code == 0
    (root / "build/cache/original-digests.json").unlink(missing_ok=True)
    reads = photo_reads(monkeypatch, root)
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 0
    assert "Built 0," in result.output
    assert reads == []


def test_photos_of_a_fresh_clone_are_read_again_only_until_their_times_can_be_trusted(
    root: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh clone's photos are all just written, so the first memo keeps their sha256 and
    reads them again to compare (pipeline/trust/stamps.py); once they are old enough, one
    build stamps them anew, and after it a build with nothing to do reads none of them and
    writes nothing into build/."""
    from pipeline.trust import stamps

    monkeypatch.setattr(stamps, "RECENT_NS", 10**18)  # every photo recent, as after a clone
    assert run(root, "build", "--no-pdf").exit_code == 0
    monkeypatch.setattr(stamps, "RECENT_NS", 0)  # later: every photo old enough
    assert run(root, "build", "--no-pdf").exit_code == 0
    before = files_under(root / "build")
    reads = photo_reads(monkeypatch, root)
    assert run(root, "build", "--no-pdf").exit_code == 0
    assert reads == []
    assert files_under(root / "build") == before
