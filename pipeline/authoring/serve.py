"""`pipeline serve`: the preview page on 127.0.0.1, rebuilt and reloaded as files change.

The server serves build/ as it is on disk, adding to each HTML page it sends a small script
that reloads the page after a rebuild, and, when the content has a problem, a box listing
each problem with its file:line (the server keeps running; fix the file and the page heals).
Nothing it adds is written to build/.
"""

from __future__ import annotations

import html
import json
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pipeline.loopback import host_name, is_loopback
from pipeline.publish.build import BuildOptions, build
from pipeline.publish.outputs import BuildReport

RELOAD_SCRIPT = """<script>/* pipeline serve: reload after a rebuild */
(function(){var v=%d;setInterval(function(){fetch('/__version').then(function(r){return r.json()})
.then(function(s){if(s.version!==v){location.reload()}}).catch(function(){})},700)})();</script>"""


@dataclass
class PreviewState:
    version: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, report: BuildReport) -> None:
        problems = [f"{d.file}:{d.line}:{d.column}: {d.message} [{d.rule}]" for d in report.check.errors]
        problems += [f"{output}: {why}" for output, why in report.failed]
        with self.lock:
            self.problems = problems
            self.version += 1


def rebuild(root: Path, options: BuildOptions, state: PreviewState) -> None:
    try:
        report = build(root, options)
    except Exception as exc:  # a preview server reports and goes on
        with state.lock:
            state.problems = [f"the build failed: {type(exc).__name__}: {exc}"]
            state.version += 1
        return
    state.record(report)


def problems_box(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        '<div id="pipeline-problems" role="alert" style="position:fixed;left:1rem;right:1rem;bottom:1rem;'
        "max-height:45vh;overflow:auto;background:#fff4f4;border:3px solid #a4161a;border-radius:8px;"
        'padding:0.5rem 1rem;font:14px/1.4 system-ui,sans-serif;z-index:99999">'
        f"<strong>Content problems: the preview shows the last good build.</strong><ul>{items}</ul></div>"
    )


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, never a traceback: a request that failed does not concern the author."""
        kind = sys.exc_info()[0]
        print(f"preview: a request failed ({kind.__name__ if kind else 'unknown'})", file=sys.stderr)


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, state: PreviewState, **kwargs: Any) -> None:
        self.state = state  # before the base class handles the request in its __init__
        super().__init__(*args, **kwargs)

    def parse_request(self) -> bool:
        """The request line and headers, refused with a 400 before any file is looked up when
        the Host is not this computer (DNS rebinding) or the path cannot be a file's name."""
        if not super().parse_request():
            return False
        host = host_name(self.headers.get("Host", ""))
        if not is_loopback(host):
            self.send_error(400, "The preview answers only to 127.0.0.1 and localhost")
            return False
        try:
            decoded = unquote(self.path.split("?", 1)[0], errors="strict")
        except UnicodeDecodeError:
            decoded = "\0"
        if "\0" in decoded or any(ord(c) < 32 for c in decoded):
            self.send_error(400, "That address cannot name a file")
            return False
        return True

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/__version":
            with self.state.lock:
                body = json.dumps({"version": self.state.version, "problems": self.state.problems})
            self._send(body.encode(), "application/json")
            return
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html":
            self._send_page(target)
            return
        super().do_GET()

    def _send_page(self, target: Path) -> None:
        with self.state.lock:
            version, problems = self.state.version, list(self.state.problems)
        try:
            page = target.read_text("utf-8")
        except OSError:
            page = "<!DOCTYPE html><title>Preview</title><p>Nothing built yet.</p>"
        extra = problems_box(problems) + RELOAD_SCRIPT % version
        page = page.replace("</body>", extra + "</body>") if "</body>" in page else page + extra
        self._send(page.encode(), "text/html; charset=utf-8")

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows rebuilds
        pass


def serve(root: Path, port: int, today: date | None, ready: Any = print) -> None:
    """Build, serve build/ and rebuild on every change under content/, schema/, templates/."""
    import watchfiles

    # Drafts too: the exercise being written is a draft, and the page marks it as one (a
    # build keeps drafts under drafts/, never beside what clients get). Rebuilds are incremental.
    options = BuildOptions(out=root / "build", drafts=True, jobs=1, today=today)
    state = PreviewState()
    rebuild(root, options, state)
    handler = partial(PreviewHandler, directory=str(options.out), state=state)
    server = QuietServer(("127.0.0.1", port), handler)
    ready(f"Serving the preview on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    if state.problems:
        ready(f"{len(state.problems)} problem(s): see the page")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watched = [str(p) for p in (root / "content", root / "schema", root / "templates") if p.is_dir()]
    try:
        for _changes in watchfiles.watch(*watched, debounce=300, raise_interrupt=False):
            rebuild(root, options, state)
            ready(f"Rebuilt: {len(state.problems)} problem(s)" if state.problems else "Rebuilt")
    finally:
        server.shutdown()
