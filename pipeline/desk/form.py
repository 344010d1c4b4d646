"""The desk's one form, read and checked: the packet being made travels in it on every POST.

The server keeps no packet between requests (a client's name is never stored): the picked
entries, the client's details and any adjusted dosage come back with each button press,
and the button pressed says what to change. What a person can get wrong (a hold above the
limit, a name pasted with a control character) is a problem shown next to its field; what
only a tampered form can contain is a `Tampered` refusal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pipeline.desk.languages import Blocker, blockers
from pipeline.desk.library import PacketItem, Snapshot
from pipeline.desk.words import staff_words
from pipeline.model import ADJUSTABLE_FIELDS, LAYOUTS, Layout, PageSize, field_values
from pipeline.web.lists import move_or_remove

if TYPE_CHECKING:
    from starlette.datastructures import FormData

from pipeline.publish.adjust import Adjustment, adjusted, problems

MAX_ENTRIES = 60
MAX_NAME = 120
MAX_NOTES = 2000
MAX_SEARCH = 200
DOSE_PREFIX = "dose."  # dose.<exercise id>.<field>
# Control characters never belong in a name; in notes only line breaks and tabs do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Tampered(Exception):
    """The form holds something the desk's page cannot send; the message says what."""


class TooMany(Exception):
    """More entries than a packet may have."""


@dataclass
class Filters:
    words: str = ""
    target: str = ""
    equipment: str = ""
    level: str = ""


@dataclass
class DeskForm:
    entries: list[str] = field(default_factory=list)
    client: str = ""
    notes: str = ""
    day: date | None = None
    page_size: PageSize | None = None
    layout: Layout = "standard"
    language: str = "en"  # the packet's: one of studio.yaml's languages
    filters: Filters = field(default_factory=Filters)
    doses: dict[str, dict[str, str]] = field(default_factory=dict)  # exercise id -> field -> as typed
    problems: dict[str, str] = field(default_factory=dict)  # field name -> what is wrong
    why: dict[str, str] = field(default_factory=dict)  # field name -> the limit's source, said smaller
    messages: list[str] = field(default_factory=list)  # for the page, not tied to one field
    blockers: list[Blocker] = field(default_factory=list)  # entries not printable in `language`

    @property
    def ok(self) -> bool:
        return not self.problems and not self.messages and not self.blockers


def read_form(form: FormData, snapshot: Snapshot) -> DeskForm:
    """The form as sent, checked; the button pressed is applied (add, move, remove)."""
    result = DeskForm(
        entries=_entries(form, snapshot),
        client=_text(form, "client"),
        notes=_text(form, "notes", multiline=True),
        page_size=_choice(form, "page_size", ("letter", "a4")),  # type: ignore[arg-type]
        layout=_choice(form, "layout", LAYOUTS) or "standard",  # type: ignore[arg-type]
        language=_choice(form, "language", snapshot.project.languages) or "en",
        filters=Filters(
            words=_text(form, "q")[:MAX_SEARCH],
            target=_text(form, "target"),
            equipment=_text(form, "equipment"),
            level=_text(form, "level"),
        ),
    )
    result.day = _day(form, result)
    _check_text(result)
    result.doses = _doses(form, result.entries, snapshot)
    _apply_action(form, result, snapshot)
    _check_doses(result, snapshot)
    return result


def _entries(form: FormData, snapshot: Snapshot) -> list[str]:
    entries = [str(value) for value in form.getlist("entry")]
    if len(entries) > MAX_ENTRIES:
        raise TooMany(f"A packet can hold at most {MAX_ENTRIES} entries; this one has {len(entries)}.")
    for entry_id in entries:
        _refuse_unprintable(entry_id, snapshot)
    return entries


def _refuse_unprintable(entry_id: str, snapshot: Snapshot) -> None:
    card = snapshot.card(entry_id)
    if card is None:
        raise Tampered(f'There is no exercise or routine "{_shown(entry_id)}" in the library.')
    if not card.printable:
        raise Tampered(f'"{card.title}" is {card.why_not}; only reviewed entries are printed for clients.')


def _shown(text: str) -> str:
    return _CONTROL.sub("?", text)[:80]


def _text(form: FormData, name: str, *, multiline: bool = False) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise Tampered(f"The field {name} must be text.")
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    return value if multiline else value.strip()


def _check_text(result: DeskForm) -> None:
    for name, value, limit, multiline in (
        ("client", result.client, MAX_NAME, False),
        ("notes", result.notes, MAX_NOTES, True),
    ):
        allowed = value.replace("\n", "").replace("\t", "") if multiline else value
        if _CONTROL.search(allowed) or (not multiline and ("\n" in value or "\t" in value)):
            result.problems[name] = (
                "Has a control character (pasted from another program?); please retype it."
            )
        elif len(value) > limit:
            result.problems[name] = f"Too long: {len(value)} characters, at most {limit}."


def _choice(form: FormData, name: str, allowed: tuple[str, ...]) -> str | None:
    value = form.get(name) or None
    if value is not None and value not in allowed:
        raise Tampered(f"The field {name} must be one of {', '.join(allowed)}.")
    return value if isinstance(value, str) else None


