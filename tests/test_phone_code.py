"""What a packet's phone link carries, and the limits its page checks it against: the page
must refuse exactly what the desk refuses, and a link typed with one slip must never open."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pipeline.model import ADJUSTABLE_FIELDS
from pipeline.publish.adjust import adjusted, problems
from pipeline.publish.phone.code import DIGITS, check_characters, entry_key, packet_code
from pipeline.publish.phone.limits import Limits, limits_of

REPO = Path(__file__).parent.parent
EXERCISES = sorted(p for p in (REPO / "content/exercises").glob("*.yaml") if p.name.count(".") == 1)
RANGES = {"hold_seconds": range(0, 125), "reps": range(0, 52), "sets": range(0, 12)}
RANGES |= {
    "frequency_times_per_day": range(0, 5),
    "frequency_days_per_week": range(0, 9),
    "rest_seconds": range(0, 305),
}


def page_refuses(limits: Limits, values: dict[str, int]) -> bool:
    """What templates/phone/packet.js (`refusals`) decides, written again in Python."""
    for name, value in values.items():
        field = limits["fields"][name]
        if (field["min"] is not None and value < field["min"]) or (
            field["max"] is not None and value > field["max"]
        ):
            return True
    hold, reps, limit = values.get("hold_seconds"), values.get("reps"), limits["per_side"]
    return bool(limit is not None and hold and reps and hold * reps > limit)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_the_page_refuses_exactly_what_the_desk_refuses(path: Path) -> None:
    exercise: dict[str, Any] = YAML(typ="safe").load(path)
    limits = limits_of(exercise)
    for name, values in RANGES.items():  # each field on its own, the others as published
        for value in values:
            dosage = {**exercise["dosage"], name: value} if name == "rest_seconds" else None
            desk = bool(problems(exercise, dosage or adjusted(exercise["dosage"], {name: value})))
            own = {n: v for n, v in _numbers(exercise).items() if v is not None}
            assert page_refuses(limits, own | {name: value}) == desk, (name, value)
    for hold, reps in itertools.product(range(1, 121, 7), range(1, 51, 3)):  # the two together
        desk = bool(problems(exercise, adjusted(exercise["dosage"], {"hold_seconds": hold, "reps": reps})))
        own = {n: v for n, v in _numbers(exercise).items() if v is not None}
        assert page_refuses(limits, own | {"hold_seconds": hold, "reps": reps}) == desk, (hold, reps)


def _numbers(exercise: dict[str, Any]) -> dict[str, int | None]:
    from pipeline.model import field_values

    return {**field_values(exercise["dosage"]), "rest_seconds": exercise["dosage"].get("rest_seconds")}


def test_every_limit_has_the_checks_own_words() -> None:
    exercise: dict[str, Any] = YAML(typ="safe").load(REPO / "content/exercises/knee-to-chest.yaml")
    limits = limits_of(exercise)
    hold = limits["fields"]["hold_seconds"]
    said = problems(exercise, adjusted(exercise["dosage"], {"hold_seconds": 31, "reps": 1}))
    assert hold["above"] and hold["above"].replace("{value}", "31") == said[0].message
    assert limits["per_side_words"] and "{hold} × {reps} = {total}" in limits["per_side_words"]


def test_the_code_says_nothing_but_the_language_the_exercises_and_their_numbers() -> None:
    numbers = dict(zip(ADJUSTABLE_FIELDS, (25, 3, 1, 2, 7), strict=True))
    bird_dog = {**numbers, "hold_seconds": 8, "rest_seconds": 30, "sides": "alternate"}
    code = packet_code("es", [("knee-to-chest", {**numbers, "sides": "each"}), ("bird-dog", bird_dog)])
    body, check = code.rsplit("~", 1)
    assert body == f"1.es~{entry_key('knee-to-chest')}.25.3.1.2.7..e~{entry_key('bird-dog')}.8.3.1.2.7.30.a"
    assert check == check_characters(body)


def test_one_slip_in_a_code_never_opens_another_packet() -> None:
    body = packet_code("en", [("knee-to-chest", {"hold_seconds": 20, "reps": 3, "sets": 1})]).rsplit("~", 1)[
        0
    ]
    check = check_characters(body)
    alphabet = DIGITS + ".~"
    for index, character in enumerate(body):
        for other in alphabet.replace(character, ""):
            assert check_characters(body[:index] + other + body[index + 1 :]) != check, (index, other)
        if index + 1 < len(body) and body[index + 1] != character:  # two neighbours swapped
            swapped = body[:index] + body[index + 1] + character + body[index + 2 :]
            assert check_characters(swapped) != check, index


def test_a_long_packets_code_grows_rather_than_shrink_its_modules() -> None:
    from pipeline.publish.render import qr_code

    def printed_mm(url: str) -> float:
        return float(
            re.search(r'width="([\d.]+)mm"', qr_code(url, "code", size_mm=25, module_mm=0.4)).group(1)
        )  # type: ignore[union-attr]

    dosage = {"hold_seconds": 20, "reps": 10, "sets": 2, "rest_seconds": 45, "sides": "each"}
    six = packet_code("en", [(f"exercise-{n}", dosage) for n in range(6)])
    twelve = packet_code("en", [(f"exercise-{n}", dosage) for n in range(12)])
    page = "https://bodyfundamentals.example/html/packet.html#"
    assert printed_mm(page + six) == 25
    assert printed_mm(page + twelve) > 25  # 0.4 mm modules at least
