"""Tick boxes for fingers: every box of every tracker is at least 5 mm wide and high, in every
layout and language, for an exercise done once, twice or three times a day; measured from the
PDF (each box is the tick-box drawing painted in its cell), and no two boxes overlap."""

from __future__ import annotations

import re
import shutil
from itertools import combinations
from pathlib import Path

import pytest
from conftest import publish_spanish, run
from pdfkit import Box, drawn_boxes

REPO = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
PACKET = ["home-hamstring-care", "knee-to-chest", "bird-dog"]  # knee-to-chest: twice a day
LAYOUTS = ["standard", "compact", "large"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ticks")
    shutil.copytree(REPO / "content", root / "content")
    publish_spanish(root)
    glute = root / "content/exercises/glute-bridge.yaml"  # three times a day
    glute.write_text(glute.read_text().replace("times_per_day: 1", "times_per_day: 3"))
    return root


def expected_boxes(root: Path, exercises: list[str]) -> int:
    """Fourteen days of a box a session, for each side of each exercise."""
    total = 0
    for exercise in exercises:
        text = (root / f"content/exercises/{exercise}.yaml").read_text()
        times = re.search(r"times_per_day: (\d)", text)
        sides = 2 if re.search(r"sides: each", text) else 1
        total += 14 * sides * (int(times.group(1)) if times else 1)
    return total


def assert_fit_for_fingers(boxes: list[Box], expected: int) -> None:
    assert len(boxes) == expected  # every box was found, so none was missed by the measure
    small = [
        (b.page, round(b.width / MM, 2), round(b.height / MM, 2))
        for b in boxes
        if min(b.width, b.height) < 5 * MM
    ]
    assert small == []
    for a, b in combinations(boxes, 2):
        if a.page == b.page:
            apart = (
                a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
            )
            assert apart, (a, b)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_packets_tick_boxes_are_5_mm_or_more(library: Path, layout: str, language: str) -> None:
    output = library / f"packet-{layout}-{language}.pdf"
    result = run(
        library,
        "handout",
        *PACKET,
        "--client",
        "Ana",
        "--layout",
        layout,
        "--lang",
        language,
        "-o",
        str(output),
    )
    assert result.exit_code == 0
    tracked = ["cat-cow", "supine-hamstring-stretch-strap", "kneeling-hip-flexor-stretch", "glute-bridge"]
    assert_fit_for_fingers(
        drawn_boxes(output), expected_boxes(library, [*tracked, "knee-to-chest", "bird-dog"])
    )


@pytest.mark.parametrize("layout", ["standard", "large"])
def test_an_exercise_handouts_tick_boxes_are_5_mm_or_more(library: Path, layout: str) -> None:
    out = library / f"build-{layout}"
    result = run(
        library,
        "build",
        "--only",
        "knee-to-chest",
        "--only",
        "glute-bridge",
        "--layout",
        layout,
        "--out",
        str(out),
    )
    assert result.exit_code == 0
    for exercise in ("knee-to-chest", "glute-bridge"):
        for folder in ("pdf", "pdf/es"):
            pdf = out / folder / "exercises" / f"{exercise}.pdf"
            assert_fit_for_fingers(drawn_boxes(pdf), expected_boxes(library, [exercise]))
