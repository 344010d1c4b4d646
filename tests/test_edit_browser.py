"""`pipeline edit` in Chromium (the system's, through Playwright): axe-core finds nothing
serious on its pages, and an author fixes an unsafe hold shown in the check's words."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from browserkit import chromium, needs_axe, needs_chromium, serious_problems

from pipeline.edit.app import EditConfig, create_app

pytestmark = [needs_chromium, needs_axe]
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def editor_url(root: Path) -> Iterator[str]:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(EditConfig(root=root)), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the editor did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()


def test_an_author_fixes_an_unsafe_hold_and_every_page_passes_axe(editor_url: str, root: Path) -> None:
    with chromium() as browser:
        page = browser.new_context(bypass_csp=True).new_page()  # axe is injected as a script
        page.goto(editor_url + "/")
        assert serious_problems(page) == []
        page.get_by_role("link", name="Bird-dog").click()
        assert serious_problems(page) == []
        hold = page.get_by_label("Hold (seconds)")
        hold.fill("45")
        page.get_by_role("button", name="Save").first.click()
        assert "beginner isometric hold allows at most 20 s" in page.content()
        assert serious_problems(page) == []
        assert "hold_seconds: 8" in (root / "content/exercises/bird-dog.yaml").read_text()
        page.get_by_label("Hold (seconds)").fill("10")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved content/exercises/bird-dog.yaml").wait_for()
        assert "hold_seconds: 10" in (root / "content/exercises/bird-dog.yaml").read_text()
