"""`pipeline desk`: the front desk's page in a browser."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pipeline.cli.common import UsageProblem, project_root, today


@click.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this computer (e.g. 0.0.0.0 for the studio's network) "
    "requires a passcode.",
)
@click.option(
    "--passcode-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A file holding the passcode (default on the network: a new one, printed once).",
)
@click.option(
    "--allow-host",
    "extra_hosts",
    multiple=True,
    metavar="NAME",
    help="Another name browsers use for this computer (e.g. desk.studio.lan); may be repeated.",
)
@click.option(
    "--open/--no-open", "open_browser", default=True, show_default=True, help="Open the page in a browser."
)
@click.pass_context
def desk(
    ctx: click.Context,
    port: int,
    host: str,
    passcode_file: Path | None,
    extra_hosts: tuple[str, ...],
    open_browser: bool,
) -> None:
    """Open the front desk: find exercises, make a client's packet, print it.

    The library reloads by itself when a content file changes. A client's name, notes and
    adjusted dosages are never saved or logged: the handout goes straight to the browser.

    \b
    Example:
      pipeline desk
      pipeline desk --host 0.0.0.0 --passcode-file ~/.desk-passcode
    """
    from pipeline.desk.app import DeskConfig
    from pipeline.desk.guard import new_passcode, read_passcode
    from pipeline.desk.server import serve
    from pipeline.loopback import is_loopback

    passcode = None
    if passcode_file is not None:
        try:
            passcode = read_passcode(passcode_file)
        except (OSError, ValueError) as exc:
            raise UsageProblem(f"cannot use the passcode file: {exc}") from None
    elif not is_loopback(host):
        passcode = new_passcode()
        click.echo(f"Passcode for the desk (shown once): {passcode}", err=True)
    config = DeskConfig(
        root=project_root(ctx),
        host=host,
        passcode=passcode,
        today=today,
        workers=min(2, os.cpu_count() or 1),
        extra_hosts=extra_hosts,
    )
    try:
        serve(config, port, open_browser, say=lambda line: click.echo(line, err=True))
    except OSError as exc:
        raise UsageProblem(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


COMMANDS = (desk,)
