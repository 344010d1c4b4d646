"""The handout's fixed words in every language: complete catalogs, nothing left out of them,
plurals and dates as each language writes them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pipeline.publish.views import dosage_view
from pipeline.translations.catalogs import available_languages, catalog_path, long_date, translations

REPO = Path(__file__).parent.parent
OTHER_LANGUAGES = [lang for lang in available_languages() if lang != "en"]


def extracted_messages() -> set[str | tuple[str, ...]]:
    """What `pybabel extract -F babel.cfg` finds in the templates and the Python code."""
    with (REPO / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, options_map):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(language: str):  # type: ignore[no-untyped-def]
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language)


def test_there_is_a_catalog_for_spanish() -> None:
    assert "es" in OTHER_LANGUAGES


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    untranslated, fuzzy = [], []
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_catalog_has_every_message_the_templates_and_code_print(language: str) -> None:
    """Fails when a template gains a `_()` the catalog lacks: run `pybabel update` (CONTRIBUTING)."""
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog(language) if m.id}
    extracted = extracted_messages()
    assert sorted(map(str, extracted - ids)) == [], "not in the catalog"
    assert sorted(map(str, ids - extracted)) == [], "in the catalog but printed nowhere"


def test_spanish_plurals_and_dates() -> None:
    words = translations("es")
    assert dosage_view({"reps": 1}, words)["phrase"] == "1 vez"
    assert dosage_view({"reps": 3, "sides": "each"}, words)["lines"] == ["3 veces, cada lado"]
    phrase = dosage_view(
        {"hold_seconds": 20, "reps": 3, "frequency": {"times_per_day": 2, "days_per_week": 5}}, words
    )["phrase"]
    assert phrase == "Mantenga 20 segundos · 3 veces · dos veces al día, 5 días a la semana"
    assert dosage_view({"reps": 10, "frequency": {"times_per_day": 1, "days_per_week": 7}}, words)[
        "phrase"
    ] == ("10 veces · una vez al día, todos los días")
    assert long_date(date(2026, 11, 24), "es") == "24 de noviembre de 2026"
    assert long_date(date(2026, 11, 24), "en") == "November 24, 2026"
