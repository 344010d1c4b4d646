"""An app served by uvicorn until Ctrl-C, on a socket bound here first (so a port already
taken is an OSError the command reports), and opened in the browser once it answers."""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from pipeline.loopback import is_loopback


def serve(
    app: ASGIApp,
    host: str,
    port: int,
    *,
    open_browser: bool,
    say: Callable[[str], None],
    opened: str,
    log: str,
) -> None:
    """Serve `app` until Ctrl-C. `opened` is the line said once it answers, with `{url}` in
    it; `log` the logger whose lines (the access log) are shown. Raises OSError when the
    address cannot be used."""
    listening = bound(host, port)
    # Warnings from everyone, and this app's own lines: at INFO the root would also show
    # every WeasyPrint "Step 2 - Fetching and parsing CSS" line of each Preview.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger(log).setLevel(logging.INFO)
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", lifespan="on")
    )
    shown_host = "127.0.0.1" if is_loopback(host) else host

    def when_ready() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            url = f"http://{shown_host}:{listening.getsockname()[1]}/"  # the port chosen for --port 0
            say(opened.format(url=url))
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_ready, daemon=True).start()
    server.run(sockets=[listening])


def bound(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port is an OSError for the command
    to report (uvicorn would log it and exit with its own code)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError:
        listening.close()
        raise
    listening.set_inheritable(True)
    return listening
