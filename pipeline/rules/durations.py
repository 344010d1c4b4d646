"""Durations as instructors write them, in English and Spanish: the longest one in a text.

"90 seconds", "90 s", "90-second", "1.5 minutes", "1,5 minutos", "2½ min", "2 1/2 minutes",
"ninety seconds", "forty-five seconds", "a minute and a half", "half a minute", "30 to 60
seconds" (the larger counts), "noventa segundos", "treinta y cinco segundos", "un minuto y
medio", "medio minuto", "de 30 a 60 segundos".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from fractions import Fraction

_ARTICLES = dict.fromkeys(("a", "an", "un", "una"), 1)  # "a minute", "un minuto"
_UNITS = {
    **dict.fromkeys(("zero", "cero"), 0),
    **dict.fromkeys(("one", "uno"), 1),
    **dict.fromkeys(("two", "dos"), 2),
    **dict.fromkeys(("three", "tres"), 3),
    **dict.fromkeys(("four", "cuatro"), 4),
    **dict.fromkeys(("five", "cinco"), 5),
    **dict.fromkeys(("six", "seis"), 6),
    **dict.fromkeys(("seven", "siete"), 7),
    **dict.fromkeys(("eight", "ocho"), 8),
    **dict.fromkeys(("nine", "nueve"), 9),
}
_TEENS = {
    **dict.fromkeys(("ten", "diez"), 10),
    **dict.fromkeys(("eleven", "once"), 11),
    **dict.fromkeys(("twelve", "doce"), 12),
    **dict.fromkeys(("thirteen", "trece"), 13),
    **dict.fromkeys(("fourteen", "catorce"), 14),
    **dict.fromkeys(("fifteen", "quince"), 15),
    **dict.fromkeys(("sixteen", "dieciseis"), 16),
    **dict.fromkeys(("seventeen", "diecisiete"), 17),
    **dict.fromkeys(("eighteen", "dieciocho"), 18),
    **dict.fromkeys(("nineteen", "diecinueve"), 19),
    **dict.fromkeys(("hundred", "cien", "ciento"), 100),
}
_TENS = {
    **dict.fromkeys(("twenty", "veinte"), 20),
    **dict.fromkeys(("thirty", "treinta"), 30),
    **dict.fromkeys(("forty", "cuarenta"), 40),
    **dict.fromkeys(("fifty", "cincuenta"), 50),
    **dict.fromkeys(("sixty", "sesenta"), 60),
    **dict.fromkeys(("seventy", "setenta"), 70),
    **dict.fromkeys(("eighty", "ochenta"), 80),
    **dict.fromkeys(("ninety", "noventa"), 90),
}
# "veintidós": Spanish writes 21 to 29 as one word
_SPANISH_UNITS = ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
_VEINTI = {f"veinti{word}": 21 + n for n, word in enumerate(_SPANISH_UNITS)} | {"veintiun": 21}
_FRACTIONS = {
    "½": Fraction(1, 2),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
}


def _words(names: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_WORD = (
    rf"(?:(?:{_words(_TENS)})(?:[\s-]+(?:y\s+)?(?:{_words(_UNITS)}))?"
    rf"|{_words(_VEINTI)}|{_words(_TEENS)}|{_words(_UNITS)}|{_words(_ARTICLES)})"
)
_FRACTION = f"[{''.join(_FRACTIONS)}]"
_DIGITS = rf"\d+(?:\.\d+|,\d(?!\d))?(?:\s*{_FRACTION}|\s+\d/\d)?|\d/\d|{_FRACTION}"
_NUMBER = rf"(?:{_DIGITS}|{_WORD})"
_HALF = r"(?:and\s+a\s+half|y\s+medio|y\s+media)"
_UNIT = r"(?:seconds?|secs?|s|minutes?|mins?|segundos?|segs?|minutos?|min)"
_DURATION = re.compile(
    rf"(?<![\w.,/])(?:(?P<low>{_NUMBER})\s*(?:-|–|to|or|a|o)\s*)?(?P<high>{_NUMBER})"
    rf"(?:\s+{_HALF})?[\s-]*(?P<unit>{_UNIT})(?:\s+(?P<half>{_HALF}))?\b"
    rf"|(?<!\w)(?P<halfof>half\s+an?|medio|media)\s+(?P<halfunit>minute|minuto)\b",
    re.IGNORECASE,
)


# A unit not inside a word ("90s", "90 s", "minutes"; not "sets"): most texts have none, and
# the full pattern is then not run at all; where one is, only the words just before it.
_UNIT_ALONE = re.compile(rf"(?<![^\W\d_]){_UNIT}\b", re.IGNORECASE)
_REACH = 60  # characters before a unit that its number may take ("one and a half ...")


def longest_duration(text: str) -> tuple[int, str] | None:
    """The longest duration in `text`, in seconds, with the words that say it."""
    plain = text if text.isascii() else _without_accents(text)
    found = set()
    for unit in _UNIT_ALONE.finditer(plain):
        start = plain.rfind(" ", 0, max(0, unit.start() - _REACH)) + 1
        for match in _DURATION.finditer(plain, start, min(len(plain), unit.end() + 16)):
            seconds = _seconds(match)
            if seconds is not None:
                found.add((seconds, text[match.start() : match.end()].strip()))
    return max(found) if found else None


def _seconds(match: re.Match[str]) -> int | None:
    if match.group("halfof"):
        return 30
    if match.group("high")[-1].isalpha() and match.start("unit") == match.end("high"):
        return None  # "tens", "cientos": a word, not a number and its unit
    number = _value(match.group("high"))
    low = _value(match.group("low")) if match.group("low") else None
    if number is None:
        return None
    if low is not None and low >= number:
        # "forty-five" is one number; "30-20 seconds" (sic) the larger
        words = match.group("low")[-1].isalpha() and match.group("high")[-1].isalpha()
        number = low + number if words else low
    if match.group("half") or re.search(_HALF, match.group(0)[: match.start("unit") - match.start()], re.I):
        number += Fraction(1, 2)
    scale = 60 if match.group("unit").lower().startswith("m") else 1
    return int(number * scale)


def _value(said: str) -> Fraction | None:
    """A number as written: digits, a decimal, a fraction or words."""
    said = said.strip().lower()
    whole = re.match(r"(\d+)(?:[.,](\d+))?\s*(.*)$", said)
    if whole:
        number = Fraction(int(whole.group(1)))
        if whole.group(2):
            number += Fraction(int(whole.group(2)), 10 ** len(whole.group(2)))
        rest = whole.group(3)
        if rest in _FRACTIONS:
            number += _FRACTIONS[rest]
        elif re.fullmatch(r"\d/\d", rest) and rest[2] != "0":
            number += Fraction(int(rest[0]), int(rest[2]))
        elif re.fullmatch(r"/\d", rest) and rest[1] != "0":  # "1/2" read as 1 then "/2"
            number = Fraction(int(whole.group(1)), int(rest[1]))
        return number
    if said in _FRACTIONS:
        return _FRACTIONS[said]
    return _word_value(said)


def _word_value(said: str) -> Fraction | None:
    parts = [part for part in re.split(r"[\s-]+", said) if part and part != "y"]
    known = {**_ARTICLES, **_UNITS, **_TEENS, **_TENS, **_VEINTI}
    total = sum(known.get(part, -1000) for part in parts)
    return Fraction(total) if total >= 0 else None


def _without_accents(text: str) -> str:
    """ "dieciséis" as "dieciseis", keeping every other character where it was (the matched
    words are then cut from the original text)."""
    return "".join(unicodedata.normalize("NFD", c)[0] if c.isalpha() and not c.isascii() else c for c in text)
