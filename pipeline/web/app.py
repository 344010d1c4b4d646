"""A Starlette app with the guards in front of its routes, outermost first: the access log,
the Host check, the body limit and headers, compression, the signed session cookie, then
the app's own middleware (the desk's sign-in)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pipeline.web.guard import MAX_BODY, AccessLog, Limits
from pipeline.web.pages import Pages

SESSION_HOURS = 12


def guarded_app(
    routes: Sequence[BaseRoute],
    *,
    hosts: list[str],
    pages: Pages,
    cookie: str,
    log: logging.Logger,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
    max_body: int = MAX_BODY,
    inner: Sequence[Middleware] = (),
) -> Starlette:
    middleware = [
        Middleware(AccessLog, log=log),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        Middleware(Limits, pages=pages, max_body=max_body),
        Middleware(GZipMiddleware, minimum_size=1024),
        Middleware(
            SessionMiddleware,
            secret_key=secrets.token_urlsafe(32),  # a restart signs everyone out
            session_cookie=cookie,
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
        ),
        *inner,
    ]
    app: Any = Starlette(routes=list(routes), middleware=middleware, lifespan=lifespan)
    return app  # type: ignore[no-any-return]


# A browser asks every app for its icon: an empty answer, not a 404 in the access log.
FAVICON = Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"])
