"""What keeps an app to its own browser: the Host it answers to, a token on every form, a
POST only from its own pages, size limits, headers that keep pages out of caches and third
parties out of the page, and an access log that records no body and no query."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import socket
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.loopback import LOOPBACK_NAMES, is_loopback
from pipeline.web.pages import Pages

MAX_BODY = 64 * 1024
CSP = (
    "default-src 'self'; img-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The names a browser may use for the app. One on loopback answers only to loopback
    names; one on the network also to this machine's names and addresses. Any other Host is
    refused, so a web page cannot reach the app by pointing its own name at it."""
    names = [*LOOPBACK_NAMES, *extra]
    if not is_loopback(host):
        hostname = socket.gethostname()
        names += [hostname, f"{hostname}.local", socket.getfqdn()]
        if host not in ("0.0.0.0", "::"):
            names.append(host)
        names += _addresses(hostname)
    return list(dict.fromkeys(name.lower() for name in names if name))


def _addresses(hostname: str) -> list[str]:
    found: list[str] = []
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(hostname, None, socket.AF_INET)]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this finds the LAN address
        found.append(str(probe.getsockname()[0]))
    return found


class FormTokens:
    """A token for the forms of one browser session, checked on every POST."""

    def __init__(self) -> None:
        self.secret = secrets.token_bytes(32)

    def token(self, session_id: str) -> str:
        return hmac.new(self.secret, session_id.encode(), hashlib.sha256).hexdigest()

    def valid(self, token: object, session_id: str) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token, self.token(session_id))


def same_origin(headers: Headers, hosts: Iterable[str], scheme: str = "http") -> bool:
    """A POST from a page of the app itself. Browsers send Origin with every form POST; a
    request whose Origin or Sec-Fetch-Site says another site is refused. The Origin's scheme,
    host and port must all be the app's own (another program on this computer, on another
    port, is another site)."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser (the token still has to match)
    try:
        theirs, ours = urlsplit(origin), urlsplit(f"{scheme}://{headers.get('host', '')}")
        same = (theirs.scheme, theirs.hostname, _port(theirs.port, theirs.scheme)) == (
            ours.scheme,
            ours.hostname,
            _port(ours.port, ours.scheme),
        )
    except ValueError:  # a port that is not a number
        return False
    return same and (theirs.hostname or "").lower() in set(hosts)


def _port(port: int | None, scheme: str) -> int:
    return port if port is not None else 443 if scheme == "https" else 80


class Limits:
    """Refuses a request body over MAX_BODY before it is read into memory, and adds the
    headers every response carries."""

    def __init__(self, app: ASGIApp, pages: Pages, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.pages = pages
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "0")
        if not length.isdigit() or int(length) > self.max_body:
            await self.pages.too_large(self.max_body)(scope, receive, send)
            return
        await self.app(scope, self._counted(receive), self._with_headers(send))

    def _counted(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise BodyTooLarge
            return message

        return counted

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if headers.get("content-type", "").startswith("text/html"):
                    extra.append((b"content-security-policy", CSP.encode()))
                if "cache-control" not in headers:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message["headers"], *extra]
            await send(message)

        return with_headers


class AccessLog:
    """Method, path without its query, status and time: never a body, never a query string."""

    def __init__(self, app: ASGIApp, log: logging.Logger) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 0

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, recording)
        elapsed = (time.perf_counter() - started) * 1000
        self.log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, elapsed)


class BodyTooLarge(Exception):
    pass
