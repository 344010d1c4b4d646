"""The plain pages an app says before its own page can be shown: a refusal, a form too
large, a page that expired. Each app names itself and its stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from starlette.responses import HTMLResponse


@dataclass(frozen=True)
class Pages:
    name: str  # "the desk", "the editor": said in its messages
    stylesheet: str  # e.g. /static/desk.css
    too_large_hint: str  # what to do about a form over the limit

    def message(
        self, status: int, title: str, text: str, headers: dict[str, str] | None = None
    ) -> HTMLResponse:
        body = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<link rel="stylesheet" href="{escape(self.stylesheet)}"></head><body class="message"><main>'
            f'<h1>{escape(title)}</h1><p role="alert">{escape(text)}</p>'
            f'<p><a href="/">Back to {escape(self.name)}</a></p></main></body></html>'
        )
        return HTMLResponse(body, status_code=status, headers=headers)

    def too_large(self, limit: int) -> HTMLResponse:
        size = f"{limit // 1024 // 1024} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
        return self.message(413, "Too much to send", f"The form sent more than {size}. {self.too_large_hint}")

    def expired(self) -> HTMLResponse:
        return self.message(
            403,
            "This page has expired",
            f"{self.name.capitalize()} was restarted or the page is too old, so the form was not "
            f"used. Reload {self.name} and press the button again.",
        )

    def other_site(self) -> HTMLResponse:
        text = f"This form was sent from another site; {self.name} only takes its own."
        return self.message(403, "Refused", text)

    def unreadable(self) -> HTMLResponse:
        return self.message(400, "This form cannot be read", f"Reload {self.name} and try again.")
