"""The fixed words of handouts and snippets in each language: gettext catalogs managed with Babel.

The catalogs are `pipeline/translations/locale/<lang>/LC_MESSAGES/messages.po`, kept in git;
the messages come from the templates and the Python code (`pybabel extract -F babel.cfg`, see
CONTRIBUTING). The compiled form (`.mo`) is made in memory when a language is first used and
never written: nothing compiled is committed or can go stale. Dates are written by Babel in
each language's own way ("November 24, 2026", "24 de noviembre de 2026").
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import cache
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.resources import package_folder

LOCALE_DIR = package_folder() / "translations" / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# The region the studio's clients live in: dates and the PDF's /Lang (es-US, not es-ES).
REGION = "US"


class MissingCatalog(UsageError):
    """A language the studio lists has no catalog of fixed words."""


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    return [
        SOURCE_LANGUAGE,
        *sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")),
    ]


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's fixed words (English is the messages themselves)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalog_path(language)
    if not path.is_file():
        raise MissingCatalog(
            f'there is no catalog of fixed words for "{language}" ({path.name} in {path.parent})'
        )
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def locale_tag(language: str) -> str:
    """`es-US`: the language as the studio's clients write it, for `lang` and the PDF's /Lang."""
    return f"{language}-{REGION}"


def language_name(language: str, in_language: str = "en") -> str:
    """`es` -> "Spanish" (or "español" in Spanish)."""
    from babel import Locale

    return str(Locale.parse(language).get_display_name(in_language))


def long_date(day: date, language: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=f"{language}_{REGION}")
