"""`pipeline translate`: keep translations in step with the English."""

from __future__ import annotations

from typing import Any

import click

from pipeline.cli.common import UsageProblem, project_root


@click.group(name="translate")
def translate_group() -> None:
    """See what each language lacks or has stale; record a translator's review of changes."""


@translate_group.command(name="status")
@click.argument("languages", nargs=-1, metavar="[LANG ...]")
@click.pass_context
def status(ctx: click.Context, languages: tuple[str, ...]) -> None:
    """Per language: entries not translated, and fields whose English changed since they were
    translated, the English they were made from beside today's.

    \b
    Example:
      pipeline translate status es
    """
    from pipeline.check import studio_languages
    from pipeline.model import SOURCE_LANGUAGE
    from pipeline.translations.status import language_status

    root = project_root(ctx.find_root())
    known = [lang for lang in studio_languages(root) if lang != SOURCE_LANGUAGE]
    for language in languages or known:
        if language not in known:
            raise UsageProblem(
                f'"{language}" is not in `languages` in content/studio.yaml ({", ".join(known)})'
            )
        report = language_status(root, language)
        total = len(report.translated) + len(report.missing)
        published = len(report.translated) - report.drafts
        click.echo(
            f"{language}: {len(report.translated)} of {total} entries translated "
            f"({published} published, {report.drafts} drafts), {len(report.stale)} stale fields"
        )
        for source in report.missing:
            click.echo(f"  not translated: {source}")
        for stale in report.stale:
            click.echo(f"  stale: {stale.file}: {stale.key}")
            for where, was, now in _changes(stale.was, stale.now):
                click.echo(f"    {where}translated from: {_english(was)}")
                click.echo(f"    {where}English now:     {_english(now)}")


def _changes(was: Any, now: Any) -> list[tuple[str, Any, Any]]:
    """Only the items that changed, when the list kept its length; else the whole field."""
    if isinstance(was, list) and isinstance(now, list) and len(was) == len(now):
        return [
            (f"#{i + 1} ", old, new) for i, (old, new) in enumerate(zip(was, now, strict=True)) if old != new
        ]
    return [("", was, now)]


def _english(value: Any) -> str:
    if value is None:
        return "(not recorded, or not in the last 100 commits of git history)"
    if isinstance(value, list):
        return " | ".join(_english(item) for item in value)
    return str(value)


@translate_group.command(name="update")
@click.argument("language", metavar="LANG")
@click.argument("ids", nargs=-1, metavar="[ID ...]")
@click.pass_context
def update(ctx: click.Context, language: str, ids: tuple[str, ...]) -> None:
    """Record that LANG's translations (or only those of IDs) match today's English.

    Run it after a translator has gone over the changes `pipeline translate status` lists:
    it writes the English's hashes into each file's `translated_from`, and `pipeline check`
    stops calling those fields stale.

    \b
    Example:
      pipeline translate update es knee-to-chest
    """
    from pipeline.translations.status import update_hashes

    root = project_root(ctx.find_root())
    updated = update_hashes(root, language, ids)
    for done in updated:
        click.echo(f"{done.file}: recorded the English of {', '.join(done.fields)}")
    if not updated:
        click.echo(f"Nothing to record: every {language} translation already matches its English.")


COMMANDS = (translate_group,)
