"""The desk's web application (Starlette): one page to find exercises, make a packet for a
client and print it.

Routes:
  GET  /            the page (the library, an empty packet)
  POST /            a button pressed on the page: add, move, remove, search, check a dosage
  POST /handout     the packet's PDF, shown inline (or the page again, saying what to fix);
                    with X-Desk-Check, only whether it can be made (204, or the packet's part)
  GET  /search      ids matching the search and filters (the page's script filters instantly)
  GET  /media/NAME  a card's thumbnail; GET /static/NAME the packaged CSS and script
  GET/POST /login   the passcode, when the desk listens on the network
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.desk.form import DeskForm, Tampered, TooMany, adjustments, read_form
from pipeline.desk.guard import PAGES, SignInRequired, message_page
from pipeline.desk.languages import blockers, language_label, what_to_do
from pipeline.desk.library import LibraryUnusable, Snapshot, load_snapshot
from pipeline.desk.view import login_html, matching, packet_html, page_html, status_line
from pipeline.desk.workers import Busy, Job, RendererFailed, RenderPool
from pipeline.images.renditions import THUMBNAIL
from pipeline.publish.packet import PacketDocument, PacketProblem, PacketRequest, packet_document
from pipeline.publish.pdf_settings import PdfSettings
from pipeline.resources import templates_for
from pipeline.translations.catalogs import language_name
from pipeline.trust.desk import GuessThrottle, desk_templates, packaged_assets
from pipeline.web.app import FAVICON, guarded_app
from pipeline.web.forms import FormGate
from pipeline.web.guard import allowed_hosts

log = logging.getLogger("pipeline.desk")
PDF_NAME = "handout.pdf"  # the file name a browser saves: never the client's name


@dataclass
class DeskConfig:
    root: Path
    host: str = "127.0.0.1"
    passcode: str | None = None  # required when the desk listens beyond this computer
    today: Callable[[], date] = date.today
    workers: int = 2
    queue: int = 6  # packets that may wait for a renderer before the desk says "busy"
    watch: bool = True  # reload the library when content/ changes
    extra_hosts: tuple[str, ...] = ()


@dataclass
class LibraryState:
    """The library the desk serves: the last good one, and the problems of the files on disk."""

    snapshot: Snapshot | None = None
    problems: list[str] = field(default_factory=list)
    files_with_errors: list[str] = field(default_factory=list)

    def load(self, root: Path, today: date) -> None:
        try:
            fresh = load_snapshot(root, today)
        except LibraryUnusable as unusable:
            self.problems, self.files_with_errors = unusable.problems, ["content/studio.yaml"]
            return
        self.problems, self.files_with_errors = fresh.problems, fresh.files_with_errors
        # While a file has errors, keep printing from the last library that had none.
        if not fresh.problems or self.snapshot is None:
            self.snapshot = fresh


class Desk:
    def __init__(self, config: DeskConfig) -> None:
        self.config = config
        # The desk's own pages and assets are the package's only; the studio's templates/
        # shape the handouts it prints (their safety words verified as the build's are).
        self.templates = desk_templates()
        self.assets = packaged_assets()
        self.handout_templates = templates_for(config.root.resolve())
        self.library = LibraryState()
        self.guesses = GuessThrottle()
        self.hosts = allowed_hosts(config.host, config.extra_hosts)
        self.forms = FormGate(self.hosts, PAGES)
        self.pool: RenderPool | None = None

    # -- pages ---------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        snapshot = self._snapshot()
        if snapshot is None:
            return self._unusable()
        form = DeskForm(day=self.config.today())
        form.filters.words = request.query_params.get("q", "")[:200]
        return self._page(request, snapshot, form)

    async def press(self, request: Request) -> Response:
        """A button on the page: the form comes back with the change applied."""
        checked = await self._checked_form(request)
        if isinstance(checked, Response):
            return checked
        snapshot, form = checked
        form.blockers = blockers(snapshot.project, form.entries, form.language)
        if form.entries and not form.problems and not form.blockers:
            # Said now rather than at "Make handout": two dosages for one exercise, say.
            await self._document(snapshot, form)
        return self._answer(request, snapshot, form, 422 if not form.ok else 200)

    async def handout(self, request: Request) -> Response:
        checked = await self._checked_form(request)
        if isinstance(checked, Response):
            return checked
        snapshot, form = checked
        if not form.entries:
            form.messages.append("Add at least one exercise or routine to the packet first.")
        if not form.client:
            form.problems.setdefault("client", "Type the client's name: it is printed on the cover.")
        form.blockers = blockers(snapshot.project, form.entries, form.language)
        document = await self._document(snapshot, form) if form.ok else None
        if document is None:
            return self._answer(request, snapshot, form, 422)
        if request.headers.get("x-desk-check"):
            # The page's script asks first, and opens the handout's tab only on this yes.
            return Response(status_code=204, headers={"cache-control": "no-store"})
        job = Job(
            html=document.html,
            fit=document.fit,
            anchors=document.anchors,
            style=(form.layout, form.page_size or snapshot.project.page_size, form.language),
            unsure=frozenset(adjustments(form, snapshot)),
            safety=document.safety,
        )
        return await self._pdf(request, snapshot, form, job)

    async def _document(self, snapshot: Snapshot, form: DeskForm) -> PacketDocument | None:
        """The packet's HTML; None, with the reason on the form, when it cannot be made."""
        packet = PacketRequest(
            ids=form.entries,
            client=form.client,
            notes=form.notes or None,
            day=form.day,
            page_size=form.page_size,
            layout=form.layout,
            adjustments=adjustments(form, snapshot),
            language=form.language,
        )
        try:
            return await asyncio.to_thread(packet_document, snapshot.project, packet, self.config.today())
        except PacketProblem as exc:
            form.messages.append(_sentence(str(exc)))
            return None

    async def _pdf(self, request: Request, snapshot: Snapshot, form: DeskForm, job: Job) -> Response:
        assert self.pool is not None
        try:
            pdf = await self.pool.render(job)
        except Busy:
            page = message_page(
                503, "Busy", "The desk is printing other packets. Wait a moment and press the button again."
            )
            page.headers["retry-after"] = "2"
            return page
        except RendererFailed as exc:
            form.messages.append(f"The handout could not be made: {exc}.")
            return self._page(request, snapshot, form, 500)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{PDF_NAME}"', "cache-control": "no-store"},
        )

    async def search(self, request: Request) -> Response:
        snapshot = self._snapshot()
        if snapshot is None:
            return JSONResponse({"ids": []})
        form = DeskForm()
        params = request.query_params
        form.filters.words = params.get("q", "")[:200]
        form.filters.target = params.get("target", "")
        form.filters.equipment = params.get("equipment", "")
        form.filters.level = params.get("level", "")
        ids = [card.id for card in matching(snapshot.cards, form.filters)]
        return JSONResponse({"ids": ids, "status": status_line(snapshot, len(ids))})

    async def media(self, request: Request) -> Response:
        snapshot = self._snapshot()
        name = request.path_params["name"]
        src = snapshot.thumbnails.get(name) if snapshot else None
        if snapshot is None or src is None:
            return Response("No such image.", status_code=404, media_type="text/plain")
        derived = await asyncio.to_thread(
            snapshot.project.images.get, src, THUMBNAIL
        )  # made again if removed
        return FileResponse(derived.path, headers={"cache-control": "private, max-age=3600"})

    async def static(self, request: Request) -> Response:
        asset = self.assets.get(request.path_params["name"])
        if asset is None:
            return Response("Not found.", status_code=404, media_type="text/plain")
        return Response(asset.body, media_type=asset.media_type, headers={"cache-control": "no-cache"})

    # -- the passcode --------------------------------------------------------------------
    async def login(self, request: Request) -> Response:
        if self.config.passcode is None:
            return RedirectResponse("/", status_code=303)
        if request.method == "GET":
            return HTMLResponse(login_html(self.templates, self._token(request), None))
        form = await self.forms.read(request)
        if isinstance(form, Response):
            return form
        address = request.client.host if request.client else ""
        verdict = await self.guesses.judge(address, str(form.get("passcode", "")), self.config.passcode)
        if verdict is True:
            request.session["signed_in"] = True
            return RedirectResponse("/", status_code=303)
        if verdict is not False:  # seconds to wait
            wait = f"Wait {verdict} seconds, then type the passcode again."
            return message_page(429, "Too many wrong passcodes", wait, {"Retry-After": str(verdict)})
        return HTMLResponse(
            login_html(self.templates, self._token(request), "That passcode is not right; try again."),
            status_code=401,
        )

    # -- reading a POST ------------------------------------------------------------------
    async def _checked_form(self, request: Request) -> tuple[Snapshot, DeskForm] | Response:
        raw = await self.forms.read(request)
        if isinstance(raw, Response):
            return raw
        snapshot = self._snapshot()
        if snapshot is None:
            return self._unusable()
        try:
            return snapshot, read_form(raw, snapshot)
        except Tampered as exc:
            return message_page(400, "This form cannot be used", f"{exc} Reload the desk and try again.")
        except TooMany as exc:
            return message_page(413, "Too many entries", f"{exc} Make two packets.")

    # -- helpers -------------------------------------------------------------------------
    def _snapshot(self) -> Snapshot | None:
        return self.library.snapshot

    def _unusable(self) -> Response:
        problems = "; ".join(self.library.problems[:5]) or "content/studio.yaml is missing"
        return message_page(503, "Nothing can be printed yet", f"Fix the content first: {problems}")

    def _token(self, request: Request) -> str:
        return self.forms.token(request)

    def _context(self, request: Request, snapshot: Snapshot, form: DeskForm) -> dict[str, Any]:
        return {
            "snapshot": snapshot,
            "form": form,
            "csrf": self._token(request),
            "problems": self.library.problems,
            "files_with_errors": self.library.files_with_errors,
            "studio": snapshot.project.studio,
            "today": self.config.today(),
            "languages": [
                (code, language_name(code, code).capitalize()) for code in snapshot.project.languages
            ],
            "language_names": {code: language_label(code) for code in snapshot.project.languages},
            "what_to_do": what_to_do(form.blockers, form.language) if form.blockers else "",
        }

    def _page(self, request: Request, snapshot: Snapshot, form: DeskForm, status: int = 200) -> Response:
        html = page_html(self.templates, self._context(request, snapshot, form))
        return HTMLResponse(html, status_code=status)

    def _answer(self, request: Request, snapshot: Snapshot, form: DeskForm, status: int) -> Response:
        """The whole page, or only the packet's part when the page's script asked for it."""
        if request.headers.get("x-desk-part") == "packet":
            html = packet_html(self.templates, self._context(request, snapshot, form))
            return HTMLResponse(html, status_code=status)
        return self._page(request, snapshot, form, status)

    # -- life --------------------------------------------------------------------------
    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(self.library.load, self.config.root, self.config.today())
        self.pool = RenderPool(self._pdf_settings(), self.config.workers, self.config.queue)
        watcher = asyncio.create_task(self._watch()) if self.config.watch else None
        try:
            yield
        finally:
            if watcher:
                watcher.cancel()
            await asyncio.to_thread(self.pool.close)

    def _pdf_settings(self) -> PdfSettings:
        snapshot = self.library.snapshot
        root = self.config.root.resolve()
        media = snapshot.project.images.cache_dir if snapshot else root / "build" / "cache" / "images"
        return PdfSettings(self.handout_templates, root / "content", media)

    async def _watch(self) -> None:
        import watchfiles

        root = self.config.root
        watched = [str(p) for p in (root / "content", root / "schema") if p.is_dir()]
        async for _changes in watchfiles.awatch(*watched, debounce=300):
            await asyncio.to_thread(self.library.load, root, self.config.today())
            if self.pool is not None:
                self.pool.hints.forget()
            log.info("library reloaded: %d problem(s)", len(self.library.problems))


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def create_app(config: DeskConfig) -> Starlette:
    desk = Desk(config)
    routes = [
        Route("/", desk.page, methods=["GET"]),
        Route("/", desk.press, methods=["POST"]),
        Route("/handout", desk.handout, methods=["POST"]),
        Route("/search", desk.search, methods=["GET"]),
        Route("/media/{name}", desk.media, methods=["GET"]),
        Route("/static/{name}", desk.static, methods=["GET"]),
        Route("/login", desk.login, methods=["GET", "POST"]),
        FAVICON,
    ]
    app = guarded_app(
        routes,
        hosts=desk.hosts,
        pages=PAGES,
        cookie="desk_session",
        log=log,
        lifespan=desk.lifespan,
        inner=[Middleware(SignInRequired, required=config.passcode is not None)],
    )
    app.state.desk = desk
    return app
