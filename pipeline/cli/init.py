"""`pipeline init [DIR]`: a new studio's content repository, asked for on a terminal."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import click

from pipeline.cli.common import UsageProblem

ASKED = ("name", "phone", "email", "website")
QUESTIONS = {
    "name": "The studio's name, as handouts print it",
    "phone": "The phone number clients call (Enter for none)",
    "email": "The e-mail address clients write to (Enter for none)",
    "website": "The website, https://... (where the exercises will be published; Enter for none)",
    "languages": "Languages handouts are printed in: en, or en,es",
    "page_size": "Paper size: letter or a4",
}


@cache
def _studio_schema() -> dict[str, Any]:
    from pipeline.resources import SCHEMA, packaged

    data: dict[str, Any] = json.loads((packaged(SCHEMA) / "studio.schema.json").read_text("utf-8"))
    return data


def answer_problem(key: str, value: str) -> str | None:
    """What is wrong with an answer, in the words of the studio schema (None: fine)."""
    from jsonschema import Draft202012Validator

    if any(ord(c) < 32 for c in value):
        return f"{key} must be on one line"
    rule = _studio_schema()["properties"][key]
    error = next(iter(Draft202012Validator(rule).iter_errors(value)), None)
    if error is None:
        return None
    if error.validator == "pattern":
        return f"{key} must be {rule.get('x-pattern-hint', 'written differently')}"
    if error.validator == "minLength":
        return f"{key} needs at least {rule['minLength']} characters"
    if error.validator == "maxLength":
        return f"{key} may have at most {rule['maxLength']} characters"
    return f"{key}: {error.message}"


def _checked(key: str, required: bool = False) -> Any:
    def convert(value: str) -> str:
        value = value.strip()
        if not value and not required:
            return ""
        problem = answer_problem(key, value)
        if problem:
            raise click.BadParameter(problem)
        return value

    return convert


def _languages(value: str) -> tuple[str, ...]:
    from pipeline.authoring.init import LANGUAGES

    named = [part for part in re.split(r"[,\s]+", value.lower()) if part]
    chosen = tuple(dict.fromkeys(["en", *named]))
    unknown = [language for language in chosen if language not in LANGUAGES]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: the starter library and the disclaimer come in "
            f"{' and '.join(LANGUAGES)}; add another language later (README: a translator)"
        )
    return chosen


def _page_size(value: str) -> str:
    if value.strip().lower() not in ("letter", "a4"):
        raise click.BadParameter("the paper size is letter or a4")
    return value.strip().lower()


def _ask(answers: dict[str, Any], folder: Path) -> None:
    """Ask on a terminal for what the options did not give."""
    for key in ASKED:
        if answers[key] is None:
            default = _default_name(folder) if key == "name" else ""
            convert = _checked(key, required=key == "name")
            shown = bool(default)  # not "[]" after a question that may be left empty
            answers[key] = click.prompt(QUESTIONS[key], default, value_proc=convert, show_default=shown)
    if answers["languages"] is None:
        answers["languages"] = click.prompt(QUESTIONS["languages"], default="en", value_proc=_languages)
    if answers["page_size"] is None:
        answers["page_size"] = click.prompt(QUESTIONS["page_size"], default="letter", value_proc=_page_size)


def _default_name(folder: Path) -> str:
    words = re.sub(r"[-_]+", " ", folder.resolve().name).strip()
    return words.title() if len(words) >= 2 else "Our Studio"


def _check_given(answers: dict[str, Any]) -> None:
    for key in ASKED:
        value = answers[key]
        if value:
            problem = answer_problem(key, value)
            if problem:
                raise UsageProblem(f"--{key.replace('_', '-')}: {problem}")


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The studio's name.")
@click.option("--phone", help="The phone number clients call.")
@click.option("--email", help="The e-mail address clients write to.")
@click.option("--website", help="The studio's website (https://...).")
@click.option(
    "--site-url",
    help="Where the workflow publishes the site, on the website's host (e.g. https://example.com/"
    "exercises), when not at --website itself; without --website, the website too (e.g. "
    "https://OWNER.github.io/REPOSITORY). Packets' QR codes open its html/packet.html.",
)
@click.option("--languages", "languages_text", metavar="en[,es]", help="Languages handouts are printed in.")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), help="Paper size (default: letter).")
@click.option(
    "--starter/--empty", default=True, help="The starter library as drafts (default), or one example."
)
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: options, or their defaults.")
@click.option("--force", is_flag=True, help="Replace the files pipeline init makes (no other file).")
@click.option("--upgrade", is_flag=True, help="Renew only the workflow, pre-commit and editor files.")
@click.option(
    "--pipeline-repo",
    metavar="OWNER/NAME",
    default=None,
    help="Where the Action and hooks come from (a fork).",
)
@click.pass_context
def init(ctx: click.Context, /, folder: Path | None, **given: Any) -> None:
    """Make a studio's exercise repository that passes `pipeline check` and `pipeline build`.

    Writes content/ (studio.yaml from your answers; the starter library as drafts for your
    instructors to review, or with --empty one example exercise), the GitHub workflow that
    checks every pull request and publishes the website, .pre-commit-config.yaml, editor
    settings with the schemas, .gitignore and a README; runs `git init` if needed. Asks on a
    terminal for what the options do not give; never overwrites a file without --force.

    \b
    Example:
      pipeline init my-studio
      pipeline init my-studio --yes --name "Core Pilates" --website https://corepilates.example
    """
    from pipeline.authoring.init import PIPELINE_REPOSITORY, InitOptions
    from pipeline.authoring.init import init as run_init

    folder = folder or ctx.obj
    answers: dict[str, Any] = {key: given[key] for key in ASKED}
    answers["languages"] = _languages(given["languages_text"]) if given["languages_text"] else None
    answers["page_size"] = given["page_size"]
    _check_given(answers)
    if not given["yes"] and not given["upgrade"] and sys.stdin.isatty():
        _ask(answers, folder)
    studio = _studio(answers, given["site_url"], folder)
    if given["upgrade"] and not (folder / "content" / "studio.yaml").is_file():
        raise UsageProblem(f"{folder} has no content/studio.yaml to upgrade: run `pipeline init` there first")
    options = InitOptions(
        studio=studio,
        example_only=not given["starter"],
        force=given["force"],
        upgrade=given["upgrade"],
        repository=given["pipeline_repo"] or PIPELINE_REPOSITORY,
    )
    _say(run_init(folder, options), studio, options.upgrade)


CONTENT_FOLDERS = ("content/exercises/", "content/routines/", "content/images/")


def _count(paths: list[str]) -> str:
    """`9 exercises, 2 routines, 11 translations, 12 photos`."""
    from pipeline.model import is_translation

    translations = sum(1 for path in paths if is_translation(path))
    counts = {
        "exercise": sum(1 for p in paths if p.startswith("content/exercises/") and not is_translation(p)),
        "routine": sum(1 for p in paths if p.startswith("content/routines/") and not is_translation(p)),
        "translation": translations,
        "photo": sum(1 for p in paths if p.startswith("content/images/")),
    }
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for word, n in counts.items() if n)


def _studio(answers: dict[str, Any], site_url: str | None, folder: Path) -> Any:
    from pipeline.authoring.init import Studio
    from pipeline.trust.site import packet_page_problem

    if site_url and (problem := answer_problem("website", site_url)):
        raise UsageProblem(f"--site-url: {problem}")
    studio = Studio(
        name=answers["name"] or _default_name(folder),
        phone=answers["phone"] or None,
        email=answers["email"] or None,
        website=answers["website"] or site_url or None,
        languages=answers["languages"] or ("en",),
        page_size=answers["page_size"] or "letter",
        site_url=site_url,
    )
    if studio.packet_page and (problem := answer_problem("packet_page", studio.packet_page)):
        raise UsageProblem(
            f"the phone page's address {studio.packet_page}: {problem}; give a shorter --site-url"
        )
    if studio.packet_page and (problem := packet_page_problem(studio.website, studio.packet_page)):
        raise UsageProblem(
            f"--site-url: {problem}. Publish the site on the website's own host, or leave it out"
        )
    return studio


def _say(report: Any, studio: Any, upgrade: bool) -> None:
    for verb, paths in (("wrote", report.written), ("replaced", report.replaced)):
        for path in paths:
            if not path.startswith(CONTENT_FOLDERS):
                click.echo(f"  {verb:<8} {path}")
        if starter := [path for path in paths if path.startswith(CONTENT_FOLDERS)]:
            click.echo(f"  {verb:<8} content/: {_count(starter)}, as drafts for your instructors to review")
    click.echo(f"{report.git.capitalize()}.")
    if upgrade:
        click.echo("Upgraded the workflow, pre-commit and editor files; content/ is as it was.")
        return
    if studio.packet_page:
        click.echo(f"Packets' phone link: {studio.packet_page} (packet_page in content/studio.yaml).")
        if "github.io" not in studio.packet_page:
            click.echo(
                "  The workflow publishes to GitHub Pages: point this address's domain there "
                "(README.md: Your own domain) for the codes to open."
            )
    else:
        click.echo(
            "No website given: packets print no phone link until content/studio.yaml has a "
            "`website` where the workflow publishes (your own domain, or the address GitHub Pages gives)."
        )
    where = report.folder
    click.echo(
        f"Next: cd {where}, run `pipeline check` and `pipeline build`, then push to GitHub "
        "(README.md says what happens there)."
    )


COMMANDS = (init,)
