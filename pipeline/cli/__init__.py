"""Command line: thin click commands over the pipeline's stages.

Exit codes: 0 all good, 1 content problems, 2 usage or internal errors. No traceback ever
reaches the user: a `PipelineError` becomes its message and exit code here, in one place,
and an unexpected exception one line with exit code 2.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.cli.common import EXIT_OK, EXIT_USAGE
from pipeline.errors import PipelineError
from pipeline.trust.output import log_line


class _Group(click.Group):
    """Turns an unexpected exception into a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except PipelineError as exc:
            # A message may carry a pull request's file name: shown, never obeyed (trust/output.py)
            click.echo(log_line(f"{exc.prefix}: {exc}"), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # `pipeline check | head`: the reader left, nothing to report
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # the last line of defence: report, never a traceback
            if os.environ.get("PIPELINE_DEBUG"):
                raise
            click.echo(
                log_line(
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(set PIPELINE_DEBUG=1 for details and report it)"
                ),
                err=True,
            )
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder, the one that holds content/.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Check Body Fundamentals exercise content and publish it as handouts and web snippets."""
    ctx.obj = root


def _register_commands() -> None:
    from pipeline.cli import authoring, check, desk, edit, init, publish, translate

    for module in (check, publish, authoring, edit, desk, translate, init):
        for command in module.COMMANDS:
            cli.add_command(command)


_register_commands()


def main() -> None:
    """The `pipeline` program: the process ends when the command does."""
    try:
        cli(prog_name="pipeline")
    finally:
        # The interpreter's last full collection would walk every object the command made
        # (a library's data: 30 to 40 ms of a 0.4 s check) only to find them freed anyway.
        # Nothing of ours runs after this, and every file is written and closed by now.
        gc.freeze()
