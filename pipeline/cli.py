"""Command line: thin click commands over the pipeline's stages.

Exit codes: 0 all good, 1 content problems, 2 usage or internal errors. No traceback ever
reaches the user: an unexpected exception is reported in one line with exit code 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import click

from pipeline import __version__
from pipeline.cli_common import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    UsageProblem,
    print_problems,
    project_root,
    today,
)


class _Group(click.Group):
    """Turns an unexpected exception into a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
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
                f"internal error: {type(exc).__name__}: {exc} "
                "(set PIPELINE_DEBUG=1 for details and report it)",
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


if TYPE_CHECKING:
    from pipeline.render import Layout

Command = TypeVar("Command", bound=Callable[..., Any])


def layout_option(help_text: str) -> Callable[[Command], Command]:
    """`--layout standard|compact`, for the build's routines and for packets."""
    return click.option(
        "--layout",
        type=click.Choice(["standard", "compact"]),
        default="standard",
        show_default=True,
        help=help_text,
    )


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for Actions, sarif for code scanning.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (review due, no image...) as errors.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check content files against the schemas and the safety limits.

    PATHS are files or folders to report on (default: all of content/); rules that look
    across files always see the whole of content/.

    \b
    Example:
      pipeline check content/exercises/knee-to-chest.yaml
      pipeline check --format github --strict
    """
    from pipeline.check import check_project
    from pipeline.report import github_report, json_report, sarif_report, terminal_report

    result = check_project(project_root(ctx), paths, today=today())
    failed = result.failed(strict)
    out = sys.stdout
    if fmt == "json":
        json_report(result.diagnostics, result.files_checked, out, failed)
    elif fmt == "github":
        github_report(result.diagnostics, result.files_checked, out)
    elif fmt == "sarif":
        sarif_report(result.diagnostics, out, __version__)
    else:
        terminal_report(result.library.root, result.diagnostics, result.files_checked, out)
    ctx.exit(EXIT_CONTENT if failed else EXIT_OK)


@cli.command()
@click.argument("name", required=False, type=click.Choice(["exercise", "routine", "studio", "translation"]))
def schema(name: str | None) -> None:
    """Print the path of a JSON Schema (all four without NAME).

    \b
    Example:
      pipeline schema exercise
    """
    from pipeline.validate import SCHEMA_NAMES, schema_path

    for each in [name] if name else SCHEMA_NAMES:
        click.echo(str(schema_path(each)))


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the project).",
)
@click.option("--only", multiple=True, metavar="ID", help="Build only this exercise or routine (repeatable).")
@click.option("--drafts", is_flag=True, help="Build drafts too (never for clients: for review).")
@click.option(
    "--jobs", type=click.IntRange(1), default=None, help="Worker processes for PDFs (default: all cores)."
)
@click.option("--pdf/--no-pdf", default=True, help="Make the PDF handouts.")
@click.option("--html/--no-html", default=True, help="Make the web snippets and the preview page.")
@click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"]),
    default=None,
    help="Paper size (default: page_size in content/studio.yaml).",
)
@layout_option("Routines: one exercise per page, or compact (two to a page, photos small).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only the summary and problems.")
@click.pass_context
def build(
    ctx: click.Context,
    out: Path | None,
    only: tuple[str, ...],
    drafts: bool,
    jobs: int | None,
    pdf: bool,
    html: bool,
    page_size: str | None,
    layout: str,
    quiet: bool,
) -> None:
    """Check the content, then render handouts (PDF) and web snippets (HTML).

    Writes build/pdf/{exercises,routines}/ID.pdf, build/html/{exercises,routines}/ID.html,
    build/index.html (a preview page) and build/manifest.json. Only what changed since the
    last build is rendered again. Nothing is written if the check finds an error.

    \b
    Example:
      pipeline build
      pipeline build --only knee-to-chest --page-size a4
    """
    from pipeline.build import BuildOptions, UnknownEntry
    from pipeline.build import build as run_build
    from pipeline.outputs import BuildLocked, OutputFolderUnwritable

    root = project_root(ctx)
    options = BuildOptions(
        out=out or root / "build",
        only=only,
        drafts=drafts,
        jobs=jobs or os.cpu_count() or 1,
        pdf=pdf,
        html=html,
        page_size=_page_size(page_size),
        layout=cast("Layout", layout),
        today=today(),
    )
    from pipeline.report import wants_color

    show_progress = not quiet and wants_color(sys.stderr)
    try:
        report = run_build(root, options, _progress_bar if show_progress else None)
    except UnknownEntry as exc:
        raise UsageProblem(str(exc)) from None
    except BuildLocked as exc:
        raise UsageProblem(str(exc)) from None
    except OutputFolderUnwritable as exc:  # like an entry that cannot be written: exit 1
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_CONTENT)
    print_problems(report.check)
    for output, why in report.failed:
        click.echo(f"{output}: error: {why}", err=True)
    if not report.check.errors:
        click.echo(
            f"Built {len(report.built)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}"
            + (f", removed {len(report.removed)}" if report.removed else "")
            + f" in {report.seconds:.1f} s → {options.out}"
        )
    ctx.exit(EXIT_OK if report.ok else EXIT_CONTENT)


@cli.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option("--client", required=True, help="The client's name, printed on the cover.")
@click.option("--notes", default=None, help="Notes from the instructor, printed on the cover.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date on the cover, YYYY-MM-DD (default: today).",
)
@click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"]),
    default=None,
    help="Paper size (default: page_size in content/studio.yaml).",
)
@layout_option("One exercise per page, or compact: two to a page, photos small.")
@click.option(
    "--lang",
    "language",
    default="en",
    show_default=True,
    metavar="CODE",
    help="The packet's language, one of `languages` in content/studio.yaml (e.g. es). Every entry "
    "must have a reviewed translation into it.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.pass_context
def handout(
    ctx: click.Context,
    ids: tuple[str, ...],
    client: str,
    notes: str | None,
    day: Any,
    page_size: str | None,
    layout: str,
    language: str,
    output: Path,
) -> None:
    """Print a personalised packet for one client: any mix of exercises and routines.

    The cover has the client's name, the date and your notes, then one page per exercise
    (a routine brings its exercises with its own dosage). Only published entries print.

    \b
    Example:
      pipeline handout knee-to-chest home-hamstring-care --client "Ana Ruiz" \\
        --notes "Start with the strap stretch." -o ana.pdf
    """
    from pipeline.packet import PacketProblem, PacketRequest, make_packet

    request = PacketRequest(
        ids=list(ids),
        client=client,
        notes=notes,
        day=day.date() if day else None,
        page_size=_page_size(page_size),
        layout=cast("Layout", layout),
        language=language,
    )
    try:
        result = make_packet(project_root(ctx), request, output, today=today())
    except PacketProblem as exc:
        raise UsageProblem(str(exc)) from None
    if result.diagnostics:
        print_problems(result)
        click.echo("The packet was not printed: fix these problems first.", err=True)
        ctx.exit(EXIT_CONTENT)
    click.echo(f"Wrote {output}")


@cli.command(name="list")
@click.argument("words", nargs=-1)
@click.option("--drafts", is_flag=True, help="List drafts too (they never print for clients).")
@click.pass_context
def list_entries(ctx: click.Context, words: tuple[str, ...], drafts: bool) -> None:
    """Find the ids to print: exercises and routines matching all WORDS.

    WORDS are looked for in the id, title, summary, targets, tags and equipment (any case).
    Without WORDS, everything that can be printed for a client is listed.

    \b
    Example:
      pipeline list hamstring
      pipeline list back strap
    """
    from pipeline.catalog import find_entries
    from pipeline.check import check_project

    check = check_project(project_root(ctx), today=today())
    entries = find_entries(check, words, drafts=drafts)
    if not entries:
        what = f' matching "{" ".join(words)}"' if words else ""
        click.echo(f"No {'' if drafts else 'published '}exercise or routine{what}.")
        return
    width = max(len(entry.id) for entry in entries)
    for entry in entries:
        notes = [entry.detail] + (["draft"] if entry.status != "published" else [])
        notes += ["has errors: run pipeline check"] if entry.has_errors else []
        click.echo(f"{entry.id:<{width}}  {entry.kind:<8}  {entry.title} ({'; '.join(notes)})")


def _page_size(value: str | None) -> Literal["letter", "a4"] | None:
    return "a4" if value == "a4" else "letter" if value == "letter" else None


def _progress_bar(total: int) -> Any:
    bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
    bar.__enter__()

    def advance(count: int) -> None:
        bar.update(count)
        if bar.pos >= total:
            bar.__exit__(None, None, None)

    return advance


def _register_author_commands() -> None:
    from pipeline import cli_authoring, cli_desk, cli_translate

    for command in (*cli_authoring.COMMANDS, *cli_desk.COMMANDS, *cli_translate.COMMANDS):
        cli.add_command(command)


_register_author_commands()


def main() -> None:
    cli(prog_name="pipeline")
