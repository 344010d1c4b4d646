"""Commands for authors: start an entry, lay files out, import a library, preview live.

Registered on the `pipeline` group by pipeline/cli.py; thin, like the others.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import EXIT_CONTENT, EXIT_OK, UsageProblem, print_problems, project_root, today


@click.command()
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
    from pipeline.authoring.scaffold import create

    path = create(project_root(ctx), kind, entry_id, exercise_kind, level)
    click.echo(str(path))


@click.command()
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
    from pipeline.authoring.fmt import content_paths, format_files

    changed, problems = format_files(content_paths(project_root(ctx), paths), check_only)
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {path}")
    for problem in problems:
        click.echo(problem, err=True)
    if not changed and not problems:
        click.echo("All content files are formatted.")
    ctx.exit(EXIT_CONTENT if problems or (check_only and changed) else EXIT_OK)


@click.group(name="import")
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
    from pipeline.authoring.importer import import_free_exercise_db as run_import
    from pipeline.check import check_project

    root = project_root(ctx.find_root())
    report = run_import(upstream, root)
    for source, why in report.adjusted:
        click.echo(f"adjusted {source}: {why}")
    for source, why in report.skipped:
        click.echo(f"skipped {source}: {why}")
    result = check_project(root, list(report.written), today=today())
    click.echo(
        f"Imported {len(report.written)} exercises as drafts, skipped {len(report.skipped)}, "
        f"adjusted {len(report.adjusted)}; check: {len(result.errors)} errors in the imported files."
    )
    if result.errors:
        print_problems(result)
    ctx.exit(EXIT_CONTENT if result.errors else EXIT_OK)


@click.command()
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
    Drafts are shown too, marked as drafts (written under build/drafts/).

    \b
    Example:
      pipeline serve --port 8000
    """
    from pipeline.authoring.serve import serve as run_server

    try:
        run_server(project_root(ctx), port, today(), ready=lambda line: click.echo(line, err=True))
    except OSError as exc:
        raise UsageProblem(f"cannot serve on port {port}: {exc.strerror or exc}") from None


COMMANDS = (new, fmt, import_group, serve)
