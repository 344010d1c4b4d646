"""`make bench`, desk: `pipeline desk` measured from outside, as a browser sees it.

A 3-exercise packet: time to first byte over 50 requests one after another (p50, p95), and
under 8 clients at once (every request answered: a PDF or "busy, try again", none lost);
the render workers are gone when the desk stops. Then the page for a library of 1,000
exercises: time to serve it and its weight, as sent (gzip) and unpacked.
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PACKET = ["knee-to-chest", "cat-cow", "supine-hamstring-stretch-strap"]
SEQUENTIAL = 50
CLIENTS, PER_CLIENT = 8, 6


@dataclass
class Desk:
    host: str
    port: int
    pid: int

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=60)


@contextmanager
def running_desk(root: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[Desk]:
    """`pipeline desk` in a process of its own; what it prints goes to `log` when given."""
    command = [sys.executable, "-m", "pipeline", "--root", str(root), "desk", "--no-open", "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    assert process.stderr is not None
    lines = [process.stderr.readline()]
    while lines[-1] and "open on" not in lines[-1]:
        lines.append(process.stderr.readline())
    url = urlsplit(re.search(r"http://\S+/", lines[-1]).group(0))  # type: ignore[union-attr]
    drain = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
    drain.start()
    try:
        yield Desk(url.hostname or "127.0.0.1", url.port or 80, process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        drain.join(timeout=10)
        process.stderr.close()
        if log is not None:
            log.write_text("".join(lines))


def session(desk: Desk) -> tuple[str, str]:
    """(cookie, form token), as a browser gets them from the page."""
    connection = desk.connection()
    connection.request("GET", "/")
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    cookie = (response.getheader("set-cookie") or "").split(";", 1)[0]
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return cookie, token


def packet_body(token: str) -> bytes:
    fields = [("csrf", token), ("client", "Bench Client"), ("date", "2026-11-24")]
    fields += [("entry", entry_id) for entry_id in PACKET]
    return urlencode(fields).encode()


def first_byte(desk: Desk, cookie: str, body: bytes) -> tuple[float, int, int]:
    """Seconds to the first byte of the answer, its status and its size."""
    connection = desk.connection()
    origin = f"http://{desk.host}:{desk.port}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Origin": origin}
    started = time.perf_counter()
    connection.request("POST", "/handout", body=body, headers=headers)
    response = connection.getresponse()
    waited = time.perf_counter() - started
    size = len(response.read())
    connection.close()
    return waited, response.status, size


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_packets(root: Path) -> None:
    with running_desk(root) as desk:
        cookie, token = session(desk)
        body = packet_body(token)
        first = first_byte(desk, cookie, body)[0]
        print(
            f"desk, the first packet after start: {first * 1000:.0f} ms to first byte "
            "(its exercises' fit levels not yet learnt, the templates not yet compiled)"
        )
        sequential = [first_byte(desk, cookie, body) for _ in range(SEQUENTIAL)]
        times = [t for t, status, _ in sequential if status == 200]
        print(
            f"desk, 3-exercise packet, {SEQUENTIAL} one after another: time to first byte "
            f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms "
            f"(goals 400 / 800 ms; {len(times)} PDFs of {sequential[0][2] // 1024} KB)"
        )
        results = concurrent(desk, cookie, body)
        workers = _worker_pids(desk.pid)
    ok = [t for t, status, _ in results if status == 200]
    busy = sum(1 for _, status, _ in results if status == 503)
    other = len(results) - len(ok) - busy
    print(
        f"desk, {CLIENTS} clients at once, {len(results)} requests: {len(ok)} PDFs, {busy} busy (503), "
        f"{other} other; PDFs p50 {percentile(ok, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(ok, 0.95) * 1000:.0f} ms"
    )
    left = still_running(workers)
    print(
        f"desk stopped: {len(workers)} helper processes before (render workers, their starter), "
        f"{len(left)} left"
    )
    for pid, command in left:
        print(f"  left running: {pid} {command}")


def still_running(pids: list[int], patience: float = 5.0) -> list[tuple[int, str]]:
    """The processes of `pids` still alive after `patience` seconds (they end on their own
    once the desk's pipes close)."""
    deadline = time.monotonic() + patience
    while True:
        alive = []
        for pid in pids:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
            except OSError:
                continue
            if state != "Z":
                alive.append((pid, command))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def concurrent(desk: Desk, cookie: str, body: bytes) -> list[tuple[float, int, int]]:
    results: list[tuple[float, int, int]] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(PER_CLIENT):
            try:
                outcome = first_byte(desk, cookie, body)
            except OSError:
                outcome = (0.0, 0, 0)  # lost: no answer at all
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _worker_pids(root_pid: int) -> list[int]:
    from benchmarks.common import _descendants

    return [pid for pid, _ in _descendants(root_pid)]


def bench_page(exercises: int) -> None:
    from benchmarks.common import make_library, publish

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, exercises, invalid_share=0)
        publish(root)
        with running_desk(root) as desk:
            timings, sizes = [], {}
            for encoding in ("gzip", "identity") * 10:
                connection = desk.connection()
                started = time.perf_counter()
                connection.request("GET", "/", headers={"Accept-Encoding": encoding})
                response = connection.getresponse()
                body = response.read()
                timings.append(time.perf_counter() - started)
                sizes[encoding] = len(body)
                connection.close()
    print(
        f"desk page, {exercises} exercises: served in {statistics.median(timings) * 1000:.0f} ms (median of "
        f"{len(timings)}, goal 200 ms), {sizes['gzip'] / 1024:.0f} KB as sent (gzip), "
        f"{sizes['identity'] / 1024:.0f} KB unpacked (goal 300 KB)"
    )


def bench_desk(content: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(content, Path(tmp) / "content")
        os.environ.setdefault("PIPELINE_TODAY", "2026-11-24")
        bench_packets(Path(tmp))
    bench_page(1000)
