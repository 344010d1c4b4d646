"""The phone page's address stays on the studio's own site (docs/security.md, the lesser ones).

A printed packet's QR code opens `packet_page` with the client's exercises and dosage in the
part after `#`; a pull request that pointed it at another site would send every client who
scans a packet there. So `packet_page` must have the scheme and host (and port) of `website`.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def site_of(address: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a web address, host lowercase and without a trailing dot;
    None when it has no host or a port that is not a number."""
    try:
        parts = urlsplit(address.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    return parts.scheme.lower(), host, port if port != default else None


def packet_page_problem(website: object, packet_page: object) -> str | None:
    """Why `packet_page` may not be used with this `website`, or None."""
    if not isinstance(packet_page, str):
        return None
    if not isinstance(website, str):
        return "packet_page is set but website is not; set website to the studio's web site"
    page, site = site_of(packet_page), site_of(website)
    if page is None or site is None or page != site:
        return (
            f"packet_page {packet_page} is not on the studio's web site {website} (same scheme "
            "and host): a printed QR code must open the studio's own page"
        )
    return None
