"""Faults a build must survive: being killed, running twice at once, an unwritable folder."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.common import make_library
from pipeline.publish.build import BuildOptions, build
from pipeline.publish.outputs import BuildLocked, build_lock

TODAY = date(2026, 11, 23)
REPO = Path(__file__).parent.parent


def publish_all(root: Path) -> None:
    for path in (root / "content/exercises").glob("*.yaml"):
        text = path.read_text().replace("status: draft", "status: published")
        path.write_text(
            text.replace(
                "review:\n  author: Bench\n", "review:\n  reviewed_by: Tester\n  reviewed_on: 2026-11-01\n"
            )
        )


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--root", str(root), "build", "--jobs", "2", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "PIPELINE_TODAY": "2026-11-23"},
    )


def assert_every_output_complete(out: Path) -> None:
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1, pdf
    for html in out.rglob("*.html"):
        assert html.read_text("utf-8").rstrip().endswith(("</article>", "</html>")), html
    if (out / "manifest.json").exists():
        json.loads((out / "manifest.json").read_text())


def test_a_killed_build_leaves_only_complete_files_and_the_next_repairs(tmp_path: Path) -> None:
    make_library(tmp_path, 40, invalid_share=0)
    publish_all(tmp_path)
    rng = random.Random(5)
    for _ in range(3):
        process = start_build(tmp_path)
        time.sleep(rng.uniform(0.8, 2.5))
        os.killpg(process.pid, signal.SIGKILL)  # the whole build, workers included
        process.wait()
        assert_every_output_complete(tmp_path / "build")
    report = build(tmp_path, BuildOptions(out=tmp_path / "build", today=TODAY, jobs=2))
    assert report.ok
    assert_every_output_complete(tmp_path / "build")
    assert len(list((tmp_path / "build/pdf/exercises").glob("*.pdf"))) == 40
    assert not list((tmp_path / "build").rglob("*.tmp"))
    again = build(tmp_path, BuildOptions(out=tmp_path / "build", today=TODAY, jobs=2))
    assert again.built == []


def test_a_second_build_on_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    with build_lock(tmp_path / "build"):
        second = build_lock(tmp_path / "build")
        with pytest.raises(BuildLocked, match="another build is writing"):
            second.__enter__()


def test_a_locked_output_folder_gives_exit_2_with_a_message(tmp_path: Path) -> None:
    make_library(tmp_path, 2, invalid_share=0)
    with build_lock(tmp_path / "build"):
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "--root", str(tmp_path), "build", "--drafts"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert "another build is writing to" in done.stderr


def test_a_write_error_fails_the_entry_not_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_library(tmp_path, 3, invalid_share=0)
    from pipeline.publish import produce as produce_module  # where the build writes what it made

    real = produce_module.write_atomically

    def disk_full(path: Path, data: bytes) -> None:
        if path.name == "exercise-00001.html":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(produce_module, "write_atomically", disk_full)
    report = build(
        tmp_path, BuildOptions(out=tmp_path / "build", today=TODAY, jobs=1, drafts=True, pdf=False)
    )
    assert report.failed == [  # drafts (the generated library's) are written under drafts/
        (
            "drafts/html/exercises/exercise-00001.html",
            "cannot write drafts/html/exercises/exercise-00001.html: No space left on device",
        )
    ]
    assert (tmp_path / "build/drafts/html/exercises/exercise-00000.html").is_file()


# A real read-only or full output folder: a small tmpfs mounted on build/. Root ignores file
# permissions, so a mount is the honest way to get EROFS and ENOSPC here.
@pytest.fixture
def studio_on_tmpfs(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    out = tmp_path / "build"
    out.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(out)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield tmp_path
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)


def run_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(root), "build", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PIPELINE_TODAY": "2026-11-23"},
    )


def files_under(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def rename_an_exercise(root: Path) -> None:
    path = root / "content/exercises/knee-to-chest.yaml"
    path.write_text(path.read_text().replace("title: Single knee-to-chest stretch", "title: Knee hug"))


def fill_up(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_output_folder_fails_the_entries_and_loses_nothing(studio_on_tmpfs: Path) -> None:
    root, out = studio_on_tmpfs, studio_on_tmpfs / "build"
    assert run_build(root).returncode == 0
    before = files_under(out)
    filler = fill_up(out)
    rename_an_exercise(root)

    done = run_build(root)
    assert done.returncode == 1
    assert "knee-to-chest" in done.stderr and "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    filler.unlink()
    assert files_under(out) == before  # every handout, snippet and the manifest as they were

    assert run_build(root).returncode == 0  # with room again, the next build catches up
    assert "Knee hug" in (out / "html/exercises/knee-to-chest.html").read_text()
    assert "Built 0," in run_build(root).stdout


def test_a_read_only_output_folder_is_refused_with_exit_1_and_loses_nothing(studio_on_tmpfs: Path) -> None:
    root, out = studio_on_tmpfs, studio_on_tmpfs / "build"
    assert run_build(root).returncode == 0
    before = files_under(out)
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    rename_an_exercise(root)

    done = run_build(root)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: cannot write to the output folder {out} (Read-only file system)")
    assert files_under(out) == before

    subprocess.run(["mount", "-o", "remount,rw", str(out)], check=True)
    assert run_build(root).returncode == 0
    assert "Knee hug" in (out / "html/exercises/knee-to-chest.html").read_text()


def make_named_pipe(path: Path) -> None:
    os.mkfifo(path)


def make_folder(path: Path) -> None:
    path.mkdir()


def make_link_to_endless_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


# A named pipe would block a plain read forever and /dev/zero never ends: the commands run in a
# subprocess with a timeout, so a regression fails here instead of hanging the suite (or CI).
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (make_named_pipe, "this is a named pipe, not a file of text; remove or rename it [file-unreadable]"),
        (make_folder, "this is a folder, not a file of text; remove or rename it [file-unreadable]"),
        (make_link_to_endless_device, '"content/exercises/odd.yaml" is a link (to "/dev/zero")'),
    ],
    ids=["named-pipe", "folder", "link-to-dev-zero"],
)
def test_a_content_file_that_is_not_a_plain_file_is_refused_without_hanging(
    tmp_path: Path, make: Callable[[Path], None], expected: str
) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    make(tmp_path / "content/exercises/odd.yaml")
    command = [sys.executable, "-m", "pipeline", "--root", str(tmp_path)]
    checked = subprocess.run([*command, "check"], capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 1
    assert f"content/exercises/odd.yaml:1:1: error: {expected}" in checked.stdout
    formatted = subprocess.run(
        [*command, "fmt", "--check"], capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in formatted.stderr and formatted.returncode in (0, 1)


def test_fmt_leaves_a_link_as_a_link(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    target = tmp_path / "content/exercises/cat-cow.yaml"
    target.write_text(target.read_text().replace("id: cat-cow\n", "") + "id: cat-cow\n")  # out of order
    link = tmp_path / "content/exercises/alias.yaml"
    link.symlink_to("cat-cow.yaml")
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(tmp_path), "fmt"], check=True, capture_output=True
    )
    assert link.is_symlink()  # formatted through the file it points to, not replaced by a copy
    assert target.read_text().splitlines()[1] == "id: cat-cow"
