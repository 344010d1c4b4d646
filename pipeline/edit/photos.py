"""Photos uploaded from an entry's page (issue 23 item 6): checked as `pipeline check` checks
a photo (a PostScript file named .jpg is refused, nothing stored), cleaned of the GPS
position and every other identifying part (pipeline/images/metadata.py), and stored in
content/images/ under a name made from the entry's id, never from the upload's own name.

A refusal is a diagnostic on the image's `src`, so it shows beside the upload control in the
check's words; when any upload of a form is refused, none is stored. An upload that passes
is stored at once (so that Preview and the check see it) and its `src` filled in; the entry
itself is saved only by Save, which needs the photo's alt text (the schema requires it), and
the photo joins the Commit page's files only with the entry that shows it."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.datastructures import FormData, UploadFile

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.images.inspect import inspect_data
from pipeline.images.metadata import without_metadata
from pipeline.images.renditions import LARGE_ORIGINAL_BYTES, ImageProblem

MAX_PHOTO_BYTES = LARGE_ORIGINAL_BYTES  # what the check calls a large original
MAX_UPLOADS = 6  # the schema's most images of one exercise
UPLOAD_NAME = re.compile(r"images\.(\d{1,2})\.upload")
IMAGES = "images"  # in content/


@dataclass(frozen=True)
class Upload:
    index: int  # the image's place in the form's list
    shown: str  # the upload's file name as the author knows it, for messages only
    data: bytes  # at most MAX_PHOTO_BYTES + 1: one byte more says it is too large


@dataclass
class Stored:
    sources: dict[int, str] = field(default_factory=dict)  # image index -> its new src
    refused: list[Diagnostic] = field(default_factory=list)


async def uploads_in(posted: FormData) -> list[Upload]:
    """The photos a form carries, read up to one byte over the limit; every file part is
    closed (its spooled copy in the system's temporary folder removed)."""
    found = []
    for key, value in posted.multi_items():
        if not isinstance(value, UploadFile):
            continue
        matched = UPLOAD_NAME.fullmatch(key)
        if matched and value.filename:
            data = await value.read(MAX_PHOTO_BYTES + 1)
            found.append(Upload(int(matched.group(1)), shown_name(value.filename), data))
        await value.close()
    return found[:MAX_UPLOADS]


def photos_of(data: Mapping[str, Any]) -> list[str]:
    """The files an entry's images name, as paths in the project (content/images/...)."""
    images = data.get("images")
    if not isinstance(images, list):
        return []
    return [f"content/{i['src']}" for i in images if isinstance(i, dict) and isinstance(i.get("src"), str)]


def shown_name(filename: str) -> str:
    """The last part of the upload's name, without control characters: only ever shown."""
    last = PurePosixPath(filename.replace("\\", "/")).name
    return "".join(ch for ch in last if ch.isprintable())[:80] or "the photo"


def store_uploads(root: Path, entry_id: str, file: str, uploads: list[Upload]) -> Stored:
    """Every upload checked and cleaned first; all stored, or none when one is refused."""
    result = Stored()
    cleaned: list[tuple[int, bytes, str]] = []
    for upload in uploads:
        problem = _problem(upload)
        if problem is None:
            try:
                photo = without_metadata(upload.data)
                cleaned.append((upload.index, photo.data, photo.suffix))
                continue
            except ImageProblem as exc:
                problem = ("image-unreadable", f"{upload.shown} {exc}")
        result.refused.append(_refusal(file, upload.index, *problem))
    if result.refused:
        return result
    folder = root / "content" / IMAGES
    for index, data, suffix in cleaned:
        try:
            result.sources[index] = _store(folder, entry_id, data, suffix)
        except OSError as exc:
            message = f"the photo could not be stored in content/{IMAGES}/ ({exc.strerror or exc})"
            result.refused.append(_refusal(file, index, "image-not-stored", message))
    return result


def _problem(upload: Upload) -> tuple[str, str] | None:
    """(rule, message) when `pipeline check` would refuse the photo, or it is too large."""
    if len(upload.data) > MAX_PHOTO_BYTES:
        limit = MAX_PHOTO_BYTES // 1024 // 1024
        return "image-large-file", f"{upload.shown} is over {limit} MB: export it smaller and upload it again"
    for finding in inspect_data(upload.data, ".jpg"):
        if finding.error:
            return finding.rule, f"{upload.shown} {finding.message}"
    return None


def _refusal(file: str, index: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(
        file, 1, 1, Severity.ERROR, rule, f"{message}. Nothing was stored.", f"/images/{index}/src"
    )


def _store(folder: Path, entry_id: str, data: bytes, suffix: str) -> str:
    """content/images/<entry id>-<n><suffix>, with the first n free: never over a file."""
    if folder.is_symlink():
        raise OSError(f"content/{IMAGES} is a link; photos are stored only in a real folder")
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        name = f"{entry_id}-{number}{suffix}"
        try:
            descriptor = os.open(
                folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
            )
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return f"{IMAGES}/{name}"
