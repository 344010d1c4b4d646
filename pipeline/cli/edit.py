"""`pipeline edit`: the authors' editor in the browser."""

from __future__ import annotations

import click

from pipeline.cli.common import UsageProblem, project_root, today


@click.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8002, show_default=True, help="Port to listen on."
)
@click.option(
    "--open/--no-open", "open_browser", default=True, show_default=True, help="Open the page in a browser."
)
@click.pass_context
def edit(ctx: click.Context, port: int, open_browser: bool) -> None:
    """Edit the library in the browser: every field in a form, checked before it is saved.

    Listens on this computer only (127.0.0.1). Saving changes only the values you changed,
    keeps the file's comments and order, and refuses a file changed on disk meanwhile.

    \b
    Example:
      pipeline edit
      pipeline edit --port 8010 --no-open
    """
    from pipeline.edit.app import EditConfig, create_app
    from pipeline.web.server import serve

    app = create_app(EditConfig(root=project_root(ctx), today=today))
    try:
        serve(
            app,
            "127.0.0.1",
            port,
            open_browser=open_browser,
            say=lambda line: click.echo(line, err=True),
            opened="The editor is open on {url} (Ctrl-C to stop)",
            log="pipeline.edit",
        )
    except OSError as exc:
        raise UsageProblem(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None


COMMANDS = (edit,)
