"""Preview: the handout PDF of the form's unsaved state, made by the renderer of `pipeline
build` (Project.handout, then render_pdf with the build's fit and safety words) in the
chosen layout and language.

Nothing is written to the project: the edited text stands in for its file in memory, the
photos' print copies are derived into the user's cache (never build/), and the PDF is kept
in memory under a random token, for the page that shows it and for that browser session
only."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline.diagnostics import Diagnostic
from pipeline.edit.checking import FileReader, check_edited
from pipeline.edit.yamledit import edited_text, read_version
from pipeline.load.library import Library, load_files, load_library, load_studio
from pipeline.load.yaml import Document, load_bytes
from pipeline.model import LAYOUTS, Entry, Layout, languages_of
from pipeline.publish.pdf_settings import fitted
from pipeline.resources import templates_for, user_cache
from pipeline.translations.catalogs import language_name

if TYPE_CHECKING:
    from pipeline.edit.pages import EntryPage
    from pipeline.publish.project import Project

Kind = Literal["exercise", "routine"]
LAYOUT_NAMES: dict[Layout, str] = {"standard": "Standard", "large": "Large print", "compact": "Compact"}
PREVIEW_CACHE = "editor-preview"  # the user's cache: derived photos, never under build/
KEPT = 8  # previews kept in memory, the oldest forgotten first
KEPT_SECONDS = 30 * 60
_rendering = threading.Lock()  # one WeasyPrint layout at a time in the editor's process


class PreviewFailed(Exception):
    """The handout could not be made; the message says why, in words for the author."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class PreviewPanel:
    """The Preview controls beside the form, and the PDF once made (or why there is none)."""

    layouts: list[Choice]
    languages: list[Choice]
    layout: str
    language: str
    url: str = ""  # the PDF, kept in memory (PreviewStore)
    failed: str = ""  # the renderer's message
    problems: int = 0  # errors of the check: no preview until they are fixed


@dataclass(frozen=True)
class Made:
    found: list[Diagnostic]
    pdf: bytes = b""
    failed: str = ""

    @property
    def problems(self) -> int:
        return sum(d.severity == "error" for d in self.found)

    def shown(self, panel: PreviewPanel | None, url: str) -> PreviewPanel:
        assert panel is not None
        return replace(panel, url=url, failed=self.failed, problems=self.problems)


def preview_options(
    root: Path, kind: Kind, entry_id: str, layout: str = "", language: str = ""
) -> PreviewPanel:
    layouts = [Choice(each, LAYOUT_NAMES[each]) for each in LAYOUTS]
    languages = language_choices(root, kind, entry_id)
    return PreviewPanel(layouts, languages, _chosen(layout, layouts), _chosen(language, languages))


def language_choices(root: Path, kind: Kind, entry_id: str) -> list[Choice]:
    """English, and each language of the studio this entry has a translation file in."""
    studio = load_studio(root)
    folder = root / "content" / f"{kind}s"
    languages = languages_of(studio.data if studio else None)
    found = [lang for lang in languages if lang == "en" or (folder / f"{entry_id}.{lang}.yaml").is_file()]
    return [Choice(lang, language_name(lang, "en").capitalize()) for lang in dict.fromkeys(["en", *found])]


def _chosen(value: str, choices: list[Choice]) -> str:
    return value if value in {c.value for c in choices} else choices[0].value


def preview_of(
    root: Path, kind: Kind, page: EntryPage, path: Path, today: date, files: FileReader = load_files
) -> Made:
    """The check of the form's state (as Save runs it), then its handout if no error."""
    assert page.preview is not None
    text = edited_text(read_version(path)[0], page.data, page.spec)
    found = check_edited(root, page.file, text, kind, today, files)
    if any(d.severity == "error" for d in found):
        return Made(found)
    entry_id = page.data["id"]
    try:
        pdf = render_preview(
            root, kind, entry_id, page.file, text, page.preview.layout, page.preview.language
        )
    except PreviewFailed as failed:
        return Made(found, failed=str(failed))
    return Made(found, pdf)


def render_preview(
    root: Path, kind: Kind, entry_id: str, file: str, text: str, layout: str, language: str
) -> bytes:
    """The handout of `entry_id` as `pipeline build` would print it if `file` held `text`.
    Raises PreviewFailed."""
    import jinja2

    from pipeline.images.renditions import ImageProblem
    from pipeline.publish.pdf import RenderError, render_pdf
    from pipeline.publish.project import Project
    from pipeline.publish.render import describe_template_error

    entry = Entry(kind, entry_id, language)
    layout_: Layout = next((each for each in LAYOUTS if each == layout), "standard")
    try:
        project = Project.from_library(_edited_library(root, kind, file, text), out=user_cache(PREVIEW_CACHE))
        if not project.has_translation(entry):
            raise PreviewFailed(f"There is no {language_name(language, 'en')} translation of every part yet.")
        html, safety = project.handout(entry, layout_)
        with _rendering:
            pdf = render_pdf(
                html,
                project.pdf_settings,
                fit=fitted(layout_),
                source_date=_source_date(project, entry),
                safety=safety,
            )
    except jinja2.TemplateError as exc:
        raise PreviewFailed(describe_template_error(exc, templates_for(root))) from None
    except (RenderError, ImageProblem) as exc:
        raise PreviewFailed(str(exc)) from None
    except (KeyError, TypeError, AttributeError) as exc:  # another file the handout needs is unusable
        raise PreviewFailed(f"the handout could not be made from the library as it is ({exc})") from None
    except OSError as exc:
        raise PreviewFailed(f"a file the handout needs could not be read ({exc.strerror or exc})") from None
    return pdf.pdf


def _source_date(project: Project, entry: Entry) -> date:
    """The date `pipeline build` gives the PDF (its review date), so that an unchanged form
    previews as the very bytes the build makes."""
    reviewed = (project.data(entry).get("review") or {}).get("reviewed_on")
    return date.fromisoformat(reviewed) if isinstance(reviewed, str) else date(2000, 1, 1)


def _edited_library(root: Path, kind: Kind, file: str, text: str) -> Library:
    """The library with the edited text in its file's place; only files with data."""
    edited = load_bytes(text.encode("utf-8"), Document(file, None))
    library = load_library(root)
    if kind == "exercise":
        library.exercises = [d for d in library.exercises if d.file != file] + [edited]
    else:
        library.routines = [d for d in library.routines if d.file != file] + [edited]
    library.exercises = [d for d in library.exercises if isinstance(d.data, dict) and "id" in d.data]
    library.routines = [d for d in library.routines if isinstance(d.data, dict) and "id" in d.data]
    return library


class PreviewStore:
    """The last few previews, in memory only, each under a random token and for the browser
    session that asked for it."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[str, float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, session: str, pdf: bytes) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._kept[token] = (session, time.monotonic(), pdf)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return token

    def get(self, token: str, session: str) -> bytes | None:
        with self._lock:
            kept = self._kept.get(token)
        if kept is None or kept[0] != session or time.monotonic() - kept[1] > KEPT_SECONDS:
            return None
        return kept[2]
