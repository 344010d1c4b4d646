"""What the desk's HTTP and browser tests share: the front-desk person's packet and what its
PDF must say."""

from __future__ import annotations

CLIENT = "Zoë Núñez"
STRAP = "supine-hamstring-stretch-strap"
BS3 = "backsystem3-low-back-relief"
IN_ORDER = ["Lying hamstring stretch with a strap", "Hamstring stretch on the BackSystem3"]
IN_ORDER.append("Low back stretch on the BackSystem3")


def check_the_handout(text: str) -> None:
    """The packet of the strap stretch (hold adjusted to 25 s) then the BackSystem3 routine."""
    assert f"Prepared for {CLIENT} on November 24, 2026" in text
    cover = text[text.index("In order") :]
    assert [cover.index(t) for t in IN_ORDER] == sorted(cover.index(t) for t in IN_ORDER)
    assert "Lying hamstring stretch with a strap Hold 25 seconds · 2 times · each side" in cover
