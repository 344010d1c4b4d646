"""The code of format 1, which packets printed before format 2 (publish/phone/short.py, the
short code a person can type) carry after the `#`: the page still reads it.

    1.en~k2p9x.20.3.1.2.7..e~a8c1q..8.1.1.5.30.n~c9

- the format (1) and the packet's language;
- for each exercise, in the printed order: its key (five base-36 characters of the SHA-256 of
  its id, as stable as the id), its dosage numbers in `CODE_FIELDS` order (hold, times, sets,
  times a day, days a week, rest), empty where the dosage has none, and its sides (e each,
  a alternating, n none): all that a routine or the desk may change, so the phone says what
  the paper says (the page checks the numbers against the safety limits);
- a check of two base-36 characters over everything before it, so that a link typed by hand
  with a slip is refused rather than opened wrong.

Nothing about the person: no name, no notes, no date. The part after `#` is never sent to
the website by a browser. The page reads it in templates/phone/packet-code.js (`readLongCode`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.model import ADJUSTABLE_FIELDS

FORMAT = "1"
CODE_FIELDS = (*ADJUSTABLE_FIELDS, "rest_seconds")
SIDES = {"each": "e", "alternate": "a", "none": "n"}
KEY_LENGTH = 5
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CHECK_SPACE = 36 * 36


def entry_key(exercise_id: str) -> str:
    number = int.from_bytes(hashlib.sha256(exercise_id.encode()).digest()[:8], "big")
    key = ""
    for _ in range(KEY_LENGTH):
        number, digit = divmod(number, 36)
        key += DIGITS[digit]
    return key


def check_characters(text: str) -> str:
    """A polynomial hash mod 36²: any one character changed, or two neighbours swapped,
    changes it (31 is invertible mod 1296, and code characters differ by less than 216)."""
    value = 0
    for character in text:
        value = (value * 31 + ord(character)) % CHECK_SPACE
    return DIGITS[value // 36] + DIGITS[value % 36]


def packet_code(language: str, exercises: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    """The code of a packet: (exercise id, its dosage: the numbers by field and `sides`) in
    printed order."""
    parts = [f"{FORMAT}.{language}"]
    for exercise_id, dosage in exercises:
        values = ["" if dosage.get(name) is None else str(dosage[name]) for name in CODE_FIELDS]
        parts.append(".".join([entry_key(exercise_id), *values, SIDES.get(dosage.get("sides", ""), "")]))
    body = "~".join(parts)
    return f"{body}~{check_characters(body)}"
