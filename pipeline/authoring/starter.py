"""What `pipeline init` puts in a new studio's content/: the starter library as drafts for the
studio's instructors to review (or one example exercise), and copies of the schemas where the
studio's editor finds them.

The starter library ships inside the wheel as `pipeline/starter/` (pyproject.toml's
force-include of this repository's content/); in a checkout it is content/ itself. Both are
found through importlib.resources, never by a path relative to the working folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.model import translation_name
from pipeline.resources import SCHEMA, package_folder, packaged

STARTER = "starter"
EXAMPLE = "knee-to-chest"  # --empty: the one exercise, with its photos
# Where the schema copies go in the studio's repository: not schema/, which a studio fills
# only to replace the packaged schemas (resources.schema_folder_for).
SCHEMA_COPIES = ".pipeline/schemas"
MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)(?:\.\./)+schema/([a-z]+\.schema\.json)$", re.M)
IMAGE_SOURCE = re.compile(r"^\s*-?\s*src:\s*(images/\S+)\s*$", re.M)
# The starter's own reviewers signed it for this studio, not for the new one.
REVIEW_SIGNATURE = re.compile(r"^  reviewed_(?:by|on): .*\n", re.M)


def starter_folder() -> Path:
    inside = package_folder() / STARTER
    return inside if inside.is_dir() else package_folder().parent / "content"


def starter_files(languages: tuple[str, ...], example_only: bool) -> dict[str, bytes]:
    """content/… paths -> bytes: every exercise and routine (or the example alone) as a draft,
    its translations into the studio's languages, and the photos they show."""
    base = starter_folder()
    sources = (
        [base / "exercises" / f"{EXAMPLE}.yaml"]
        if example_only
        else sorted([*base.glob("exercises/*.yaml"), *base.glob("routines/*.yaml")])
    )
    files: dict[str, bytes] = {}
    for path in sources:
        name = translation_name(path)
        if name is not None and name.language not in languages:
            continue  # a translation into a language the studio does not print is an error
        text = as_draft(path.read_text("utf-8"), depth=2)
        files[f"content/{path.parent.name}/{path.name}"] = text.encode("utf-8")
        for image in IMAGE_SOURCE.findall(text):
            files[f"content/{image}"] = (base / image).read_bytes()
    if example_only:  # its translations too
        for path in sorted(base.glob(f"exercises/{EXAMPLE}.*.yaml")):
            name = translation_name(path)
            if name is not None and name.language in languages:
                files[f"content/exercises/{path.name}"] = as_draft(path.read_text("utf-8"), 2).encode()
    return files


def as_draft(text: str, depth: int) -> str:
    """A starter file as the new studio's draft: unpublished, unsigned, its schema line aimed
    at the copies init writes (`depth` folders below the repository's top)."""
    text = re.sub(r"^status: published$", "status: draft", text, flags=re.M)
    text = REVIEW_SIGNATURE.sub("", text)
    return modeline_to_copies(text, depth)


def modeline_to_copies(text: str, depth: int) -> str:
    return MODELINE.sub(lambda m: f"{m[1]}{'../' * depth}{SCHEMA_COPIES}/{m[2]}", text)


def in_this_project(root: Path, text: str) -> str:
    """A new content file's schema line, aimed at the copies in a studio's repository (made by
    `pipeline init`); in this repository, whose schema/ is at the top, left as it is."""
    return modeline_to_copies(text, 2) if (root / SCHEMA_COPIES).is_dir() else text


def schema_line(name: str, depth: int) -> str:
    """The first line of a content file `depth` folders down: the editor's schema."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_COPIES}/{name}.schema.json\n"


def schema_copies() -> dict[str, bytes]:
    """The packaged schemas, for the studio's editor (completion, hover help, squiggles)."""
    folder = packaged(SCHEMA)
    return {f"{SCHEMA_COPIES}/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.schema.json"))}
