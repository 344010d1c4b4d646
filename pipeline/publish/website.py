"""The studio's public website (`pipeline build --site DIR`): what a build made for the web,
copied into a folder that holds nothing else, for the studio's workflow to upload to GitHub
Pages. It is chosen from the build's manifest, never by walking build/: no draft (a build
keeps them under drafts/), no original photo, no cache, manifest or lock; the web copy of a
photo only when a published page shows it. Every relative link in the site's pages must
resolve inside the site, or nothing is replaced."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.errors import UsageError
from pipeline.publish.outputs import read_manifest
from pipeline.trust.files import refuse_links_in_output

INDEX = "index.html"
PHONE_PAGE = "html/packet.html"
PHONE_FILES = ("html/packet-sw.js",)  # beside the page, so its service worker's scope covers it
PHONE_FOLDER = "html/packet"  # the page's content-hashed script, style, data and fonts
SHORT = ("p/index.html",)  # the short address a packet prints, /p#<code>
MEDIA = "html/media/"
PUBLIC = ("html/", "pdf/")  # a build's outputs for clients (drafts/ never is)
# What an HTML, CSS, JS or JSON file of the site may name: an attribute's address, a CSS url()
# and a photo's web copy wherever it is named (the phone page's data names them in JSON).
LINK = re.compile(r"""(?:\b(?:href|src)\s*=\s*["']([^"']+)["'])|(?:url\(\s*["']?([^"')]+))""")
SRCSET = re.compile(r"""\bsrcset\s*=\s*["']([^"']+)["']""")
PHOTO = re.compile(r"media/images/[A-Za-z0-9._-]+")
TEXT = (".html", ".css", ".js", ".json")


class SiteProblem(UsageError):
    """The site cannot be written where asked; nothing there was changed."""


@dataclass
class SiteReport:
    folder: Path
    files: list[str] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)  # (page, address it names)

    @property
    def ok(self) -> bool:
        return not self.broken


def write_site(out: Path, site: Path) -> SiteReport:
    """Copy the public part of the build in `out` into `site` (made anew each time)."""
    report = SiteReport(site)
    chosen = public_files(out)
    report.broken = broken_links(out, chosen)
    if report.broken:
        return report  # a site with a dead link is not published; the old one stays
    _replace_folder(site, out, chosen)
    report.files = sorted(chosen)
    return report


def public_files(out: Path) -> set[str]:
    """The build's files that belong on the website, as paths inside `out`."""
    outputs = [name for name in read_manifest(out) if name.startswith(PUBLIC)]
    pages = [name for name in outputs if not name.startswith(MEDIA)]
    phone = [PHONE_PAGE, *PHONE_FILES, *SHORT, *_files_under(out, PHONE_FOLDER)]
    chosen = {INDEX, *pages, *(name for name in phone if (out / name).is_file())}
    named_photos = {photo for name in chosen for photo in _photos_named(out / name)}
    chosen |= {f"html/{photo}" for photo in named_photos} & set(outputs)
    return {name for name in chosen if (out / name).is_file()}


def broken_links(out: Path, chosen: set[str]) -> list[tuple[str, str]]:
    """Every relative address in the chosen pages that names no chosen file."""
    broken = []
    for name in sorted(chosen):
        if not name.endswith((".html", ".css")):
            continue
        for address in _addresses(out / name):
            target = _resolve(name, address)
            if (
                target is not None
                and target not in chosen
                and target.rstrip("/") + "/index.html" not in chosen
            ):
                broken.append((name, address))
    return broken


def _files_under(out: Path, folder: str) -> Iterable[str]:
    base = out / folder
    if not base.is_dir():
        return []
    return [p.relative_to(out).as_posix() for p in base.rglob("*") if p.is_file() and not p.is_symlink()]


def _text(path: Path) -> str:
    if path.suffix not in TEXT:
        return ""
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _photos_named(path: Path) -> set[str]:
    return set(PHOTO.findall(_text(path)))


def _addresses(path: Path) -> Iterable[str]:
    text = _text(path)
    for match in LINK.finditer(text):
        yield (match.group(1) or match.group(2)).strip()
    for match in SRCSET.finditer(text):
        for candidate in match.group(1).split(","):
            if candidate.strip():
                yield candidate.split()[0]


def _resolve(page: str, address: str) -> str | None:
    """The site path `address` names from `page`, or None when it leaves the site on purpose
    (another site, a mail or phone link, a fragment of the same page, a data: URL)."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or address.startswith(("#", "/", "{")) or not parts.path:
        return None
    joined = PurePosixPath(page).parent / unquote(parts.path)
    resolved: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not resolved:
                return f"../{address}"  # above the site: never a chosen file
            resolved.pop()
        elif part != ".":
            resolved.append(part)
    return "/".join(resolved)


def _replace_folder(site: Path, out: Path, chosen: set[str]) -> None:
    _refuse_a_foreign_folder(site)
    staging = site.with_name(f".{site.name}.new")
    if os.path.islink(staging):  # a pull request may commit `.site.new` as a link to anywhere
        os.unlink(staging)
    shutil.rmtree(staging, ignore_errors=True)
    refuse_links_in_output(staging)  # what rmtree could not remove must not be written through
    for name in chosen:
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / name, target)
    if site.exists():
        shutil.rmtree(site)
    staging.rename(site)


def _refuse_a_foreign_folder(site: Path) -> None:
    """A folder is replaced whole only when it is empty or an earlier site: never, by a slip
    of --site, the studio's content or home folder."""
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        raise SiteProblem(f"{site} is not a folder; choose another place for the site with --site")
    if not site.exists() or not any(site.iterdir()):
        return
    ours = {INDEX, "html", "pdf", "p"}
    looks_like_a_site = (site / PHONE_PAGE).is_file() and {p.name for p in site.iterdir()} <= ours
    if not looks_like_a_site:
        raise SiteProblem(
            f"{site} already holds other files; the site is written to an empty folder or over an "
            "earlier site, never over anything else. Choose another folder with --site"
        )
