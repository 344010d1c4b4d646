"""What keeps the desk to the studio's own browser: the Host it answers to, a passcode on
the network (SignInRequired, in front of every route), a token on every form, size limits,
and headers that keep pages out of caches and third parties out of the page."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.loopback import LOOPBACK_NAMES, is_loopback
from pipeline.trust.desk import canonical, needs_sign_in

log = logging.getLogger("pipeline.desk")

MAX_BODY = 64 * 1024
# A passcode is at least 8 digits or 10 characters, spaces and dashes not counted.
PASSCODE_DIGITS, PASSCODE_CHARACTERS = 8, 10
CSP = (
    "default-src 'self'; img-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The names a browser may use for the desk. A loopback desk answers only to loopback
    names; one on the network also to this machine's names and addresses. Any other Host is
    refused, so a web page cannot reach the desk by pointing its own name at it."""
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


def new_passcode() -> str:
    """Twelve digits in three groups: easy to read out and type, long enough to guess badly."""
    digits = f"{secrets.randbelow(10**12):012d}"
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4))


def passcode_problem(code: str) -> str | None:
    """Why a passcode is too easy to guess, judged after spaces and dashes are removed."""
    plain = canonical(code)
    if not plain:
        return f"it is empty; use at least {PASSCODE_DIGITS} digits or {PASSCODE_CHARACTERS} characters"
    if plain.isascii() and plain.isdigit():
        if len(plain) < PASSCODE_DIGITS:
            return f"it has {len(plain)} digits; use at least {PASSCODE_DIGITS}"
    elif len(plain) < PASSCODE_CHARACTERS:
        enough = f"at least {PASSCODE_CHARACTERS} (or {PASSCODE_DIGITS} digits)"
        return f"it has {len(plain)} characters; use {enough}"
    return None


def read_passcode(path: Path) -> str:
    code = path.read_text("utf-8").strip()
    problem = passcode_problem(code)
    if problem:
        raise ValueError(
            f"the passcode in {path} is too easy to guess: {problem}, not counting spaces and dashes"
        )
    return code


class FormTokens:
    """A token for the forms of one browser session, checked on every POST."""

    def __init__(self) -> None:
        self.secret = secrets.token_bytes(32)

    def token(self, session_id: str) -> str:
        return hmac.new(self.secret, session_id.encode(), hashlib.sha256).hexdigest()

    def valid(self, token: object, session_id: str) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token, self.token(session_id))


def same_origin(headers: Headers, hosts: Iterable[str], scheme: str = "http") -> bool:
    """A POST from a page of the desk itself. Browsers send Origin with every form POST; a
    request whose Origin or Sec-Fetch-Site says another site is refused. The Origin's scheme,
    host and port must all be the desk's own (another program on this computer, on another
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

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "0")
        if not length.isdigit() or int(length) > self.max_body:
            await too_large(self.max_body)(scope, receive, send)
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


class SignInRequired:
    """On the network, every path but the sign-in page and what it needs (needs_sign_in)
    asks for the passcode first: a route added later is guarded without anyone remembering
    to. Sits inside the session middleware, whose cookie says who has signed in."""

    def __init__(self, app: ASGIApp, required: bool) -> None:
        self.app = app
        self.required = required

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.required
            or not needs_sign_in(scope["path"])
            or scope["session"].get("signed_in")
        ):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and scope["path"] == "/":
            refusal: HTMLResponse | RedirectResponse = RedirectResponse("/login", status_code=303)
        else:
            refusal = message_page(401, "Sign in first", "Type the desk's passcode, then try again.")
        await refusal(scope, receive, send)


class AccessLog:
    """Method, path without its query, status and time: never a body, never a query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
        log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, elapsed)


class BodyTooLarge(Exception):
    pass


def too_large(limit: int) -> HTMLResponse:
    return message_page(
        413,
        "Too much to send",
        f"The form sent more than {limit // 1024} KiB. Shorten the notes or make two packets.",
    )


def message_page(status: int, title: str, text: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """A plain page for what happens before the desk's own page can be shown."""
    from html import escape

    body = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<link rel="stylesheet" href="/static/desk.css"></head><body class="message"><main>'
        f'<h1>{escape(title)}</h1><p role="alert">{escape(text)}</p><p><a href="/">Back to the desk</a></p>'
        "</main></body></html>"
    )
    return HTMLResponse(body, status_code=status, headers=headers)
