"""`pipeline desk`: the desk's app served by the web layer's server, opened in the browser."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.desk.app import DeskConfig, create_app
from pipeline.web.server import serve as serve_app


def serve(config: DeskConfig, port: int, open_browser: bool, say: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C; the render workers are stopped before this returns. Raises
    OSError when the address cannot be used (a port already taken)."""
    serve_app(
        create_app(config),
        config.host,
        port,
        open_browser=open_browser,
        say=say,
        opened="The front desk is open on {url} (Ctrl-C to stop)",
        log="pipeline.desk",
    )
