"""A POST read behind the guards: sent from the app's own page (same_origin), within the
size limits, carrying this browser session's token. Anything else is a page that says why,
never an exception."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from pipeline.web.guard import MAX_BODY, BodyTooLarge, FormTokens, same_origin
from pipeline.web.pages import Pages

log = logging.getLogger("pipeline.web")


@dataclass
class FormGate:
    hosts: list[str]
    pages: Pages
    max_body: int = MAX_BODY
    tokens: FormTokens = field(default_factory=FormTokens)

    def session_id(self, request: Request) -> str:
        if "sid" not in request.session:
            request.session["sid"] = secrets.token_urlsafe(16)
        return str(request.session["sid"])

    def token(self, request: Request) -> str:
        """The token this session's forms carry (a hidden `csrf` field)."""
        return self.tokens.token(self.session_id(request))

    async def read(
        self, request: Request, *, max_fields: int = 400, max_files: int = 0, max_part_size: int = MAX_BODY
    ) -> FormData | Response:
        """The form, or the page refusing it: from another site, too large, unreadable, or
        without this session's token (expired)."""
        if not same_origin(request.headers, self.hosts, request.url.scheme):
            return self.pages.other_site()
        try:
            form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=max_part_size)
        except BodyTooLarge:
            return self.pages.too_large(self.max_body)
        except Exception as exc:  # malformed multipart and the like: a bad request, not a crash
            log.info("unreadable form: %s", type(exc).__name__)
            return self.pages.unreadable()
        if not self.tokens.valid(form.get("csrf"), self.session_id(request)):
            return self.pages.expired()
        return form
