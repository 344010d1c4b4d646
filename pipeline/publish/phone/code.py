"""The code at the end of a packet's phone link, after the `#`.

    1.en~k2p9x.20.3.1.2.7~a8c1q..8.1.1.5~c9

- the format (1) and the packet's language;
- for each exercise, in the printed order: its key (five base-36 characters of the SHA-256 of
  its id, as stable as the id) and its dosage numbers in `ADJUSTABLE_FIELDS` order, empty
  where the exercise has none (the page checks them against the safety limits);
- a check of two base-36 characters over everything before it, so that a link typed by hand
  with a slip is refused rather than opened wrong.

Nothing about the person: no name, no notes, no date. The part after `#` is never sent to
the website by a browser. The page reads it in templates/phone/packet.js (`readCode`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from pipeline.model import ADJUSTABLE_FIELDS

FORMAT = "1"
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


def packet_code(language: str, exercises: Sequence[tuple[str, Mapping[str, int | None]]]) -> str:
    """The code of a packet: (exercise id, its dosage numbers by field) in printed order."""
    parts = [f"{FORMAT}.{language}"]
    for exercise_id, numbers in exercises:
        values = ["" if numbers.get(name) is None else str(numbers[name]) for name in ADJUSTABLE_FIELDS]
        parts.append(".".join([entry_key(exercise_id), *values]))
    body = "~".join(parts)
    return f"{body}~{check_characters(body)}"
