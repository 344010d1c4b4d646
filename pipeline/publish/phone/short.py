"""The short code a packet prints, for a person to type (format 2): `K7QM-4XRT-92`.

Crockford's base-32 (no I, L, O or U; read in any case, i as 1, o as 0), in groups of four
joined by hyphens, which the page ignores. Its bits, first to last:

- 0: this format (a 1 is kept for a later one);
- the language: 00 English, 01 Spanish, 10 two letters or 11 three (5 bits a letter);
- how many exercises (Elias gamma: 1 bit for one, 3 for two or three, 5 for up to seven);
- 5 bits of the exercises' published dosages (`published_check`): a dosage the library has
  changed since the packet was printed is refused, not shown with the new numbers;
- each exercise in the printed order: its key (`KEY_BITS` of the SHA-256 of its id), a bit
  that says whether the desk changed its dosage and, if it did, one bit for each of
  `CODE_FIELDS` and the sides, then the value of each field marked (gamma of value + 2; 1
  for none) and the sides (2 bits);
- zeros to a whole character, then two check characters (`check_value`).

Only what the desk changed is carried: the page has every exercise's published dosage. The
key is as long as the same key for every entry ever published needs, not as short as today's
library allows: a key must mean one exercise forever, and a shorter one chosen for today's
library would be shared by an exercise added tomorrow. So the length is fixed (20 bits, about
a million keys: 150 exercises share one with a chance of 1 %) and the build refuses a
library where two published exercises share one (publish/phone/data.py), which names both:
the one being published is renamed, and no printed code changes meaning.
Nothing about the person. The page reads it in templates/phone/packet-code.js (`readShortCode`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.publish.phone.code import CODE_FIELDS, SIDES

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KEY_BITS = 20
GROUP = 4
NAMED_LANGUAGES = ("en", "es")  # 00 and 01; any other is spelled
SIDE_BITS = {None: 0, "each": 1, "alternate": 2, "none": 3}
CHECK_SPACE = 32 * 32


def short_key(exercise_id: str) -> str:
    """An exercise's key in a short code: its first `KEY_BITS`, as four characters."""
    return _symbols(_key_number(exercise_id), KEY_BITS // 5)


def _key_number(exercise_id: str) -> int:
    return int.from_bytes(hashlib.sha256(exercise_id.encode()).digest()[:4], "big") >> (32 - KEY_BITS)


def check_value(symbols: Sequence[int]) -> int:
    """A polynomial in 31 mod 32²: a character changed changes it (31 is odd, a change is less
    than 32), and so do two neighbours swapped (their change times 30 is not a multiple of 1024)."""
    value = 0
    for symbol in symbols:
        value = (value * 31 + symbol) % CHECK_SPACE
    return value


def published_check(dosages: Sequence[Mapping[str, Any]]) -> int:
    """5 bits of the published dosages, in the packet's order (packet-code.js: `publishedCheck`)."""
    text = "~".join(".".join([*(_number(d, n) for n in CODE_FIELDS), _side(d)]) for d in dosages)
    value = check_value([ord(character) for character in text])
    return (value ^ (value >> 5)) & 31


def short_code(
    language: str,
    exercises: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any]]],
) -> str:
    """The code of a packet: (exercise id, its published dosage, the packet's) in printed
    order; each dosage its numbers by `CODE_FIELDS` name and `sides` (views.py: numbers)."""
    bits = _Bits()
    bits.add(0, 1)
    _add_language(bits, language)
    bits.gamma(len(exercises))
    bits.add(published_check([published for _, published, _ in exercises]), 5)
    for exercise_id, published, printed in exercises:
        bits.add(_key_number(exercise_id), KEY_BITS)
        _add_changes(bits, published, printed)
    symbols = bits.symbols()
    symbols += divmod(check_value(symbols), 32)
    text = "".join(ALPHABET[s] for s in symbols)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def _add_language(bits: _Bits, language: str) -> None:
    if language in NAMED_LANGUAGES:
        bits.add(0, 1)
        bits.add(NAMED_LANGUAGES.index(language), 1)
        return
    if not (len(language) in (2, 3) and language.isascii() and language.isalpha() and language.islower()):
        raise ValueError(f"a packet's language is two or three letters, not {language!r}")
    bits.add(2 if len(language) == 2 else 3, 2)
    for letter in language:
        bits.add(ord(letter) - ord("a"), 5)


def _add_changes(bits: _Bits, published: Mapping[str, Any], printed: Mapping[str, Any]) -> None:
    changed = [name for name in CODE_FIELDS if _value(printed, name) != _value(published, name)]
    sides_changed = _sides(printed) != _sides(published)
    bits.add(int(bool(changed) or sides_changed), 1)
    if not changed and not sides_changed:
        return
    for name in CODE_FIELDS:
        bits.add(int(name in changed), 1)
    bits.add(int(sides_changed), 1)
    for name in changed:
        value = _value(printed, name)
        bits.gamma(1 if value is None else value + 2)
    if sides_changed:
        bits.add(SIDE_BITS[_sides(printed)], 2)


def _value(dosage: Mapping[str, Any], name: str) -> int | None:
    value = dosage.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"a dosage's {name} is a whole number, not {value!r}")
    return value


def _sides(dosage: Mapping[str, Any]) -> str:
    return str(dosage.get("sides") or "none")


def _number(dosage: Mapping[str, Any], name: str) -> str:
    value = _value(dosage, name)
    return "" if value is None else str(value)


def _side(dosage: Mapping[str, Any]) -> str:
    return SIDES.get(_sides(dosage), "")


def _symbols(number: int, count: int) -> str:
    return "".join(ALPHABET[(number >> (5 * (count - 1 - i))) & 31] for i in range(count))


class _Bits:
    """Bits written first to last, read as base-32 symbols."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def add(self, value: int, width: int) -> None:
        self.value = (self.value << width) | value
        self.length += width

    def gamma(self, number: int) -> None:
        """Elias gamma: as many zeros as `number` has bits after its first, then its bits."""
        width = number.bit_length()
        self.add(0, width - 1)
        self.add(number, width)

    def symbols(self) -> list[int]:
        padding = -self.length % 5
        value, count = self.value << padding, (self.length + padding) // 5
        return [(value >> (5 * (count - 1 - i))) & 31 for i in range(count)]
