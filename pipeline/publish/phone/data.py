"""The library as the phone page reads it. The page's data (html/packet/data.<hash>.json):
the studio's name and phone, the page's fixed words in each language with their plural forms,
and where each exercise's own file is, by its key (format 2's, publish/phone/short.py; the
keys of format 1 map to them). An exercise's file: its client-facing
content in every language it is published in, its web photos, its own dosage and the limits a
code's numbers are checked against. A phone fetches the files of its packet's exercises only,
so what it loads does not grow with the library. Nothing about any client."""

from __future__ import annotations

import gettext
import re
from functools import cache
from typing import Any, NamedTuple

from pipeline.model import N_, Entry
from pipeline.publish.contexts import ImageLinker
from pipeline.publish.phone.code import entry_key
from pipeline.publish.phone.limits import limits_of
from pipeline.publish.phone.saved import WORDS as SAVED_COPY_WORDS
from pipeline.publish.phone.short import short_key
from pipeline.publish.project import Project
from pipeline.publish.views import capitalized, exercise_view, whole_numbers
from pipeline.translations.catalogs import language_name, translations

# The page's own words, and the handout's it shares (translated in the same catalog)
WORDS = (
    N_("Your exercises"),
    N_("Exercise %(position)s of %(total)s"),
    N_("How much"),
    N_("Stop and call us if"),
    N_("Call us: <strong>%(phone)s</strong>"),
    N_("Getting ready"),
    N_("What to do"),
    N_("Tips"),
    N_("Variations"),
    N_("Be careful"),
    N_("Ask us first if you have"),
    N_("Watch the video"),
    N_("Done today"),
    N_("Done"),
    N_("Tick each time you do it today. Your ticks stay on this phone only."),
    N_("Forget my ticks"),
    N_("Your ticks are forgotten."),
    N_("This exercise is no longer in the studio's library: call us."),
    N_("This link is damaged. Ask the studio for your packet's link again, or call us."),
    N_("This link asks for more than the studio's safety limits allow, so it is not shown. Call us."),
    N_("This page needs JavaScript to show your exercises."),
    *SAVED_COPY_WORDS,  # said when the page is opened from a saved file (phone/saved.py)
    N_("each side"),
    N_("alternating sides"),
    N_("twice a day"),
    N_("every day"),
)
# Dosage words with a number (publish/views.py says them the same way on paper)
PLURALS = (
    ("hold {n} second", "hold {n} seconds"),
    ("once", "{n} times"),
    ("{n} set", "{n} sets"),
    ("rest {n} second between sets", "rest {n} seconds between sets"),
    ("rest {n} second between repetitions", "rest {n} seconds between repetitions"),
    ("once a day", "{n} times a day"),
    ("1 day a week", "{n} days a week"),
)
PLURAL_TABLE = 301  # the plural form of 0..300 (the largest dosage number, rest_seconds)


class PhoneData(NamedTuple):
    page: dict[str, Any]  # page.py adds "exercises": the keys of those it wrote a file for
    exercises: dict[str, dict[str, Any]]  # by key


def phone_data(project: Project, exercise_ids: list[str]) -> PhoneData:
    """`exercise_ids`: the published exercises, whose web photos the build has made."""
    keys: dict[str, str] = {}  # a short code's key (format 2, the file's name) -> the id
    long: dict[str, str] = {}  # a key of format 1 -> the file's
    exercises = {}
    # One look at each photo's web copy for all the languages an exercise is in
    image_links = cache(project.web_images("media/"))
    for exercise_id in exercise_ids:
        key, old_key = short_key(exercise_id), entry_key(exercise_id)
        _refuse_a_shared_key(keys, key, exercise_id)
        _refuse_a_shared_key(long, old_key, exercise_id, keys)
        keys[key], long[old_key] = exercise_id, key
        exercises[key] = _exercise(project, exercise_id, image_links)
    studio = project.studio
    phone = studio.get("phone")
    page = {
        "format": 1,
        "studio": {"name": studio["name"], "phone": phone, "tel": _tel(phone)},
        "languages": {language: _language(language) for language in project.languages},
        "long": long,
    }
    return PhoneData(page, exercises)


