"""`pipeline desk`: the desk's app served by uvicorn, opened in the browser."""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from pipeline.desk.app import DeskConfig, create_app
from pipeline.desk.guard import is_loopback


def serve(config: DeskConfig, port: int, open_browser: bool, say: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C; the render workers are stopped before this returns."""
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
            bound = server.servers[0].sockets[0].getsockname()[1]  # the port chosen for --port 0
            url = f"http://{shown_host}:{bound}/"
            say(f"The front desk is open on {url} (Ctrl-C to stop)")
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_ready, daemon=True).start()
    server.run()
