"""`pipeline desk`: the desk's app served by uvicorn, opened in the browser."""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from pipeline.desk.app import DeskConfig, create_app
from pipeline.loopback import is_loopback


def serve(config: DeskConfig, port: int, open_browser: bool, say: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C; the render workers are stopped before this returns. Raises
    OSError when the address cannot be used (a port already taken)."""
    listening = _bound(config.host, port)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pipeline.desk").setLevel(logging.INFO)
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(app, host=config.host, port=port, access_log=False, log_level="warning", lifespan="on")
    )
    shown_host = "127.0.0.1" if is_loopback(config.host) else config.host

    def when_ready() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            url = f"http://{shown_host}:{listening.getsockname()[1]}/"  # the port chosen for --port 0
            say(f"The front desk is open on {url} (Ctrl-C to stop)")
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_ready, daemon=True).start()
    server.run(sockets=[listening])


def _bound(host: str, port: int) -> socket.socket:
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
