"""The front desk: find the ids (`pipeline list`), print a client's packet (`pipeline handout`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result
from conftest import run as run_cli
from pypdf import PdfReader

REPO = Path(__file__).parent.parent


def run(root: Path, *args: str) -> Result:
    return run_cli(root, *args, today="2026-11-23")


def handout(root: Path, *args: str) -> tuple[Result, Path]:
    pdf = root / "packet.pdf"
    return run(root, "handout", *args, "-o", str(pdf)), pdf


def text_of(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "content" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_packet_has_the_client_the_date_the_notes_then_every_exercise_in_order(root: Path) -> None:
    result, pdf = handout(
        root,
        *("knee-to-chest", "home-hamstring-care"),
        *("--client", "Ana Ruiz", "--notes", "Start with the strap stretch.", "--date", "2026-12-01"),
    )
    assert result.exit_code == 0 and result.output == f"Wrote {pdf}\n"
    text = text_of(pdf)
    assert "Prepared for Ana Ruiz on December 1, 2026" in text
    assert "Notes from your instructor Start with the strap stretch." in text
    order = ["Single knee-to-chest stretch", "Cat–cow", "Lying hamstring stretch with a strap"]
    order += ["Kneeling hip-flexor stretch", "Glute bridge"]
    cover = text[text.index("In order") :]
    assert [cover.index(title) for title in order] == sorted(cover.index(title) for title in order)
    # the routine's own dosage for the strap stretch, not the exercise's
    assert "Lying hamstring stretch with a strap Hold 20 seconds · 3 times · each side" in cover
    assert "do not replace advice from your doctor" in text  # the disclaimer
    page = PdfReader(pdf).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def test_a_packet_on_a4_with_the_client_name_printed_as_typed(root: Path) -> None:
    result, pdf = handout(root, "bird-dog", "--client", "<b>Jo</b> & Sam", "--page-size", "a4")
    assert result.exit_code == 0
    assert "Prepared for <b>Jo</b> & Sam on November 23, 2026" in text_of(pdf)
    page = PdfReader(pdf).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["knee-to-chst"], 'there is no exercise or routine "knee-to-chst"; did you mean `knee-to-chest`?'),
        (["pelvic-tilt"], '"pelvic-tilt" is a draft; only published, reviewed entries are printed'),
        (
            ["supine-hamstring-stretch-strap", "home-hamstring-care"],
            '"supine-hamstring-stretch-strap" would be printed twice with different dosages: '
            '"Hold 30 seconds · 2 times · each side · once a day, 5 days a week" (on its own) and '
            '"Hold 20 seconds · 3 times · each side · once a day, 5 days a week" '
            '(in the routine "home-hamstring-care"); leave one of them out',
        ),
    ],
    ids=["typo", "draft", "same-exercise-two-dosages"],
)
def test_what_must_not_be_printed_is_refused_with_a_reason(root: Path, ids: list[str], message: str) -> None:
    result, pdf = handout(root, *ids, "--client", "Ana")
    assert result.exit_code == 2
    assert message in result.output
    assert not pdf.exists()


def test_an_exercise_asked_for_twice_with_the_same_dosage_prints_once(root: Path) -> None:
    result, pdf = handout(root, "cat-cow", "home-hamstring-care", "cat-cow", "--client", "Ana")
    assert result.exit_code == 0
    text = text_of(pdf)
    assert text.count("Cat–cow 10 times") == 1  # once on the cover
    assert "EXERCISE 4 OF 4" in text and "EXERCISE 5" not in text  # the routine's four, once each


def test_a_problem_in_a_file_of_the_packet_stops_it_but_not_elsewhere(root: Path) -> None:
    edit(root, "exercises/glute-bridge.yaml", "reps: 10", "reps: 100")
    result, pdf = handout(root, "home-hamstring-care", "--client", "Ana")
    assert result.exit_code == 1
    assert "content/exercises/glute-bridge.yaml:23:9: error:" in result.output
    assert "The packet was not printed: fix these problems first." in result.output
    assert not pdf.exists()
    result, pdf = handout(root, "knee-to-chest", "--client", "Ana")  # glute bridge not in it
    assert result.exit_code == 0 and pdf.exists()


@pytest.mark.parametrize(
    ("name", "old", "new", "where"),
    [
        ("exercises/knee-to-chest.yaml", "kind: static-stretch", "kind: banana", "kind"),
        ("exercises/glute-bridge.yaml", "kind: strength", "kind: banana", "kind"),  # in the routine
    ],
)
def test_an_entry_the_check_refuses_is_reported_not_printed(
    root: Path, name: str, old: str, new: str, where: str
) -> None:
    """A value no handout can show (an unknown kind) is the check's located error, exit 1,
    never an internal error while the packet is being laid out."""
    edit(root, name, old, new)
    result, pdf = handout(root, "knee-to-chest", "home-hamstring-care", "--client", "Ana")
    assert result.exit_code == 1, result.output
    assert f"content/{name}:" in result.output and f'{where} is "banana"' in result.output
    assert "internal error" not in result.output and not pdf.exists()


def test_list_shows_what_can_be_printed_with_its_id(root: Path) -> None:
    result = run(root, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 10  # 8 published exercises and 2 routines; the draft is not listed
    knee = r"knee-to-chest +exercise  Single knee-to-chest stretch \(static stretch, beginner\)"
    assert re.fullmatch(knee, lines[5])
    assert re.fullmatch(r"home-hamstring-care +routine +Home hamstring care \(4 exercises\)", lines[-1])
    assert "pelvic-tilt" not in result.output


def test_list_finds_entries_by_all_words_in_any_case(root: Path) -> None:
    result = run(root, "list", "HAMSTRING", "strap")
    assert [line.split()[0] for line in result.output.splitlines()] == ["supine-hamstring-stretch-strap"]
    assert run(root, "list", "zebra").output == 'No published exercise or routine matching "zebra".\n'


def test_list_shows_drafts_on_request_and_flags_entries_that_will_not_print(root: Path) -> None:
    edit(root, "exercises/bird-dog.yaml", "reps: 6", "reps: 60")
    edit(root, "routines/home-hamstring-care.yaml", "exercises:\n", "exercises: 4\nformer:\n")
    result = run(root, "list", "--drafts")
    assert "pelvic-tilt  " in result.output and "(mobility, beginner; draft)" in result.output
    bird_dog = next(line for line in result.output.splitlines() if line.startswith("bird-dog "))
    assert bird_dog.endswith("(isometric, beginner; has errors: run pipeline check)")
    routine = next(line for line in result.output.splitlines() if line.startswith("home-hamstring-care "))
    assert routine.endswith("(0 exercises; has errors: run pipeline check)")


def test_a_routine_that_lists_an_exercise_twice_keeps_both(root: Path) -> None:
    # A warm-up and a cool-down of the same exercise is the routine author's (reviewed) choice.
    edit(
        root,
        "routines/home-hamstring-care.yaml",
        "  - exercise: glute-bridge\n",
        "  - exercise: glute-bridge\n  - exercise: cat-cow\n    dosage: {reps: 5}\n    note: Cool down.\n",
    )
    result, pdf = handout(root, "home-hamstring-care", "--client", "Ana")
    assert result.exit_code == 0
    text = text_of(pdf)
    assert "EXERCISE 5 OF 5" in text and "Cat–cow 5 times" in text and "Cat–cow 10 times" in text
