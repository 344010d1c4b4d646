"""A translation's page, /{kind}/{id}/{language}: each field beside its English, the stale
ones marked, and Save, which runs the translation check of `pipeline check` first (an error
refuses the save beside its field), refuses a file changed on disk since the page was
opened, and records today's English in `translated_from` as `pipeline translate update`
does."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.authoring.scaffold import SLUG
from pipeline.diagnostics import Diagnostic
from pipeline.edit.checking import check_translation
from pipeline.edit.commitpage import EditorParts
from pipeline.edit.entries import FOLDERS, Kind, entry_file
from pipeline.edit.pages import render
from pipeline.edit.translation import (
    REVIEW,
    Group,
    groups_of,
    language_label,
    mark_stale,
    posted_data,
    saved_text,
    translation_path,
)
from pipeline.edit.yamledit import Conflict, read_version, write_if_unchanged
from pipeline.load.library import load_studio
from pipeline.load.yaml import Document, load_bytes
from pipeline.model import languages_of
from pipeline.translations.status import stale_fields
from pipeline.web.pages import Pages

LANGUAGE = re.compile(r"[a-z]{2,3}")
NEW = "new"  # the version of a translation not written yet
NEW_TRANSLATION = "# yaml-language-server: $schema=../../schema/translation.schema.json\nstatus: draft\n"


@dataclass
class Opened:
    """A translation and its English, as read from disk."""

    kind: Kind
    entry_id: str
    language: str
    source_path: Path
    path: Path
    source: dict[str, Any]
    text: str
    version: str
    found: list[Diagnostic] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"content/{FOLDERS[self.kind]}/{self.path.name}"

    @property
    def href(self) -> str:
        return f"/{self.kind}/{self.entry_id}/{self.language}"


def translation_routes(editor: EditorParts, pages: Pages) -> list[Route]:
    async def page(request: Request) -> Response:
        opened = await asyncio.to_thread(_open, editor.root, request.path_params)
        if opened is None:
            return _no_such(pages, request.path_params)
        data = _data_of(opened.text, opened.file)
        opened.found = await asyncio.to_thread(_checked, editor, opened, opened.text)
        saved = request.query_params.get("saved") == "1"
        return await _shown(editor, request, opened, data, saved=saved)

    async def press(request: Request) -> Response:
        opened = await asyncio.to_thread(_open, editor.root, request.path_params)
        if opened is None:
            return _no_such(pages, request.path_params)
        posted = await editor.forms.read(request, max_fields=2000)
        if isinstance(posted, Response):
            return posted
        multi = {key: [str(v) for v in posted.getlist(key)] for key in posted}
        recorded = _data_of(opened.text, opened.file).get("translated_from")
        data = posted_data(opened.kind, opened.source, multi, recorded)
        if str(posted.get("version", "")) != opened.version:
            return await _shown(editor, request, opened, data, status=409, conflict=True)
        new_text = saved_text(opened.text, data, opened.kind, opened.source, opened.file)
        opened.found = await asyncio.to_thread(_checked, editor, opened, new_text)
        if any(d.severity == "error" for d in opened.found):
            return await _shown(editor, request, opened, data, status=422, refused=True)
        try:
            await asyncio.to_thread(_write, opened.path, new_text, opened.version)
        except Conflict:
            return await _shown(editor, request, opened, data, status=409, conflict=True)
        editor.commits.wrote(opened.file)
        return RedirectResponse(f"{opened.href}?saved=1", status_code=303)

    where = "/{kind}/{id}/{language}"
    return [Route(where, page, methods=["GET"]), Route(where, press, methods=["POST"])]


def _open(root: Path, params: dict[str, str]) -> Opened | None:
    """The translation, or a new one (empty, a draft) in a language of studio.yaml that the
    entry has no translation in yet; None when there is no such entry or language."""
    kind, entry_id, language = params["kind"], params["id"], params["language"]
    if kind not in FOLDERS or not SLUG.match(entry_id) or not LANGUAGE.fullmatch(language):
        return None
    source_path = entry_file(root, kind, entry_id)
    path = translation_path(source_path, language)
    if not source_path.is_file() or source_path.is_symlink() or path.is_symlink():
        return None
    if path.is_file():
        text, version = read_version(path)
    elif language in _languages(root)[1:]:
        text, version = NEW_TRANSLATION, NEW
    else:
        return None
    source_text, _ = read_version(source_path)
    source = _data_of(source_text, source_path.name)
    return Opened(kind, entry_id, language, source_path, path, source, text, version)


def _languages(root: Path) -> tuple[str, ...]:
    studio = load_studio(root)
    return languages_of(studio.data if studio else None)


def _write(path: Path, text: str, version: str) -> None:
    """Over the version the page was opened from; a new translation only where none is."""
    if version != NEW:
        write_if_unchanged(path, text, version)
        return
    try:
        with open(path, "x", encoding="utf-8") as created:
            created.write(text)
    except FileExistsError as exc:
        raise Conflict(path.name) from exc


def _no_such(pages: Pages, params: dict[str, str]) -> Response:
    return pages.message(
        404,
        "No such translation",
        f"There is no translation of {params['id']} into {params['language']}.",
    )


def _checked(editor: EditorParts, opened: Opened, text: str) -> list[Diagnostic]:
    return check_translation(editor.root, opened.file, text, opened.kind, opened.source, editor.today())


async def _shown(
    editor: EditorParts,
    request: Request,
    opened: Opened,
    data: dict[str, Any],
    *,
    status: int = 200,
    saved: bool = False,
    conflict: bool = False,
    refused: bool = False,
) -> Response:
    groups = groups_of(opened.kind, opened.source, data)
    on_disk = _data_of(opened.text, opened.file)
    document = Document(opened.file, on_disk)
    stale = await asyncio.to_thread(
        stale_fields, editor.root, opened.kind, opened.source_path, opened.source, document
    )
    mark_stale(groups, stale)
    placed = _placed(opened.found, groups)
    language = language_label(opened.language)
    context = {
        "title": f"{opened.source.get('title') or opened.entry_id} in {language}",
        "studio": editor._studio(),
        "csrf": editor.forms.token(request),
        "file": opened.file,
        "english_href": f"/{opened.kind}/{opened.entry_id}",
        "href": opened.href,
        "language": language,
        "code": opened.language,
        "version": opened.version,
        "groups": groups,
        "problems": placed.at,
        "general": placed.general,
        "errors": placed.errors,
        "status": str(data.get("status", "draft")),
        "review": data.get("review") if isinstance(data.get("review"), dict) else {},
        "saved": saved,
        "conflict": conflict,
        "refused": refused,
        "known": opened.language in _languages(editor.root),
        "new": opened.version == NEW,
    }
    return HTMLResponse(render("translation.html.j2", context), status_code=status)


def _placed(found: Iterable[Diagnostic], groups: list[Group]) -> Placed:
    """Each problem at the row its JSON Pointer names, else at its field, else at the top;
    and each error with the id of the control it is beside, for the list of what to fix."""
    names = {row.name for group in groups for row in group.rows} | {
        "status",
        *(f"review.{k}" for k in REVIEW),
    }
    by_group = {group.key: group for group in groups}
    placed = Placed({}, [], [])
    for diagnostic in found:
        name = ".".join(diagnostic.path.split("/")[1:])
        if name in names:
            placed.at.setdefault(name, []).append(diagnostic.message)
            where = "t-" + name.replace(".", "-")
        elif name.split(".")[0] in by_group:
            by_group[name.split(".")[0]].problems.append(diagnostic.message)
            where = "group-" + name.split(".")[0]  # the fieldset: "t-" + key is its text box
        else:
            placed.general.append(diagnostic.message)
            where = ""
        if diagnostic.severity == "error":
            placed.errors.append((where, diagnostic.message))
    return placed


@dataclass
class Placed:
    at: dict[str, list[str]]  # control name -> messages
    general: list[str]
    errors: list[tuple[str, str]]  # (control id, message)


def _data_of(text: str, name: str) -> dict[str, Any]:
    doc = load_bytes(text.encode("utf-8"), Document(name, None))
    return doc.data if isinstance(doc.data, dict) else {}
