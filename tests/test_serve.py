"""`pipeline serve` end to end: start it, edit a file, see the page change, stop it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
# Debian's chromium here and in .ci/run; Google Chrome on GitHub's runners.
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("the preview did not change in time")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 (closed after the server stops)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--root", str(tmp_path), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PIPELINE_TODAY": "2026-11-23"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "Body Fundamentals" in get(base + "/"))
        yield base, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        print((tmp_path / "serve.log").read_text())


def version(base: str) -> dict:
    return json.loads(get(base + "/__version"))


def rebuilt_without_problems(base: str, before: int) -> bool:
    state = version(base)
    return bool(state["version"] > before and not state["problems"])


def test_edit_shows_on_the_page_and_errors_show_with_file_and_line(server: tuple[str, Path]) -> None:
    base, root = server
    snippet = base + "/html/exercises/knee-to-chest.html"
    assert "Single knee-to-chest stretch" in get(snippet)
    assert "location.reload()" in get(snippet)  # the reload script is served...
    on_disk = (root / "build/html/exercises/knee-to-chest.html").read_text()
    assert "location.reload()" not in on_disk  # ...but never written to build/

    path = root / "content/exercises/knee-to-chest.yaml"
    before = version(base)["version"]
    path.write_text(
        path.read_text().replace("title: Single knee-to-chest stretch", "title: Knee hug stretch")
    )
    # The version moves once a whole rebuild is done (the snippet is written before the PDFs,
    # the preview page after them); the page reloads on it, so the test waits on it too.
    wait_for(lambda: rebuilt_without_problems(base, before))
    assert "Knee hug stretch" in get(snippet)
    assert "Knee hug stretch" in get(base + "/")

    before = version(base)["version"]
    path.write_text(path.read_text().replace("hold_seconds: 20", "hold_seconds: 90"))
    wait_for(lambda: version(base)["version"] > before and version(base)["problems"])
    problems = version(base)["problems"]
    assert any(
        p.startswith("content/exercises/knee-to-chest.yaml:") and "at most 30 s" in p for p in problems
    )
    page = get(base + "/")
    assert 'id="pipeline-problems"' in page and "knee-to-chest.yaml:" in page
    assert "Knee hug stretch" in page  # the last good build is still served

    path.write_text(path.read_text().replace("hold_seconds: 90", "hold_seconds: 20"))
    wait_for(lambda: not version(base)["problems"])
    assert 'id="pipeline-problems"' not in get(base + "/")


@needs_chromium
def test_the_preview_renders_in_a_browser_with_the_problem_box(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, root = server
    path = root / "content/exercises/bird-dog.yaml"
    path.write_text(path.read_text().replace("reps: 6", "reps: 60"))
    wait_for(lambda: bool(version(base)["problems"]))
    done = subprocess.run(
        chromium_command(tmp_path, "--dump-dom", base + "/"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Hamstring stretch on the BackSystem3" in done.stdout
    assert "content/exercises/bird-dog.yaml:" in done.stdout and "pipeline-problems" in done.stdout


def chromium_command(tmp_path: Path, *arguments: str) -> list[str]:
    return [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        *arguments,
    ]


def open_page_titles(devtools: str) -> list[str]:
    tabs = json.loads(get(devtools + "/json/list"))
    return [tab["title"] for tab in tabs if tab["type"] == "page"]


@needs_chromium
def test_an_open_page_reloads_itself_after_a_rebuild(server: tuple[str, Path], tmp_path: Path) -> None:
    # Chromium keeps the page open; its DevTools endpoint lists each open page's title, so the
    # test sees what a person at the screen would: the title changes without anyone reloading.
    base, root = server
    port = free_port()
    browser = subprocess.Popen(
        chromium_command(tmp_path, f"--remote-debugging-port={port}", base + "/"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    devtools = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "Body Fundamentals: exercise library preview" in open_page_titles(devtools))
        studio = root / "content/studio.yaml"
        studio.write_text(studio.read_text().replace("name: Body Fundamentals", "name: Body Basics"))
        wait_for(lambda: "Body Basics: exercise library preview" in open_page_titles(devtools))
    finally:
        browser.terminate()
        browser.wait(timeout=10)


def raw_request(base: str, path: str, host: str) -> bytes:
    """A request as an attacker sends it: any path bytes, any Host."""
    address = base.removeprefix("http://").split(":")
    with socket.create_connection((address[0], int(address[1])), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_the_preview_refuses_other_hosts_and_unusable_paths_without_a_traceback(
    server: tuple[str, Path],
) -> None:
    base, root = server
    port = base.rsplit(":", 1)[1]
    assert raw_request(base, "/index.html", f"127.0.0.1:{port}").startswith(b"HTTP/1.0 200")
    assert raw_request(base, "/index.html", f"localhost:{port}").startswith(b"HTTP/1.0 200")
    rebinding = raw_request(base, "/index.html", "evil.example")
    assert rebinding.startswith(b"HTTP/1.0 400") and b"Body Fundamentals" not in rebinding
    for path in ("/%00", "/x%00.html", "/%ff%fe.html", "/%0d%0aSet-Cookie:x"):
        assert raw_request(base, path, f"127.0.0.1:{port}").startswith(b"HTTP/1.0 400"), path
    assert raw_request(base, "/index.html", f"127.0.0.1:{port}").startswith(b"HTTP/1.0 200")
    assert "Traceback" not in (root / "serve.log").read_text()


def test_the_exercise_being_written_shows_as_a_draft(server: tuple[str, Path]) -> None:
    # An instructor's new exercise is a draft until it is reviewed: the preview must show it
    # (that is what the preview is for), and say on the page that it is a draft.
    base, root = server
    before = version(base)["version"]
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(root), "new", "exercise", "seated-figure-four"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    wait_for(lambda: rebuilt_without_problems(base, before))
    page = get(base + "/")
    entry = page.split('id="exercise-seated-figure-four-en"', 1)[1].split("</section>", 1)[0]
    assert "Seated figure four" in entry
    assert "Draft — not reviewed — not for clients." in entry
    assert "exercise · draft" in page.replace("\n", " ")
    snippet = entry.split('href="', 2)[2].split('"', 1)[0]  # the "Snippet file" link
    assert "drafts/" in snippet and "Seated figure four" in get(f"{base}/{snippet}")
