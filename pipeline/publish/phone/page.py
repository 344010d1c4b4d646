"""The phone page's files in the build's html/ folder:

    html/packet.html               the page a packet's link opens (its code after the #)
    html/packet-sw.js              the service worker that keeps it working offline
    html/packet/app.<hash>.js      the page's script, its stylesheet and its data, named by
    html/packet/style.<hash>.css   their content so a browser may keep them for good
    html/packet/data.<hash>.json
    html/packet/exercises/<key>.json   one exercise each (publish/phone/data.py), named by its
                                   short code's key so a phone asks for it at once, with ?v=<the library's
                                   version> so that a new build is never hidden by a cache
    html/packet/fonts/             Atkinson Hyperlegible, as on the handouts

    p/index.html                   the short address a packet prints (/p#<code>, phone/link.py),
                                   which opens html/packet.html with the same code

Files of an earlier build left in html/packet/ are removed. The version names everything a
phone keeps: these files, and the photos the page shows (html/media/, named by their source,
not their content), so a photo replaced under the same name reaches a phone that kept the old.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from pipeline.images.renditions import RECIPE
from pipeline.model import Entry
from pipeline.publish.outputs import sha256_bytes, write_if_changed
from pipeline.publish.phone.data import phone_data
from pipeline.publish.phone.saved import saved_copy_context
from pipeline.publish.project import Project
from pipeline.resources import Templates
from pipeline.trust.web_parts import phone_theme

FOLDER = "packet"
SHORT_FOLDER = "p"  # publish/phone/link.py: SHORT_PATH
FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf", "OFL.txt")


def write_phone_page(project: Project, exercise_ids: list[str], html_dir: Path) -> None:
    """Write the page for the published `exercise_ids` into `html_dir` (the build's html/)."""
    library = phone_data(project, exercise_ids)
    files: dict[str, bytes] = {}
    for key, exercise in library.exercises.items():
        files[f"{FOLDER}/exercises/{key}.json"] = _json(exercise)
    # The page, script and worker are ours; a studio's packet.css only themes the colours
    ours = Templates((project.templates.packaged,))
    theme = phone_theme(project.templates).encode()
    # The link's reader first, then the page: one script, one request
    code = ours.find("phone/packet-code.js").read_bytes()
    script = _hashed(files, "app", ".js", code + b"\n" + ours.find("phone/packet.js").read_bytes())
    style = _hashed(files, "style", ".css", ours.find("phone/packet.css").read_bytes() + theme)
    data = _hashed(files, "data", ".json", _json({**library.page, "exercises": sorted(library.exercises)}))
    for font in FONTS:
        files[f"{FOLDER}/fonts/{font}"] = project.templates.find(f"fonts/{font}").read_bytes()
    # Any file or photo changed, a new version: the exercises are asked for with it, and the
    # service worker installs again and drops what the old one kept
    published = b"".join(files[name] for name in sorted(files)) + _photos_made_from(project, exercise_ids)
    version = sha256_bytes(published)[:12]
    from pipeline.publish.render import render_template  # Jinja2 only when rendering

    needs = "This page needs JavaScript to show your exercises."
    noscript = [(code, language["words"][needs]) for code, language in library.page["languages"].items()]
    context = {"studio": project.studio["name"], "script": script, "style": style, "data": data}
    context |= {"version": version, "noscript": noscript}
    context |= saved_copy_context(project.studio, library.page["languages"])
    files["packet.html"] = render_template("phone/packet.html.j2", context, ours).encode()
    # Kept when the service worker installs; an exercise's file when it is first shown
    cached = ["packet.html", script, style, data, *(f"{FOLDER}/fonts/{f}" for f in FONTS[:2])]
    worker = ours.find("phone/packet-sw.js").read_text("utf-8")
    worker = worker.replace('"__FILES__"', json.dumps(cached)).replace("__VERSION__", version)
    files["packet-sw.js"] = worker.encode()
    for name, content in files.items():
        write_if_changed(html_dir / name, content)
    _remove_others(html_dir / FOLDER, {html_dir / name for name in files})


def write_short_page(project: Project, out: Path) -> None:
    """Write the short address's page into `out`, the website's root: p/index.html, which a
    web server gives for /p as typed."""
    ours = Templates((project.templates.packaged,))
    script = ours.find("phone/short.js").read_text("utf-8").strip()
    allowed = "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    page = ours.find("phone/short.html").read_text("utf-8")
    page = page.replace("__HASH__", allowed).replace("__SCRIPT__", script)
    write_if_changed(out / SHORT_FOLDER / "index.html", page.encode())


def _photos_made_from(project: Project, exercise_ids: list[str]) -> bytes:
    """What the page's photos are made from: each original's sha256 (read once per build,
    for the manifest too) and the recipe of its web copies, so a photo's bytes change the
    version without reading every web copy again."""
    sources = {src for i in exercise_ids for src in project.images_of(Entry("exercise", i, "en"))}
    return f"recipe {RECIPE}\n".encode() + b"".join(
        f"{src} {project.images.digest(src)}\n".encode() for src in sorted(sources)
    )


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _hashed(files: dict[str, bytes], stem: str, suffix: str, content: bytes) -> str:
    name = f"{FOLDER}/{stem}.{sha256_bytes(content)[:12]}{suffix}"
    files[name] = content
    return name


def _remove_others(folder: Path, keep: set[Path]) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path not in keep:
            path.unlink()
