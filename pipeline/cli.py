"""Command line: thin click commands over the pipeline's stages.

Exit codes: 0 all good, 1 content problems, 2 usage or internal errors. No traceback ever
reaches the user: an unexpected exception is reported in one line with exit code 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Literal

import click

from pipeline import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageProblem(click.ClickException):
    exit_code = EXIT_USAGE


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


def project_root(ctx: click.Context) -> Path:
    root: Path = ctx.obj
    if not (root / "content").is_dir():
        raise UsageProblem(
            f"no content/ folder in {root.resolve()}: run this in the project's folder or pass --root DIR"
        )
    return root


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

    result = check_project(project_root(ctx), paths, today=_today())
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
@click.argument("name", required=False, type=click.Choice(["exercise", "routine", "studio"]))
def schema(name: str | None) -> None:
    """Print the path of a JSON Schema (all three without NAME).

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
    from pipeline.outputs import BuildLocked

    root = project_root(ctx)
    options = BuildOptions(
        out=out or root / "build",
        only=only,
        drafts=drafts,
        jobs=jobs or os.cpu_count() or 1,
        pdf=pdf,
        html=html,
        page_size=_page_size(page_size),
        today=_today(),
    )
    show_progress = not quiet and _color(sys.stderr)
    try:
        report = run_build(root, options, _progress_bar if show_progress else None)
    except UnknownEntry as exc:
        raise UsageProblem(str(exc)) from None
    except BuildLocked as exc:
        raise UsageProblem(str(exc)) from None
    _print_problems(report.check)
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
        output=output,
        notes=notes,
        day=day.date() if day else None,
        page_size=_page_size(page_size),
    )
    try:
        result = make_packet(project_root(ctx), request, today=_today())
    except PacketProblem as exc:
        raise UsageProblem(str(exc)) from None
    if result.diagnostics:
        _print_problems(result)
        click.echo("The packet was not printed: fix these problems first.", err=True)
        ctx.exit(EXIT_CONTENT)
    click.echo(f"Wrote {output}")


@cli.command()
@click.argument("kind", type=click.Choice(["exercise", "routine"]))
@click.argument("entry_id", metavar="ID")
@click.option(
    "--kind",
    "exercise_kind",
    default="static-stretch",
    show_default=True,
    type=click.Choice(["static-stretch", "dynamic-stretch", "isometric", "strength", "mobility", "balance"]),
    help="For an exercise: what sort of exercise it is.",
)
@click.option(
    "--level",
    default="beginner",
    show_default=True,
    type=click.Choice(["beginner", "intermediate", "advanced"]),
    help="For an exercise: its level.",
)
@click.pass_context
def new(ctx: click.Context, kind: str, entry_id: str, exercise_kind: str, level: str) -> None:
    """Start a new exercise or routine from a commented template (a draft that passes the check).

    \b
    Example:
      pipeline new exercise side-lying-clam --kind strength
      pipeline new routine desk-worker-basics
    """
    from pipeline.scaffold import ScaffoldProblem, create

    try:
        path = create(project_root(ctx), kind, entry_id, exercise_kind, level)
    except ScaffoldProblem as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(str(path))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change (for CI)."
)
@click.pass_context
def fmt(ctx: click.Context, paths: tuple[Path, ...], check_only: bool) -> None:
    """Lay out content files the same way: key order, indentation; comments are kept.

    PATHS are files or folders (default: all of content/).

    \b
    Example:
      pipeline fmt content/exercises/knee-to-chest.yaml
      pipeline fmt --check
    """
    from pipeline.fmt import content_paths, format_files

    changed, problems = format_files(content_paths(project_root(ctx), paths), check_only)
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {path}")
    for problem in problems:
        click.echo(problem, err=True)
    if not changed and not problems:
        click.echo("All content files are formatted.")
    ctx.exit(EXIT_CONTENT if problems or (check_only and changed) else EXIT_OK)


@cli.group(name="import")
def import_group() -> None:
    """Import exercises from another library, as drafts for review."""


@import_group.command(name="free-exercise-db")
@click.argument("upstream", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def import_free_exercise_db(ctx: click.Context, upstream: Path) -> None:
    """Import the public-domain free-exercise-db (UPSTREAM is a checkout of its repository).

    Every exercise arrives as a draft with a cautious dosage and a review that names the
    import; photos are copied to content/images/free-exercise-db/. What was skipped or
    adjusted is listed with the reason.

    \b
    Example:
      pipeline import free-exercise-db ../free-exercise-db
    """
    from pipeline.check import check_project
    from pipeline.importer import import_free_exercise_db as run_import

    root = project_root(ctx.find_root())
    report = run_import(upstream, root)
    for source, why in report.adjusted:
        click.echo(f"adjusted {source}: {why}")
    for source, why in report.skipped:
        click.echo(f"skipped {source}: {why}")
    result = check_project(root, list(report.written), today=_today())
    click.echo(
        f"Imported {len(report.written)} exercises as drafts, skipped {len(report.skipped)}, "
        f"adjusted {len(report.adjusted)}; check: {len(result.errors)} errors in the imported files."
    )
    if result.errors:
        _print_problems(result)
    ctx.exit(EXIT_CONTENT if result.errors else EXIT_OK)


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    """Preview the library in a browser; rebuilt and reloaded as you edit.

    Serves build/ on 127.0.0.1 (the preview at /, snippets at /html/exercises/ID.html),
    watches content/, schema/ and templates/, rebuilds what changed and reloads the open
    page. A content problem shows on the page with its file:line; the server keeps running.

    \b
    Example:
      pipeline serve --port 8000
    """
    from pipeline.serve import serve as run_server

    try:
        run_server(project_root(ctx), port, _today(), ready=lambda line: click.echo(line, err=True))
    except OSError as exc:
        raise UsageProblem(f"cannot serve on port {port}: {exc.strerror or exc}") from None


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


def _print_problems(result: Any) -> None:
    from pipeline.report import terminal_report

    if result.diagnostics:
        terminal_report(result.library.root, result.diagnostics, result.files_checked, sys.stdout)


def _color(stream: Any) -> bool:
    from pipeline.report import wants_color

    return wants_color(stream)


def _today() -> Any:
    """The date reviews are measured from; PIPELINE_TODAY pins it for reproducible runs."""
    from datetime import date

    pinned = os.environ.get("PIPELINE_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError as exc:
        raise UsageProblem(f"PIPELINE_TODAY={pinned} is not a date written as YYYY-MM-DD") from exc


def main() -> None:
    cli(prog_name="pipeline")
