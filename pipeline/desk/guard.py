"""The desk's own guards, on top of the web layer's (pipeline/web/): the passcode that the
desk on the studio's network asks for (SignInRequired, in front of every route), and how
strong it must be."""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from pipeline.trust.desk import canonical, needs_sign_in
from pipeline.web.pages import Pages

PAGES = Pages("the desk", "/static/desk.css", "Shorten the notes or make two packets.")
message_page = PAGES.message
# A passcode is at least 8 digits or 10 characters, spaces and dashes not counted.
PASSCODE_DIGITS, PASSCODE_CHARACTERS = 8, 10


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
