"""The packet on the phone: how much a client's phone downloads to open a printed packet's
link, and how long until the exercises show, in headless Chromium at a phone's size on a
throttled connection (Chrome DevTools' "Slow 4G": 150 ms round trip, 1.6 Mbit/s down).

The starter library is built for the web; html/ is served locally with gzip for text files,
as a studio's web host serves them. Goals (issue 17): under 300 KB before photos, under 1 s.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.publish.build import BuildOptions, build
from pipeline.publish.phone.short import short_code, short_key

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
TEXT = (".html", ".js", ".css", ".json")


class Host(http.server.SimpleHTTPRequestHandler):
    """A static host: text files gzipped when the browser accepts it; no logging."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file():
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, *args: object) -> bytes:
        body, self.body = self.body, b""
        return body

    def close(self) -> None:
        pass


def bench_phone(content: Path) -> None:
    print("\n== the packet on the phone (html/packet.html) ==")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(content, root / "content")
        report = build(root, BuildOptions(out=root / "build", today=date(2026, 11, 24), pdf=False))
        assert report.ok, report.failed
        html = root / "build/html"
        _print_sizes(html)
        # The short code a packet prints (format 2): the library's dosages, one hold adjusted
        every_day = {"sets": 1, "frequency_days_per_week": 7, "rest_seconds": None}
        knee = {**every_day, "hold_seconds": 20, "reps": 3, "frequency_times_per_day": 2, "sides": "each"}
        cat_cow = {**every_day, "hold_seconds": None, "reps": 10, "sides": "none"}
        cat_cow["frequency_times_per_day"] = 1
        adjusted = {**knee, "hold_seconds": 25}
        code = short_code("en", [("knee-to-chest", knee, adjusted), ("cat-cow", cat_cow, cat_cow)])
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Host, directory=str(html))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            _time_first_render(f"http://127.0.0.1:{server.server_address[1]}/packet.html#{code}")
        finally:
            server.shutdown()
            server.server_close()


def _print_sizes(html: Path) -> None:
    """What a phone downloads for a packet of two exercises (knee-to-chest and cat-cow)."""
    packet = [short_key("knee-to-chest"), short_key("cat-cow")]
    exercises = [p for p in (html / "packet/exercises").glob("*.json") if p.name.split(".")[0] in packet]
    page = [html / "packet.html", *(html / "packet").glob("*.*"), *exercises]
    raw = sum(p.stat().st_size for p in page)
    zipped = sum(len(gzip.compress(p.read_bytes(), 6)) for p in page)
    fonts = sum(p.stat().st_size for p in (html / "packet/fonts").glob("*.ttf"))
    photos = sum(p.stat().st_size for p in (html / "media/images").glob("knee-to-chest-*-320w.webp"))
    print(f"page, script, style, data and two exercises: {raw / 1024:.0f} KB, {zipped / 1024:.0f} KB gzipped")
    print(f"fonts (two faces, kept by the browser): {fonts / 1024:.0f} KB")
    print(f"one exercise's photos (two, 320 px WebP): {photos / 1024:.0f} KB")


def _count(downloaded: list[int], event: dict[str, Any]) -> None:
    downloaded.append(int(event["encodedDataLength"]))


def _time_first_render(url: str) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("time to first render: skipped (playwright is not installed)")
        return
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    if chromium is None:
        print("time to first render: skipped (Chromium is not installed)")
        return
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        times = []
        for _ in range(3):  # a first visit each time: a fresh context has no cache
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            page = context.new_page()
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", SLOW_4G)
            downloaded: list[int] = []
            session.on("Network.loadingFinished", functools.partial(_count, downloaded))
            page.goto(url)
            page.wait_for_selector("html[data-shown]")
            shown = page.evaluate("performance.getEntriesByName('packet-shown')[0].startTime")
            paint = page.evaluate(
                "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime"
            )
            page.wait_for_load_state("networkidle")
            times.append((shown, paint, sum(downloaded)))
            context.close()
        browser.close()
    shown, paint, total = sorted(times)[1]  # the median of three
    print(
        f"first visit on Slow 4G (median of 3): exercises shown at {shown:.0f} ms (goal < 1000 ms), "
        f"first paint {paint:.0f} ms, {total / 1024:.0f} KB transferred with the photos in view"
    )
