"""A build, a large check and the desk killed with SIGKILL leave no process behind: their
workers, the forkserver and the resource tracker end within a few seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO

from benchmarks.common import make_library, publish

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")


def session_members(session: int) -> list[int]:
    """The processes of a session (the killed process started it, so its descendants are in it)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PIPELINE_TODAY": "2026-11-24"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_and_expect_nothing_left(process: subprocess.Popen[bytes], workers_at_least: int) -> None:
    assert wait_until(lambda: len(session_members(process.pid)) >= 1 + workers_at_least, 120), (
        "the workers never started"
    )
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = session_members(process.pid)
    assert wait_until(lambda: not session_members(process.pid), 5), f"still running: {left}"


def test_a_killed_build_leaves_no_worker_forkserver_or_tracker(tmp_path: Path) -> None:
    make_library(tmp_path, 120, invalid_share=0)
    publish(tmp_path)
    build = start(["build", "--quiet", "--jobs", "2"], tmp_path)
    kill_and_expect_nothing_left(build, workers_at_least=3)  # forkserver and two workers


def test_a_killed_large_check_leaves_no_worker(tmp_path: Path) -> None:
    make_library(tmp_path, 3000, invalid_share=0)
    check = start(["check"], tmp_path)
    kill_and_expect_nothing_left(check, workers_at_least=2)


def test_a_killed_desk_leaves_no_renderer(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "content")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    desk = start(["desk", "--port", str(port), "--no-open"], tmp_path)
    kill_and_expect_nothing_left(desk, workers_at_least=2)