def _day(form: FormData, result: DeskForm) -> date | None:
    text = str(form.get("date") or "")
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    result.problems["date"] = "Not a date; use the date picker or type it as YYYY-MM-DD."
    return None


def _doses(form: FormData, entries: list[str], snapshot: Snapshot) -> dict[str, dict[str, str]]:
    in_packet = {item.exercise_id for entry_id in entries for item in snapshot.items_of(entry_id)}
    doses: dict[str, dict[str, str]] = {}
    for name, value in form.multi_items():
        if not name.startswith(DOSE_PREFIX):
            continue
        exercise_id, _, field_name = name[len(DOSE_PREFIX) :].rpartition(".")
        if exercise_id not in in_packet or field_name not in ADJUSTABLE_FIELDS or not isinstance(value, str):
            raise Tampered(f'The dosage field "{_shown(name)}" is not one this packet has.')
        doses.setdefault(exercise_id, {})[field_name] = value.strip()
    return doses


def _apply_action(form: FormData, result: DeskForm, snapshot: Snapshot) -> None:
    entries = result.entries
    if "add" in form:
        entry_id = str(form["add"])
        _refuse_unprintable(entry_id, snapshot)
        title = snapshot.card(entry_id).title  # type: ignore[union-attr]
        if entry_id in entries:
            result.messages.append(f'"{title}" is already in the packet.')
        elif len(entries) >= MAX_ENTRIES:
            result.messages.append(f'"{title}" was not added: a packet holds at most {MAX_ENTRIES} entries.')
        else:
            entries.append(entry_id)
        return
    if "to_language" in form:  # "Print in English instead", from the notice
        result.language = _choice(form, "to_language", snapshot.project.languages) or result.language
    if "leave_out" in form:  # "Leave these out": the entries that cannot print in the language
        stopping = {blocker.entry_id for blocker in blockers(snapshot.project, entries, result.language)}
        entries[:] = [entry_id for entry_id in entries if entry_id not in stopping]
    if "drop" in form:  # a card's "Remove": by id, since the card does not know the order
        dropped = str(form["drop"])
        if dropped not in entries:
            raise Tampered("The button pressed names no entry of this packet.")
        entries.remove(dropped)
    for action in ("up", "down", "remove"):
        if action in form:
            move_or_remove(entries, action, _index(form[action], len(entries)))
    kept = {item.exercise_id for entry_id in entries for item in snapshot.items_of(entry_id)}
    result.doses = {k: v for k, v in result.doses.items() if k in kept}


def _index(value: object, length: int) -> int:
    if not isinstance(value, str) or not value.isdigit() or int(value) >= length:
        raise Tampered("The button pressed names no entry of this packet.")
    return int(value)


def packet_items(entries: list[str], snapshot: Snapshot) -> list[PacketItem]:
    """The exercises of the packet, each once, in the order they print."""
    seen: dict[str, PacketItem] = {}
    for entry_id in entries:
        for item in snapshot.items_of(entry_id):
            seen.setdefault(item.exercise_id, item)
    return list(seen.values())


def adjustments(result: DeskForm, snapshot: Snapshot) -> dict[str, Adjustment]:
    """The fields changed from the dosage the content gives (typed values, already checked)."""
    changes: dict[str, Adjustment] = {}
    for item in packet_items(result.entries, snapshot):
        typed = result.doses.get(item.exercise_id, {})
        start = field_values(item.dosage)
        changed = {name: int(value) for name, value in typed.items() if value and int(value) != start[name]}
        if changed:
            changes[item.exercise_id] = changed
    return changes


def _check_doses(result: DeskForm, snapshot: Snapshot) -> None:
    """Whole numbers first; then the changed dosage against the content's safety limits."""
    for exercise_id, typed in result.doses.items():
        for name, value in typed.items():
            if value and not (value.isascii() and value.isdigit() and len(value) <= 9):
                result.problems[dose_field(exercise_id, name)] = "Type a whole number, like 20."
    if result.problems:
        return
    changes = adjustments(result, snapshot)
    for item in packet_items(result.entries, snapshot):
        change = changes.get(item.exercise_id)
        if not change:
            continue
        exercise = snapshot.project.exercises[item.exercise_id]
        schema_dir = snapshot.project.schema_dir  # the studio's own schema/ tightens too
        found = problems(exercise, adjusted(item.dosage, change), schema_dir, with_facts=True)
        if any(problem.field for problem in found):
            # One fix at a time: "enter 30 or less" first; hold × reps is said after, if still over.
            found = [problem for problem in found if problem.field]
        for problem in found:
            key = dose_field(item.exercise_id, problem.field or "")
            if key not in result.problems:
                words = staff_words(problem, exercise)
                result.problems[key], result.why[key] = words.message, words.why


def dose_field(exercise_id: str, name: str) -> str:
    """The form field of one adjustable value: dose.<exercise id>.<field>."""
    return f"{DOSE_PREFIX}{exercise_id}.{name}"
