"""The editor's web application (Starlette), on the web layer the desk stands on.

Routes:
  GET  /                     the library: every entry with its problems, and the form for a new one
  POST /new                  a new exercise or routine, written as `pipeline new` writes it
  GET  /{kind}/{id}          an entry's page: one form generated from the schema
  POST /{kind}/{id}          a button of that form: Save, Preview, or add, remove or move a list's item
  GET  /preview/{token}      a preview's PDF, kept in memory for the session that asked (preview.py)
  GET/POST /{kind}/{id}/{language}  a translation beside its English (translationpage.py)
  GET  /commit, POST /commit the Commit page: the files it saved, on a branch (commitpage.py)
  POST /check/{kind}/{id}    live checking: the check of Save on the form's state, as JSON (live.py)
  GET  /static/edit.css      the packaged stylesheet
  GET  /static/edit.js       the packaged script (live checking); every page works without it
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.authoring.scaffold import KINDS, LEVELS, SLUG, ScaffoldProblem, create, id_from_title
from pipeline.edit.checking import check_edited
from pipeline.edit.commitpage import Commits, commit_routes
from pipeline.edit.entries import FOLDERS, Kind, entries, entry_file
from pipeline.edit.fields import form_of
from pipeline.edit.live import live_problems
from pipeline.edit.pages import EntryPage, render
from pipeline.edit.photos import MAX_PHOTO_BYTES, MAX_UPLOADS, photos_of, store_uploads, uploads_in
from pipeline.edit.preview import PreviewStore, preview_of, preview_options
from pipeline.edit.routine import exercise_choices, own_dosages
from pipeline.edit.translationpage import translation_routes
from pipeline.edit.values import apply_button, data_from_form
from pipeline.edit.warm import WarmFiles
from pipeline.edit.yamledit import Conflict, edited_text, read_version, write_if_unchanged
from pipeline.load.library import load_studio
from pipeline.load.yaml import Document, load_bytes
from pipeline.model import PUBLISHED
from pipeline.web.app import FAVICON, guarded_app
from pipeline.web.forms import FormGate
from pipeline.web.guard import allowed_hosts
from pipeline.web.pages import Pages

log = logging.getLogger("pipeline.edit")
PAGES = Pages("the editor", "/static/edit.css", "Upload one photo at a time, or export it smaller.")
MAX_BODY = 256 * 1024  # a long exercise's form, with room to spare
MAX_UPLOAD = MAX_BODY + MAX_PHOTO_BYTES  # the form with one photo in it (photos.py)


@dataclass
class EditConfig:
    root: Path
    today: Callable[[], date] = date.today


class Editor:
    def __init__(self, config: EditConfig) -> None:
        self.root = config.root.resolve()
        self.today = config.today
        self.forms = FormGate(allowed_hosts("127.0.0.1"), PAGES, max_body=MAX_UPLOAD)
        self.css = (files("pipeline.edit") / "static" / "edit.css").read_bytes()
        self.js = (files("pipeline.edit") / "static" / "edit.js").read_bytes()
        self.previews = PreviewStore()
        self.warm = WarmFiles()  # the library's files as last read, for every check (warm.py)
        self.photos_stored: set[str] = set()  # content/images/... stored by an upload (photos.py)
        self.commits = Commits()  # the files it wrote, for the Commit page

    # -- the library -------------------------------------------------------------------
    async def library(self, request: Request) -> Response:
        return await self._library(request, {}, None, 200)

    async def new(self, request: Request) -> Response:
        posted = await self.forms.read(request)
        if isinstance(posted, Response):
            return posted
        typed = {key: str(posted.get(key, "")).strip() for key in ("title", "id", "what", "kind", "level")}
        what: Kind = "routine" if typed["what"] == "routine" else "exercise"
        entry_id = typed["id"] or id_from_title(typed["title"])
        kind = typed["kind"] if typed["kind"] in KINDS else KINDS[0]
        level = typed["level"] if typed["level"] in LEVELS else LEVELS[0]
        try:
            path = await asyncio.to_thread(create, self.root, what, entry_id, kind, level)
        except ScaffoldProblem as problem:
            return await self._library(request, typed, str(problem), 422)
        self.commits.wrote(f"content/{FOLDERS[what]}/{entry_id}.yaml")
        if typed["title"]:
            await asyncio.to_thread(self._retitle, path, what, typed["title"])
        return RedirectResponse(f"/{what}/{entry_id}", status_code=303)

    def _retitle(self, path: Path, what: Kind, title: str) -> None:
        text, version = read_version(path)
        spec = form_of(what)
        data = _data_of(text, str(path)) | {"title": title}
        write_if_unchanged(path, edited_text(text, data, spec), version)

    async def _library(
        self, request: Request, typed: dict[str, str], message: str | None, status: int
    ) -> Response:
        listed = await asyncio.to_thread(entries, self.root, self.today())
        context = {
            "title": "The library",
            "studio": self._studio(),
            "entries": listed,
            "csrf": self.forms.token(request),
            "message": message,
            "new": {"title": "", "id": "", "what": "exercise", "kind": KINDS[0], "level": LEVELS[0], **typed},
            "kinds": KINDS,
            "levels": LEVELS,
        }
        return HTMLResponse(render("library.html.j2", context), status_code=status)

    # -- an entry ------------------------------------------------------------------------
    async def entry(self, request: Request) -> Response:
        found = self._entry_path(request)
        if isinstance(found, Response):
            return found
        kind, entry_id, path = found
        text, version = await asyncio.to_thread(read_version, path)
        page = self._page(kind, entry_id, version, _data_of(text, path.name))
        page.found = await asyncio.to_thread(
            check_edited, self.root, page.file, text, kind, self.today(), self.warm.load_files
        )
        page.saved = request.query_params.get("saved") == "1"
        return self._show(request, page)

    async def press(self, request: Request) -> Response:
        found = self._entry_path(request)
        if isinstance(found, Response):
            return found
        kind, entry_id, path = found
        posted = await self.forms.read(
            request, max_fields=2000, max_files=MAX_UPLOADS, max_part_size=MAX_BODY
        )
        if isinstance(posted, Response):
            return posted
        spec = form_of(kind)
        multi = {key: [str(v) for v in posted.getlist(key)] for key in posted}
        version = str(posted.get("version", ""))
        refused = await self._take_photos(request, kind, entry_id, version, posted, multi)
        if refused is not None:
            return refused
        button = str(posted.get("button", "save"))
        if button == "preview":
            chosen = (str(posted.get("preview_layout", "")), str(posted.get("preview_language", "")))
            return await self._preview(
                request, kind, entry_id, path, version, data_from_form(spec, multi) or {}, chosen
            )
        if button != "save":
            data = data_from_form(spec, multi, keep_empty=True) or {}
            apply_button(spec, data, button)
            page = self._page(kind, entry_id, version, data)
            page.added = button.removeprefix("add:") if button.startswith("add:") else ""
            return self._show(request, page)
        return await self._save(request, kind, entry_id, path, version, data_from_form(spec, multi) or {})

    async def _take_photos(
        self,
        request: Request,
        kind: Kind,
        entry_id: str,
        version: str,
        posted: FormData,
        multi: dict[str, list[str]],
    ) -> Response | None:
        """The form's photos, before its button's work: stored (cleaned) with their `src`
        filled in, or the page refusing them all, located beside their fields."""
        uploads = await uploads_in(posted)
        if not uploads:
            return None
        file = f"content/{FOLDERS[kind]}/{entry_id}.yaml"
        stored = await asyncio.to_thread(store_uploads, self.root, entry_id, file, uploads)
        if stored.refused:
            page = self._page(
                kind, entry_id, version, data_from_form(form_of(kind), multi, keep_empty=True) or {}
            )
            page.found, page.refused = stored.refused, True
            return self._show(request, page, 422)
        for index, src in stored.sources.items():
            multi[f"images.{index}.src"] = [src]
        request.state.photos = [f"content/{src}" for src in stored.sources.values()]
        self.photos_stored.update(request.state.photos)
        return None

    async def _save(
        self, request: Request, kind: Kind, entry_id: str, path: Path, version: str, data: dict[str, Any]
    ) -> Response:
        """Checked first, written only when the check finds no error and the file is still
        the version the form was opened from."""
        page = self._page(kind, entry_id, version, data)
        text, on_disk = await asyncio.to_thread(read_version, path)
        if on_disk != version:
            page.conflict = True
            return self._show(request, page, 409)
        new_text = edited_text(text, {**data, "id": entry_id}, page.spec)
        page.found = await asyncio.to_thread(
            check_edited, self.root, page.file, new_text, kind, self.today(), self.warm.load_files
        )
        if any(d.severity == "error" for d in page.found):
            page.refused = True
            return self._show(request, page, 422)
        try:
            await asyncio.to_thread(write_if_unchanged, path, new_text, version)
        except Conflict:
            page.conflict = True
            return self._show(request, page, 409)
        self.commits.wrote(page.file)
        for photo in set(photos_of(data)) & self.photos_stored:
            self.commits.wrote(photo)  # a photo goes into a commit with the entry that shows it
        log.info("saved %s", page.file)
        return RedirectResponse(f"{page.href}?saved=1", status_code=303)

    async def _preview(
        self,
        request: Request,
        kind: Kind,
        entry_id: str,
        path: Path,
        version: str,
        data: dict[str, Any],
        chosen: tuple[str, str],
    ) -> Response:
        """The handout of the form as it is, beside it; checked first, the file untouched."""
        page = self._page(kind, entry_id, version, data, chosen)
        made = await asyncio.to_thread(
            preview_of, self.root, kind, page, path, self.today(), self.warm.load_files
        )
        page.found = made.found
        token = self.previews.keep(self.forms.session_id(request), made.pdf) if made.pdf else ""
        page.preview = made.shown(page.preview, f"/preview/{token}" if token else "")
        return self._show(request, page, 422 if made.problems else 200)

    async def live_check(self, request: Request) -> Response:
        """What Save's check says of the form as it is now, for edit.js; nothing is written."""
        found = self._entry_path(request)
        if isinstance(found, Response):
            return found
        kind, entry_id, path = found
        posted = await self.forms.read(request, max_fields=2000, max_part_size=MAX_BODY)
        if isinstance(posted, Response):
            return posted
        multi = {key: [str(v) for v in posted.getlist(key)] for key in posted}
        page = self._page(kind, entry_id, "", data_from_form(form_of(kind), multi) or {})
        return JSONResponse(
            await asyncio.to_thread(
                live_problems, self.root, kind, page, path, self.today(), self.warm.load_files
            )
        )

    async def preview_pdf(self, request: Request) -> Response:
        pdf = self.previews.get(request.path_params["token"], self.forms.session_id(request))
        if pdf is None:
            return PAGES.message(404, "No such preview", "This preview is gone: press Preview again.")
        headers = {
            "content-disposition": 'inline; filename="preview.pdf"',
            "cache-control": "no-store",
            "content-security-policy": "frame-ancestors 'self'",  # framed by the editor's page only
        }
        return Response(pdf, media_type="application/pdf", headers=headers)

    def _entry_path(self, request: Request) -> tuple[Kind, str, Path] | Response:
        kind, entry_id = request.path_params["kind"], request.path_params["id"]
        if kind not in FOLDERS:
            return PAGES.message(404, "No such page", "The editor has exercises and routines only.")
        path = entry_file(self.root, kind, entry_id)
        if not SLUG.match(entry_id) or not path.is_file() or path.is_symlink():
            return PAGES.message(404, "No such entry", f"There is no {kind} called {entry_id}.")
        return kind, entry_id, path

    def _page(
        self,
        kind: Kind,
        entry_id: str,
        version: str,
        data: dict[str, Any],
        chosen: tuple[str, str] = ("", ""),
    ) -> EntryPage:
        drafts_too = data.get("status") != PUBLISHED  # as the check lets a draft routine
        choices = exercise_choices(self.root, drafts_too) if kind == "routine" else ()
        return EntryPage(
            spec=form_of(kind),
            title=str(data.get("title") or entry_id),
            file=f"content/{FOLDERS[kind]}/{entry_id}.yaml",
            href=f"/{kind}/{entry_id}",
            version=version,
            data={**data, "id": entry_id},
            exercise_choices=choices,
            own_dosage=own_dosages(self.root, data) if kind == "routine" else {},
            preview=preview_options(self.root, kind, entry_id, *chosen),
        )

    def _show(self, request: Request, page: EntryPage, status: int = 200) -> Response:
        context = page.context() | {"csrf": self.forms.token(request), "studio": self._studio()}
        context["photos"] = getattr(request.state, "photos", [])  # stored by this press (photos.py)
        context["max_photo_mb"] = MAX_PHOTO_BYTES // 1024 // 1024
        return HTMLResponse(render("entry.html.j2", context), status_code=status)

    def _studio(self) -> str:
        """The studio's name as content/studio.yaml has it (what instructors call it), else
        the folder's name."""
        studio = load_studio(self.root)
        name = studio.data.get("name") if studio is not None and isinstance(studio.data, dict) else None
        return name if isinstance(name, str) and name.strip() else self.root.name

    async def static(self, request: Request) -> Response:
        return Response(self.css, media_type="text/css; charset=utf-8", headers={"cache-control": "no-cache"})

    async def script(self, request: Request) -> Response:
        headers = {"cache-control": "no-cache"}
        return Response(self.js, media_type="text/javascript; charset=utf-8", headers=headers)


def _data_of(text: str, name: str) -> dict[str, Any]:
    """The document's data as the check reads it (dates as written, not as dates)."""
    doc = load_bytes(text.encode("utf-8"), Document(name, None))
    return doc.data if isinstance(doc.data, dict) else {}


def create_app(config: EditConfig) -> Starlette:
    editor = Editor(config)
    routes = [
        Route("/", editor.library, methods=["GET"]),
        Route("/new", editor.new, methods=["POST"]),
        Route("/static/edit.css", editor.static, methods=["GET"]),
        Route("/static/edit.js", editor.script, methods=["GET"]),
        Route("/preview/{token}", editor.preview_pdf, methods=["GET"]),
        Route("/check/{kind}/{id}", editor.live_check, methods=["POST"]),
        *commit_routes(editor),
        *translation_routes(editor, PAGES),
        Route("/{kind}/{id}", editor.entry, methods=["GET"]),
        Route("/{kind}/{id}", editor.press, methods=["POST"]),
        FAVICON,
    ]
    app = guarded_app(
        routes, hosts=editor.forms.hosts, pages=PAGES, cookie="editor_session", log=log, max_body=MAX_UPLOAD
    )
    app.state.editor = editor
    return app
