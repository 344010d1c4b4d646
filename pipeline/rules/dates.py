"""How every message about a date shows the format, with an example (one wording for the
check, the review rules and the command line's options).

The studio is in the US, where 11/02/2026 is November 2: such a date is read that way and the
message asks, rather than guessing silently.
"""

from __future__ import annotations

import re
from datetime import date

# A fixed example, not today's date: the same file gives the same message every day.
EXAMPLE = date(2026, 11, 2)
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def spelled(day: date) -> str:
    """November 2, 2026: a date as a person reads it, so a slip of month and day shows."""
    return f"{day:%B} {day.day}, {day.year}"


def date_format(example: date = EXAMPLE) -> str:
    """`YYYY-MM-DD (year-month-day), e.g. 2026-11-02 for November 2, 2026`."""
    return f"YYYY-MM-DD (year-month-day), e.g. {example.isoformat()} for {spelled(example)}"


def how_to_write(value: object) -> str:
    """The fix for a date typed wrong: the US reading when it has one, the format otherwise."""
    match = _US_DATE.fullmatch(str(value).strip())
    if match:
        month, day, year = (int(part) for part in match.groups())
        try:
            meant = date(year, month, day)
        except ValueError:
            pass
        else:
            meaning = f"if you meant {spelled(meant)}, write {meant.isoformat()}"
            return f"write it as YYYY-MM-DD (year-month-day): {meaning}"
    return f"write it as {date_format()}"
