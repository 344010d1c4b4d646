"""The desk's page from its state, through the project's own Jinja2 templates (templates/desk/)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.desk.form import DOSE_PREFIX, DeskForm, Filters, dose_field, packet_items
from pipeline.desk.library import Card, Snapshot
from pipeline.model import ADJUSTABLE, ADJUSTABLE_FIELDS, field_values
from pipeline.publish.adjust import adjusted
from pipeline.publish.render import render_template
from pipeline.publish.views import dosage_view
from pipeline.resources import Templates


@dataclass(frozen=True)
class DoseInput:
    name: str  # the form field
    label: str
    value: str
    problem: str | None
    why: str = ""  # the limit's source, said smaller under the problem


@dataclass(frozen=True)
class PacketLine:
    """An exercise of the packet with its dosage, as typed or as the content gives it."""

    exercise_id: str
    title: str
    phrase: str
    inputs: list[DoseInput]
    problem: str | None  # about the dosage as a whole (hold × reps)
    why: str
    open: bool  # shown unfolded: it was changed, or has a problem


@dataclass(frozen=True)
class Picked:
    index: int
    card: Card


def matching(cards: Iterable[Card], filters: Filters) -> list[Card]:
    """Cards with every search word (as `pipeline list` matches) and the chosen filters."""
    words = filters.words.casefold().split()
    return [
        card
        for card in cards
        if all(word in card.searchable for word in words)
        and (not filters.target or filters.target in card.targets)
        and (not filters.equipment or filters.equipment in card.equipment)
        and (not filters.level or filters.level in card.levels)
    ]


def choices(cards: Iterable[Card]) -> dict[str, list[str]]:
    cards = list(cards)
    return {
        "target": sorted({t for c in cards for t in c.targets}),
        "equipment": sorted(
            {e for c in cards for e in c.equipment}, key=lambda e: (e == "none", e.casefold())
        ),
        "level": [
            lv for lv in ("beginner", "intermediate", "advanced") if any(lv in c.levels for c in cards)
        ],
    }


def packet_lines(form: DeskForm, snapshot: Snapshot) -> list[PacketLine]:
    lines = []
    for item in packet_items(form.entries, snapshot):
        start = field_values(item.dosage)
        typed = form.doses.get(item.exercise_id, {})
        inputs = []
        for (path, label), name in zip(ADJUSTABLE, ADJUSTABLE_FIELDS, strict=True):
            if start[name] is None and not typed.get(name) and path[0] == "hold_seconds":
                continue  # an exercise without a hold gets none at the desk either
            value = typed.get(name, _shown(start[name]))
            key = dose_field(item.exercise_id, name)
            inputs.append(DoseInput(key, label, value, form.problems.get(key), form.why.get(key, "")))
        whole = form.problems.get(dose_field(item.exercise_id, ""))
        changed = any(typed.get(n, _shown(start[n])) != _shown(start[n]) for n in ADJUSTABLE_FIELDS)
        lines.append(
            PacketLine(
                exercise_id=item.exercise_id,
                title=item.title,
                phrase=_phrase(item.dosage, typed, form, item.exercise_id),
                inputs=inputs,
                problem=whole,
                why=form.why.get(dose_field(item.exercise_id, ""), ""),
                open=changed or bool(whole) or any(i.problem for i in inputs),
            )
        )
    return lines


def _shown(value: int | None) -> str:
    return "" if value is None else str(value)


def _phrase(dosage: Mapping[str, Any], typed: Mapping[str, str], form: DeskForm, exercise_id: str) -> str:
    """The dosage in words, adjusted when what was typed passed the limits."""
    if any(key.startswith(dose_field(exercise_id, "")) for key in form.problems):
        return dosage_view(dosage)["phrase"]
    return dosage_view(adjusted(dosage, {k: int(v) for k, v in typed.items() if v}))["phrase"]


def status_line(snapshot: Snapshot, shown: int) -> str:
    """The line at the top of the page: what can be printed, and how much the search shows."""
    total = len(snapshot.cards)
    text = f"{snapshot.printable_count} of {total} entries can be printed"
    return text + (f"; {shown} shown." if shown != total else ".")


def first_to_fix(form: DeskForm, lines: list[PacketLine]) -> str | None:
    """The id the focus goes to when the form comes back: the first field with a problem, in
    the page's order, else the notice saying what stops the packet."""
    fields = ["client", "date"]
    for line in lines:
        fields += [i.name for i in line.inputs] if line.problem is None else [line.inputs[0].name]
    fields.append("notes")
    with_problem = [name for name in fields if form.problems.get(name) or _line_problem(form, name)]
    if with_problem:
        return with_problem[0]
    return "packet-notice" if form.messages or form.blockers else None


def _line_problem(form: DeskForm, name: str) -> bool:
    """`name` is the first input of an exercise whose dosage as a whole is refused."""
    exercise_id = name[len(DOSE_PREFIX) :].rpartition(".")[0]
    return name.startswith(DOSE_PREFIX) and bool(form.problems.get(dose_field(exercise_id, "")))


def _context(base: Mapping[str, Any]) -> dict[str, Any]:
    snapshot: Snapshot = base["snapshot"]
    form: DeskForm = base["form"]
    shown = matching(snapshot.cards, form.filters)
    lines = packet_lines(form, snapshot)
    return {
        **base,
        "cards": shown,
        "choices": choices(snapshot.cards),
        "picked": [Picked(i, c) for i, e in enumerate(form.entries) if (c := snapshot.card(e)) is not None],
        "in_packet": set(form.entries),
        "blocked": {blocker.entry_id for blocker in form.blockers},
        "lines": lines,
        "focus": first_to_fix(form, lines),
        "status_line": status_line(snapshot, len(shown)),
    }


def page_html(templates: Templates, base: Mapping[str, Any]) -> str:
    return render_template("desk/page.html.j2", _context(base), templates)


def packet_html(templates: Templates, base: Mapping[str, Any]) -> str:
    return render_template("desk/packet.html.j2", _context(base), templates)


def login_html(templates: Templates, csrf: str, problem: str | None) -> str:
    return render_template("desk/login.html.j2", {"csrf": csrf, "problem": problem}, templates)
