"""Translations kept in step with their English: staleness found by `pipeline check`, shown by
`pipeline translate status` (old and new English side by side), recorded by `update`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import run

from pipeline.resources import templates_for

REPO = Path(__file__).parent.parent
ES = "content/exercises/knee-to-chest.es.yaml"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new))


def publish(root: Path) -> None:
    """What a reviewer does: mark the translation reviewed and record the English it matches."""
    edit(root, ES, "status: draft", "status: published")
    edit(root, ES, "  translated_by:", "  reviewed_by: Ana Ruiz\n  reviewed_on: 2026-11-20\n  translated_by:")
    assert run(root, "translate", "update", "es", "knee-to-chest").exit_code == 0


def line_of(root: Path, name: str, text: str) -> int:
    return next(
        n for n, line in enumerate((root / name).read_text().splitlines(), 1) if line.startswith(text)
    )


def test_a_published_translation_passes_until_its_english_changes(root: Path) -> None:
    publish(root)
    assert run(root, "check").exit_code == 0
    edit(
        root, "content/exercises/knee-to-chest.yaml", "Hold, breathing slowly.", "Hold, breathing out slowly."
    )
    result = run(root, "check")
    assert result.exit_code == 0  # steps without a number: a warning
    steps = line_of(root, ES, "steps:")
    assert f"{ES}:{steps}:1: warning: the English of `steps` has changed" in result.output
    edit(root, "content/exercises/knee-to-chest.yaml", "into a leg", "into a leg, or numbness")
    result = run(root, "check")
    assert result.exit_code == 1  # stop_if: an error, the handout must not print the old one
    stop_if = line_of(root, ES, "stop_if:")
    assert f"{ES}:{stop_if}:1: error: the English of `stop_if` has changed" in result.output


def test_status_shows_the_english_it_was_made_from_beside_todays(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    publish(root)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "translated"], check=True)
    edit(root, "content/exercises/knee-to-chest.yaml", "into a leg", "into a leg, or numbness")
    (root / "content/exercises/bird-dog.es.yaml").unlink()
    result = run(root, "translate", "status", "es")
    assert "stale: content/exercises/knee-to-chest.es.yaml: stop_if" in result.output
    assert "    #1 translated from: Pain that increases or spreads into a leg\n" in result.output
    assert "    #1 English now:     Pain that increases or spreads into a leg, or numbness\n" in result.output
    assert "not translated: content/exercises/bird-dog.yaml" in result.output


def test_update_records_the_english_and_keeps_the_files_comments(root: Path) -> None:
    path = root / ES
    path.write_text(path.read_text().replace("status: draft", "status: draft  # awaiting Ana"))
    publish(root)
    text = path.read_text()
    assert "status: published  # awaiting Ana" in text  # the reviewer's comment is kept
    assert "translated_from:\n  title:" in text
    again = run(root, "translate", "update", "es")
    assert "Nothing to record" in again.output


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


ENGLISH_FIXED_WORDS = [
    "How much",
    "Stop and call us",
    "Call us",
    "Getting ready",
    "What to do",
    "Tips",
    "Variations",
    "Your exercises",
    "Prepared for",
    "In order",
    "Your two weeks",
    "Tick a box",
    "Day",
    "Done",
    "Pain",
    "Left",
    "Right",
    "You need",
    "Works",
    "Page",
    "times",
    "each side",
    "a day",
    "every day",
    "Hold",
    "Stretch",
    "Beginner",
    "November",
    "DRAFT",
    "Harder",
]


def test_a_published_translation_prints_a_spanish_packet_with_no_english_left(root: Path) -> None:
    publish(root)
    pdf = root / "paquete.pdf"
    result = run(root, "handout", "knee-to-chest", "--client", "Zoë Núñez", "--lang", "es", "-o", str(pdf))
    assert result.exit_code == 0
    text = pdf_text(pdf)
    for spanish in [
        "Sus ejercicios",
        "Preparado para Zoë Núñez el 24 de noviembre de 2026",
        "Cuánto",
        "Deténgase y llámenos si",
        "Mantenga 20 segundos",
        "3 veces, cada lado",
        "Dos veces al día, todos los días",
        "Página 1 de",
        "Estiramiento de una rodilla al pecho",
    ]:
        assert spanish.casefold() in text.casefold(), spanish  # headings print in capitals
    # Proper names and the studio's contact details stay as they are; no English word is left.
    for proper in ["Body Fundamentals", "Tucson", "free-exercise-db", "Zoë Núñez"]:
        text = text.replace(proper, "")
    left = [word for word in ENGLISH_FIXED_WORDS if re.search(rf"\b{word}\b", text, re.IGNORECASE)]
    assert left == []
    from pypdf import PdfReader

    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "es-US"


def test_a_spanish_packet_refuses_an_entry_without_a_reviewed_translation(root: Path) -> None:
    pdf = root / "paquete.pdf"
    draft = run(root, "handout", "knee-to-chest", "--client", "Ana", "--lang", "es", "-o", str(pdf))
    assert (
        draft.exit_code == 2 and '"knee-to-chest" has only a draft translation into Spanish' in draft.output
    )
    publish(root)
    (root / "content/exercises/bird-dog.es.yaml").unlink()
    none = run(
        root, "handout", "knee-to-chest", "bird-dog", "--client", "Ana", "--lang", "es", "-o", str(pdf)
    )
    assert none.exit_code == 2 and '"bird-dog" has no translation into Spanish' in none.output
    assert not pdf.exists()
    french = run(root, "handout", "knee-to-chest", "--client", "Ana", "--lang", "fr", "-o", str(pdf))
    assert french.exit_code == 2 and '"fr" is not one of the studio\'s languages' in french.output


def test_the_build_writes_each_language_in_its_own_folder_drafts_watermarked(root: Path) -> None:
    assert run(root, "build", "--drafts", "--quiet").exit_code == 0
    spanish = root / "build/drafts/pdf/es/exercises/knee-to-chest.pdf"
    text = pdf_text(spanish)
    assert "BORRADOR — sin revisar — no es para clientes" in text
    snippet = (root / "build/drafts/html/es/exercises/knee-to-chest.html").read_text()
    assert 'lang="es-US"' in snippet and "Estiramiento de una rodilla al pecho" in snippet
    assert (root / "build/pdf/exercises/knee-to-chest.pdf").is_file()  # English where it was
    assert not (root / "build/pdf/es").exists()  # a draft translation never beside the reviewed ones
    publish(root)
    assert run(root, "build", "--quiet").exit_code == 0
    assert (root / "build/pdf/es/exercises/knee-to-chest.pdf").is_file()
    index = (root / "build/index.html").read_text()
    assert "pdf/es/exercises/knee-to-chest.pdf" in index
    assert 'href="#exercise-knee-to-chest-es">Español</a>' in index  # each entry links its languages


def test_a_translation_is_checked_for_characters_the_typeface_lacks(root: Path) -> None:
    from pipeline.rules.typeface import characters_drawn

    assert set("áéíóúñüÁÉÍÓÚÑÜ¿¡") <= (characters_drawn(templates_for(REPO)) or set())
    edit(root, ES, "Baje el pie al suelo", "Baje el pie al suelo → ")
    result = run(root, "check")
    assert f"{ES}:" in result.output and "[unprintable-character]" in result.output


def test_a_studio_language_without_fixed_words_is_an_error_on_its_line(root: Path) -> None:
    edit(root, "content/studio.yaml", "languages: [en, es]", "languages: [en, es, fr]")
    result = run(root, "check")
    assert result.exit_code == 1
    line = line_of(root, "content/studio.yaml", "languages:")
    assert f"content/studio.yaml:{line}:" in result.output and "no fixed words" in result.output
    assert '"fr"' in result.output and "[translation-language]" in result.output


def test_a_draft_translation_never_holds_back_an_english_edit(root: Path) -> None:
    """An instructor who writes no Spanish adds a step and a photo to an exercise whose
    Spanish translation is a draft: the check passes, and lists what the translator must do."""
    name = "content/exercises/backsystem3-hamstring-stretch.yaml"
    edit(root, name, "  - Repeat, then change legs.\n", "  - Repeat, then change legs.\n  - Rest a minute.\n")
    with (root / name).open("a") as source:
        source.write(
            "images:\n  - src: images/cat-cow-start.jpg\n"
            "    alt: A woman on hands and knees on a mat, back flat.\n"
        )
    result = run(root, "check")
    assert result.exit_code == 0
    assert "backsystem3-hamstring-stretch.es.yaml" in result.output
    assert "warning: `steps` has 4 items here and 5 in the English" in result.output
    assert "warning: `images` is not translated yet" in result.output
    assert run(root, "check", "--strict").exit_code == 1


def test_a_published_translation_behind_the_english_fails_and_says_both_ways_out(root: Path) -> None:
    publish(root)
    edit(root, "content/exercises/knee-to-chest.yaml", "stop_if:\n", "stop_if:\n  - Dizziness\n")
    result = run(root, "check")
    assert result.exit_code == 1
    assert "error: `stop_if` has" in result.output
    assert "set `status: draft` here and the Spanish handout is printed as a draft" in result.output
