"""What keeps the desk to the studio's own browser: the Host it answers to, a passcode on
the network, a token on every form, size limits, and headers that keep pages out of caches
and third parties out of the page."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import math
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.loopback import LOOPBACK_NAMES, is_loopback

MAX_BODY = 64 * 1024
# A passcode is at least 8 digits or 10 characters, spaces and dashes not counted.
PASSCODE_DIGITS, PASSCODE_CHARACTERS = 8, 10
GUESSES_PER_ADDRESS = 5  # wrong passcodes a minute from one address
GUESS_WINDOW = 60.0  # seconds
WRONG_GUESS_PAUSE = 1.0  # seconds, one guess judged at a time
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


def canonical(code: str) -> str:
    """A passcode as it is compared: without the spaces and dashes that group it."""
    return "".join(code.split()).replace("-", "")


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


def same_passcode(typed: str, expected: str) -> bool:
    return hmac.compare_digest(canonical(typed).encode(), canonical(expected).encode())


class GuessThrottle:
    """Wrong passcodes slow guessing down: each address may get GUESSES_PER_ADDRESS wrong a
    minute (then 429 until the oldest is a minute old), and guesses are judged one at a time
    with a pause after each wrong one, so however many connections guess together, at most
    60 wrong guesses a minute are judged in all. Nobody is held off for more than a minute,
    and the studio's own computer, which has not guessed wrong, is never held off at all."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.wrong: dict[str, deque[float]] = {}
        self.judging = asyncio.Lock()

    async def judge(self, address: str, typed: str, expected: str) -> bool | int:
        """True for the right passcode, False for a wrong one, or the seconds `address` must
        wait before it may guess again (nothing is judged then)."""
        wait = self.retry_after(address)
        if wait is not None:
            return wait
        async with self.judging:  # one at a time: guesses sent in parallel gain nothing
            if same_passcode(typed, expected):
                self.wrong.pop(address, None)
                return True
            self._recent(address).append(self.clock())
            await asyncio.sleep(WRONG_GUESS_PAUSE)
        return False

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may guess again, or None when it may now."""
        times = self._recent(address)
        if len(times) < GUESSES_PER_ADDRESS:
            return None
        return max(1, math.ceil(times[0] + GUESS_WINDOW - self.clock()))

    def _recent(self, address: str) -> deque[float]:
        times = self.wrong.setdefault(address, deque())
        while times and times[0] <= self.clock() - GUESS_WINDOW:
            times.popleft()
        if len(self.wrong) > 10_000:  # a flood of addresses: keep only those still counting
            self.wrong = {a: t for a, t in self.wrong.items() if t and t[-1] > self.clock() - GUESS_WINDOW}
            self.wrong.setdefault(address, times)
        return times


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
