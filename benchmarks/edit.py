"""`make bench`, edit: `pipeline edit` measured from outside, as a browser uses it.

On a copy of the starter library, with the editor running in a process of its own (warm:
the page opened once first): a save's round trip (the form posted with one value changed,
until its 303 answer; the file checked and written) and a live field check (the form posted
to /check/<kind>/<id>, until its JSON), against `pipeline check <file>` run as a process on
the same exercise, as an author without the editor would. Interleaved rounds, best of each
(benchmarks/targets.side_by_side), and the median of the HTTP runs too. Target (issue 23):
a save under half of the check process.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.targets import Ratio, side_by_side

EXERCISE = "bird-dog"
HOLD = "dosage.hold_seconds"
ROUNDS = 7
HTTP_RUNS = 20  # per round for the medians


class FormFields(HTMLParser):
    """What a browser sends for the page's form: every named input, textarea and select."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if (tag == "input" and a.get("name") and a.get("type") not in ("file", "checkbox")) or (
            tag == "input" and a.get("type") == "checkbox" and "checked" in a
        ):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "select":
            self._select, self._option = a.get("name"), None
        elif tag == "option" and self._select and ("selected" in a or self._option is None):
            self._option = a.get("value", "\0")

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._option == "\0":
            self._option = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append((self._select, self._option or ""))
            self._select = None


class Editor:
    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.origin = f"http://{host}:{port}"
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes, str]:
        headers = {"Cookie": self.cookie, "Origin": self.origin}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data, response.getheader("location") or ""

    def form(self) -> list[tuple[str, str]]:
        status, page, _ = self.request("GET", f"/exercise/{EXERCISE}")
        assert status == 200, status
        reader = FormFields()
        reader.feed(page.decode())
        return reader.fields


@contextmanager
def running_editor(root: Path) -> Iterator[Editor]:
    command = [sys.executable, "-m", "pipeline", "--root", str(root), "edit", "--no-open", "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines = [process.stderr.readline()]
    while lines[-1] and "open on" not in lines[-1]:
        lines.append(process.stderr.readline())
    found = re.search(r"http://\S+/", lines[-1])
    assert found, "".join(lines)
    url = urlsplit(found.group(0))
    drain = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
    drain.start()
    try:
        yield Editor(url.hostname or "127.0.0.1", url.port or 80)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        drain.join(timeout=10)


def bench_edit(content: Path) -> list[Ratio]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(content, root / "content")
        with running_editor(root) as editor:
            fields = editor.form()  # warm: the page, its check, the session
            holds = iter(range(1_000_000))

            def save() -> float:
                nonlocal fields
                hold = str(5 + next(holds) % 10)  # a value that changes, within the limit
                body = urlencode([(k, hold if k == HOLD else v) for k, v in fields] + [("button", "save")])
                started = time.perf_counter()
                status, _, _ = editor.request("POST", f"/exercise/{EXERCISE}", body.encode())
                seconds = time.perf_counter() - started
                assert status == 303, status
                fields = editor.form()  # the new version, for the next save
                return seconds

            def live() -> float:
                body = urlencode([(k, "45" if k == HOLD else v) for k, v in fields]).encode()
                started = time.perf_counter()
                status, answer, _ = editor.request("POST", f"/check/exercise/{EXERCISE}", body)
                seconds = time.perf_counter() - started
                assert status == 200 and b"hold allows at most" in answer, answer[:200]
                return seconds

            def check_process() -> float:
                file = root / f"content/exercises/{EXERCISE}.yaml"
                command = [sys.executable, "-m", "pipeline", "--root", str(root), "check", str(file)]
                started = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False, env={**os.environ})
                return time.perf_counter() - started

            live(), save()  # the first of each pays its imports
            best = side_by_side({"save": save, "live": live, "check": check_process}, rounds=ROUNDS)
            saves = [save() for _ in range(HTTP_RUNS)]
            lives = [live() for _ in range(HTTP_RUNS)]
    ms = {name: seconds * 1000 for name, seconds in best.items()}
    print(f"\nedit: {EXERCISE}, the starter library ({ROUNDS} interleaved rounds, best of each)")
    print(
        f"  save round trip (POST to 303, checked and written): {ms['save']:.0f} ms "
        f"(median of {HTTP_RUNS}: {statistics.median(saves) * 1000:.0f} ms)"
    )
    print(
        f"  live field check (POST to JSON): {ms['live']:.0f} ms "
        f"(median of {HTTP_RUNS}: {statistics.median(lives) * 1000:.0f} ms)"
    )
    print(f"  pipeline check <file>, a process: {ms['check']:.0f} ms")
    how = f"save {ms['save']:.0f} ms / check process {ms['check']:.0f} ms"
    live_how = f"live {ms['live']:.0f} ms / check process {ms['check']:.0f} ms"
    return [
        Ratio("edit: a save against pipeline check <file>", best["save"] / best["check"], 0.5, how=how),
        Ratio(
            "edit: a live check against pipeline check <file>",
            best["live"] / best["check"],
            0.5,
            how=live_how,
        ),
    ]
