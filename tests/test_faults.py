"""Faults a build must survive: being killed, running twice at once, an unwritable folder."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.bench import make_library
from pipeline.build import BuildOptions, build
from pipeline.outputs import BuildLocked, build_lock

TODAY = date(2026, 11, 23)


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
    from pipeline import build as build_module

    real = build_module.write_atomically

    def disk_full(path: Path, data: bytes) -> None:
        if path.name == "exercise-00001.html":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(build_module, "write_atomically", disk_full)
    report = build(
        tmp_path, BuildOptions(out=tmp_path / "build", today=TODAY, jobs=1, drafts=True, pdf=False)
    )
    assert report.failed == [
        (
            "html/exercises/exercise-00001.html",
            "cannot write html/exercises/exercise-00001.html: No space left on device",
        )
    ]
    assert (tmp_path / "build/html/exercises/exercise-00000.html").is_file()