def _refuse_a_shared_key(
    taken: dict[str, str], key: str, exercise_id: str, ids: dict[str, str] | None = None
) -> None:
    """A key names one exercise forever (phone/short.py): a clash is for a person to settle,
    by renaming the one not yet printed on a packet. `ids`: the id of what `taken` names."""
    if key in taken:
        other = ids[taken[key]] if ids is not None else taken[key]
        raise ValueError(
            f'"{exercise_id}" and "{other}" have the same phone key; rename the one that is new '
            "(packets already printed name the other)"
        )


def _exercise(project: Project, exercise_id: str, image_links: ImageLinker) -> dict[str, Any]:
    source = project.exercises[exercise_id]
    text = {}
    for language in project.languages:
        entry = Entry("exercise", exercise_id, language)
        if language == "en" or (project.has_translation(entry) and not project.is_draft(entry)):
            text[language] = _text(project, entry, image_links)
    return {
        "id": exercise_id,
        "dosage": whole_numbers(source["dosage"]),
        "limits": limits_of(source, project.schema_dir),
        "text": text,
    }


def _text(project: Project, entry: Entry, image_links: ImageLinker) -> dict[str, Any]:
    words = translations(entry.language)
    view = exercise_view(project.data(entry), image_links, words=words)
    meta = [view["kind_label"], view["level_label"]]
    if view["equipment"]:
        meta.append(words.gettext("You need: %(things)s") % {"things": ", ".join(view["equipment"])})
    if view["targets"]:
        meta.append(words.gettext("Works: %(muscles)s") % {"muscles": ", ".join(view["targets"])})
    return {
        "title": view["title"],
        "summary": view["summary"],
        "meta": " · ".join(meta),
        "setup": view["setup"],
        "steps": view["steps"],
        "cues": view["cues"],
        "cautions": view["cautions"],
        "contraindications": view["contraindications"],
        "stop_if": view["stop_if"],
        "variations": [[v["effect_label"], v["name"], v["instructions"]] for v in view["variations"]],
        "images": [dict(image) for image in view["images"]],
        "video": view["video"],
    }


def _language(language: str) -> dict[str, Any]:
    words = translations(language)
    return {
        "name": capitalized(language_name(language, language)),  # "español" -> "Español"
        "words": {_braced(message): _braced(words.gettext(message)) for message in WORDS},
        "plurals": {singular: _forms(words, singular, plural) for singular, plural in PLURALS},
        "plural": "".join(str(_plural_index(words, n)) for n in range(PLURAL_TABLE)),
    }


def _braced(text: str) -> str:
    """ "Exercise %(position)s of %(total)s" -> "Exercise {position} of {total}"; the page
    writes text, never HTML, so the catalog's <strong> goes."""
    return re.sub(r"%\((\w+)\)s", r"{\1}", re.sub(r"</?strong>", "", text))


def _plural_index(words: gettext.NullTranslations, n: int) -> int:
    rule = getattr(words, "plural", None)  # a catalog's Plural-Forms; English: n != 1
    return int(rule(n)) if rule else int(n != 1)


def _forms(words: gettext.NullTranslations, singular: str, plural: str) -> list[str]:
    """Each plural form of the message, in the catalog's order."""
    forms: dict[int, str] = {}
    for n in range(PLURAL_TABLE):
        forms.setdefault(_plural_index(words, n), words.ngettext(singular, plural, n))
    return [forms[index] for index in sorted(forms)]


def _tel(phone: object) -> str | None:
    """A `tel:` link's number: the digits, and a leading + if the studio wrote one."""
    if not isinstance(phone, str) or not re.search(r"\d", phone):
        return None
    return ("+" if phone.strip().startswith("+") else "") + re.sub(r"\D", "", phone)
