"""Every message about a date shows the format with an example, on the command line too (the
check's messages are the data-driven cases: date-messages-show-the-format and others)."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def test_a_cover_date_typed_the_us_way_is_refused_with_its_iso_spelling(root: Path, tmp_path: Path) -> None:
    result = run(root, "handout", "knee-to-chest", "--client", "Ana", "--date", "11/02/2026", "-o", "a.pdf")
    assert result.exit_code == 2
    assert "11/02/2026 is not a date" in result.output
    assert "if you meant November 2, 2026, write 2026-11-02" in result.output
    result = run(root, "handout", "knee-to-chest", "--client", "Ana", "--date", "2 Nov", "-o", "a.pdf")
    assert result.exit_code == 2 and "YYYY-MM-DD (year-month-day), e.g. 2026-11-02" in result.output
    assert not (tmp_path / "a.pdf").exists() and "Traceback" not in result.output


def test_a_pinned_day_that_is_not_a_date_says_how_to_write_one(root: Path) -> None:
    result = run(root, "check", today="2026-13-01")
    assert result.exit_code == 2
    assert "PIPELINE_TODAY=2026-13-01 is not a date" in result.output
    assert "e.g. 2026-11-02 for November 2, 2026" in result.output
