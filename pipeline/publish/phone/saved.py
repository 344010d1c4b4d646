"""What the phone page says when it is opened from a saved file (file://), where a browser
lets it read none of its data: its words are in the page itself, one paragraph a language
(the script puts the packet's own language first), with a link to the same packet online."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.model import N_

SAVED_COPY = N_(
    "This page was opened from a saved file, so it cannot show your exercises. Open the link "
    "printed on your packet, or scan its QR code with your phone's camera."
)
OPEN_ONLINE = N_("Open your exercises on the studio's website")
WORDS = (SAVED_COPY, OPEN_ONLINE)


def online_page(studio: Mapping[str, Any]) -> str:
    """The address the packet prints before its #, as publish/packet.py: phone_link makes it."""
    page = studio.get("packet_page") or (
        f"{str(studio['website']).rstrip('/')}/html/packet.html" if studio.get("website") else ""
    )
    return str(page)


def saved_copy_context(studio: Mapping[str, Any], languages: Mapping[str, Any]) -> dict[str, Any]:
    """The page template's `saved_copy`: (language, what to do, the link's words) for each
    language, and `online`: the studio's phone page ("" when the studio has no website)."""
    said = [
        (code, language["words"][SAVED_COPY], language["words"][OPEN_ONLINE])
        for code, language in languages.items()
    ]
    return {"saved_copy": said, "online": online_page(studio)}
