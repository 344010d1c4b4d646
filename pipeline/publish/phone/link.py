"""The address a packet prints under its QR code, short enough to type (format 2,
publish/phone/short.py), `bodyfundamentals.com/p#K7QM-4XRT-92`, and the one the QR code holds:
the phone page itself with the same code, `…/html/packet.html#K7QM-4XRT-92`.

`/p` is the website's short path (`build --site` writes p/index.html, which opens the phone
page with the same code): the site is laid out at the root of `website`, or of `packet_page`
when it ends in html/packet.html. A studio whose phone page is elsewhere prints its
`packet_page`, still with the short code. The QR code skips the short path: a camera does not
mind the length, and on a slow connection /p costs two more round trips (0.3 s more before
the exercises show on emulated Slow 4G, README "An address to type").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.publish.contexts import ExerciseView, PhoneLink
from pipeline.publish.phone.saved import online_page
from pipeline.publish.phone.short import short_code
from pipeline.publish.views import dosage_view

PHONE_PAGE = "html/packet.html"
SHORT_PATH = "p"  # the website's folder p/ (publish/phone/page.py: write_short_page)


def short_page(studio: Mapping[str, Any]) -> str | None:
    """The page before the `#` of a packet's link, or None when the studio has no website."""
    page = online_page(studio)
    if not page:
        return None
    if page.endswith("/" + PHONE_PAGE):
        return page[: -len(PHONE_PAGE)] + SHORT_PATH
    return page


def phone_link(
    studio: Mapping[str, Any],
    language: str,
    exercises: Sequence[ExerciseView],
    published: Mapping[str, Mapping[str, Any]],
) -> PhoneLink | None:
    """The link that opens this packet on the client's phone; `published`: each exercise's
    source by id, whose dosage the code says only the changes to."""
    page, short = online_page(studio), short_page(studio)
    if not page or short is None:
        return None
    items = []
    for exercise in exercises:
        own = dosage_view(published[exercise["id"]]["dosage"])
        printed = exercise["dosage"]
        items.append(
            (
                exercise["id"],
                {**own["numbers"], "sides": own["sides"]},
                {**printed["numbers"], "sides": printed["sides"]},
            )
        )
    code = short_code(language, items)
    return PhoneLink(f"{page}#{code}", f"{short}#{code}".split("://", 1)[-1])
