"""The desk's promise (docs/security.md, "The desk"): on the studio's network nothing but the
sign-in page and what it needs is served without the passcode; every page, stylesheet and
script the desk serves is the package's own, never a studio's file; and guessing the
passcode is bounded for each address without holding up anyone else.

The web layer enforces the first part with `needs_sign_in` (pipeline/desk/guard.py's
SignInRequired, in front of every route), the desk's pages are rendered from
`desk_templates()` and its assets come from `packaged_assets()`, read once at start.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.resources import TEMPLATES, Templates, packaged

# What a browser that has not signed in may fetch: the sign-in page, its stylesheet, and the
# icon a browser asks for by itself (answered with nothing).
OPEN_PATHS = frozenset({"/login", "/static/desk.css", "/favicon.ico"})
ASSETS = {"desk.css": "text/css; charset=utf-8", "desk.js": "text/javascript; charset=utf-8"}

GUESSES_PER_ADDRESS = 5  # passcodes judged a minute for one address
GUESS_WINDOW = 60.0  # seconds
WRONG_GUESS_PAUSE = 1.0  # seconds before a wrong guess is answered (nobody else waits for it)
IPV6_NETWORK = 64  # one household or computer holds a whole /64: it counts as one address


def needs_sign_in(path: str) -> bool:
    return path not in OPEN_PATHS


def desk_templates() -> Templates:
    """The packaged templates alone: a studio's templates/desk/ is never read, so no studio
    markup or script reaches the page where client names are typed."""
    return Templates((packaged(TEMPLATES).resolve(),))


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


def packaged_assets() -> dict[str, Asset]:
    """The desk's stylesheet and script, read from the package once: what is served is held
    in memory, so nothing on disk is looked up (or followed) per request."""
    folder = desk_templates().packaged / "desk"
    return {name: Asset((folder / name).read_bytes(), kind) for name, kind in ASSETS.items()}


def canonical(code: str) -> str:
    """A passcode as it is compared: without the spaces and dashes that group it."""
    return "".join(code.split()).replace("-", "")


def same_passcode(typed: str, expected: str) -> bool:
    return hmac.compare_digest(canonical(typed).encode(), canonical(expected).encode())


def address_key(address: str) -> str:
    """Whose guess it is: an IPv4 address, or the /64 an IPv6 address lies in (anyone holding
    one address of a /64 can use them all)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_NETWORK}", strict=False))
    return str(parsed)


class GuessThrottle:
    """At most GUESSES_PER_ADDRESS passcodes a minute are judged for one address. A guess is
    counted under the lock before it is judged, so guesses sent together from one address
    cannot slip past the count; the lock is held only while counting, never while judging or
    pausing, so an attack from one address never delays another's sign-in. A right passcode
    clears its address's count; a held-off address waits until its oldest guess is a minute
    old (so nobody is held off for more than a minute)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, pause: float = WRONG_GUESS_PAUSE) -> None:
        self.clock = clock
        self.pause = pause
        self.guesses: dict[str, deque[float]] = {}
        self.counting = threading.Lock()

    async def judge(self, address: str, typed: str, expected: str) -> bool | int:
        """True for the right passcode, False for a wrong one, or the seconds `address` must
        wait before it may guess again (nothing is judged then)."""
        key = address_key(address)
        wait = self._count(key)
        if wait is not None:
            return wait
        if same_passcode(typed, expected):
            with self.counting:
                self.guesses.pop(key, None)
            return True
        await asyncio.sleep(self.pause)
        return False

    def _count(self, key: str) -> int | None:
        """Counts one guess for `key`, or returns the seconds it must wait (not counted)."""
        with self.counting:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) >= GUESSES_PER_ADDRESS:
                return max(1, math.ceil(times[0] + GUESS_WINDOW - now))
            times.append(now)
            return None

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.guesses.setdefault(key, deque())
        while times and times[0] <= now - GUESS_WINDOW:
            times.popleft()
        if len(self.guesses) > 10_000:  # a flood of addresses: keep only those still counting
            self.guesses = {a: t for a, t in self.guesses.items() if t and t[-1] > now - GUESS_WINDOW}
            self.guesses[key] = times
        return times
