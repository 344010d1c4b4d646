"""The validated content, indexed by id, and the HTML made from it: handouts and snippets."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline import __version__
from pipeline.images.renditions import PRINT, THUMBNAIL, WEB_WIDTH_PX, Rendition, web_name, web_renditions
from pipeline.images.store import CACHE_FOLDER, MEDIA_SCHEME, ImageStore, is_svg
from pipeline.load.library import Library
from pipeline.model import Entry, Layout, PageSize, languages_of, translation_name
from pipeline.publish.contexts import (
    ExerciseView,
    ImageLinker,
    ImageLinks,
    PreviewContext,
    PreviewItem,
    RoutineView,
    SnippetContext,
)
from pipeline.publish.pdf_settings import PdfSettings
from pipeline.publish.views import (
    exercise_jsonld,
    exercise_view,
    handout_context,
    routine_jsonld,
    routine_view,
    studio_view,
)
from pipeline.resources import Templates, schema_folder_for, templates_for
from pipeline.translations.catalogs import language_name, locale_tag, translations
from pipeline.translations.files import fields_for, translated
from pipeline.trust.safety_words import SafetyWords, handout_words, snippet_words


@dataclass
class Project:
    """The validated content, indexed for rendering."""

    root: Path
    exercises: dict[str, dict[str, Any]]
    routines: dict[str, dict[str, Any]]
    exercise_files: dict[str, tuple[str, str]]  # id -> (file, sha256)
    routine_files: dict[str, tuple[str, str]]
    studio: dict[str, Any]
    studio_sha: str
    page_size: PageSize
    templates: Templates
    images: ImageStore
    # (kind, id, language) -> the translation's data, and its (file, sha256)
    translations: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    translation_files: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    languages: tuple[str, ...] = ("en",)
    schema_dir: Path | None = None  # the project's own schema/, applied on top of ours

    @classmethod
    def from_library(
        cls, library: Library, page_size: PageSize | None = None, out: Path | None = None
    ) -> Project:
        """`out` is the output folder, whose cache/images/ keeps derived images (build/)."""
        assert library.studio is not None and library.studio.data is not None
        studio = library.studio.data
        root = library.root.resolve()
        translated = [(_translation_key(d.file), d) for d in library.translations if d.data]
        return cls(
            root=root,
            exercises={d.data["id"]: d.data for d in library.exercises if d.data},
            routines={d.data["id"]: d.data for d in library.routines if d.data},
            exercise_files={d.data["id"]: (d.file, d.sha256) for d in library.exercises if d.data},
            routine_files={d.data["id"]: (d.file, d.sha256) for d in library.routines if d.data},
            studio=studio,
            studio_sha=library.studio.sha256,
            page_size=page_size or studio.get("page_size", "letter"),
            templates=templates_for(root),
            images=ImageStore(root / "content", (out or root / "build").resolve() / CACHE_FOLDER),
            translations={key: d.data for key, d in translated if key and d.data},
            translation_files={key: (d.file, d.sha256) for key, d in translated if key},
            languages=languages_of(studio),
            schema_dir=own.path if (own := schema_folder_for(root)).own else None,
        )

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def pdf_settings(self) -> PdfSettings:
        return PdfSettings(self.templates, self.content_dir, self.images.cache_dir)

    def data(self, entry: Entry) -> dict[str, Any]:
        """The entry's content in its language: the translation's words on the source's structure."""
        if entry.kind == "exercise":
            return self.exercise_data(entry.id, entry.language)
        return self._in(entry.language, "routine", entry.id, self.routines[entry.id])

    def exercise_data(self, exercise_id: str, language: str = "en") -> dict[str, Any]:
        return self._in(language, "exercise", exercise_id, self.exercises[exercise_id])

    def exercises_in(self, language: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {i: self.exercise_data(i, language) for i in ids}

    def _in(self, language: str, kind: str, entry_id: str, source: dict[str, Any]) -> dict[str, Any]:
        if language == "en":
            return source
        return translated(source, self.translations[(kind, entry_id, language)], fields_for(kind))  # type: ignore[arg-type]

    def translation_parts(self, entry: Entry) -> list[tuple[str, str, str]]:
        """The translation files a non-English entry is made of: its own and its exercises'."""
        if entry.language == "en":
            return []
        ids = [] if entry.kind == "exercise" else self.exercise_ids_of(entry)
        return [(entry.kind, entry.id, entry.language), *(("exercise", i, entry.language) for i in ids)]

    def has_translation(self, entry: Entry) -> bool:
        return all(key in self.translations for key in self.translation_parts(entry))

    def is_draft(self, entry: Entry) -> bool:
        """A draft, or a routine with a draft in it, or a translation not yet reviewed: never
        for clients."""
        ids = [] if entry.kind == "exercise" else self.exercise_ids_of(entry)
        sources = [self.exercises[entry.id] if entry.kind == "exercise" else self.routines[entry.id]]
        datas = [*sources, *(self.exercises[i] for i in ids)]
        datas += [self.translations[key] for key in self.translation_parts(entry) if key in self.translations]
        return any(data.get("status") != "published" for data in datas)

    def output_prefix(self, entry: Entry) -> str:
        """Drafts are written under drafts/ of the output folder, never beside what clients get."""
        return "drafts/" if self.is_draft(entry) else ""

    def output_path(self, entry: Entry, kind: Literal["pdf", "html"]) -> str:
        """Where the handout (pdf) or the snippet (html) of `entry` goes in the output folder:
        pdf/exercises/x.pdf in English, pdf/es/exercises/x.pdf in Spanish."""
        language = "" if entry.language == "en" else f"{entry.language}/"
        return f"{self.output_prefix(entry)}{kind}/{language}{entry.kind}s/{entry.id}.{kind}"

    def media_folder(self, entry: Entry) -> str:
        """Where the web copies of `entry`'s images go in the output folder."""
        return f"{self.output_prefix(entry)}html/media/"

    def exercise_ids_of(self, entry: Entry) -> list[str]:
        if entry.kind == "exercise":
            return [entry.id]
        return [item["exercise"] for item in self.routines[entry.id]["exercises"]]

    def images_of(self, entry: Entry) -> list[str]:
        return [
            image["src"] for i in self.exercise_ids_of(entry) for image in self.exercises[i].get("images", [])
        ]

    def print_images_of(self, entry: Entry) -> list[str]:
        """Every image a handout of `entry` prints: its photos and the studio's logo."""
        logo = self.studio.get("logo")
        return [*self.images_of(entry), *([logo] if logo else [])]

    def all_derived_images(self) -> Iterator[tuple[str, Rendition]]:
        """Every image file the library can need, drafts included: what the cache keeps."""
        sources = {image["src"] for data in self.exercises.values() for image in data.get("images", [])}
        for src in sorted(sources):
            yield src, PRINT
            for rendition in web_renditions(src):
                yield src, rendition
        if self.studio.get("logo"):
            yield self.studio["logo"], PRINT
        yield from self.desk_thumbnails()

    def desk_thumbnails(self) -> Iterator[tuple[str, Rendition]]:
        """The small copy of each exercise's first photo that the desk's cards show."""
        firsts = {data["images"][0]["src"] for data in self.exercises.values() if data.get("images")}
        for src in sorted(firsts):
            if not is_svg(src):
                yield src, THUMBNAIL

    # -- HTML ----------------------------------------------------------------------------
    def pdf_image(self, src: str) -> ImageLinks:
        """The handout's copy of `src`, made (or found in the cache) now."""
        derived = self.images.get(src, PRINT)
        return ImageLinks(
            url=f"{MEDIA_SCHEME}:{derived.path.name}",
            srcset=None,
            webp_srcset=None,
            width=derived.width,
            height=derived.height,
        )

    def web_images(self, media_url: str) -> ImageLinker:
        """Links to the web copies of an image, from a page whose way to html/media/ is `media_url`."""

        def links(src: str) -> ImageLinks:
            renditions = web_renditions(src)
            if is_svg(src):  # a drawing: one file, sharp at any size
                url = media_url + web_name(src, renditions[0])
                return ImageLinks(url=url, srcset=None, webp_srcset=None, width=None, height=None)
            native = [r for r in renditions if r.encoding == "native"]
            webp = [r for r in renditions if r.encoding == "webp"]
            first = self.images.get(src, native[0])
            return ImageLinks(
                url=media_url + web_name(src, native[0]),
                srcset=_srcset(src, native, media_url),
                webp_srcset=_srcset(src, webp, media_url),
                width=first.width,
                height=first.height,
            )

        return links

    def handout_html(self, entry: Entry, layout: Layout = "standard") -> str:
        return self.handout(entry, layout)[0]

    def handout(self, entry: Entry, layout: Layout = "standard") -> tuple[str, SafetyWords | None]:
        """The handout's HTML, and the safety words its PDF must print when a studio's
        override shapes it (None: our templates alone, trusted)."""
        language = entry.language
        words = translations(language)
        studio = studio_view(self.studio, self.pdf_image, language)
        if entry.kind == "exercise":
            exercises = [exercise_view(self.data(entry), self.pdf_image, words=words)]
            routines = []
            title = exercises[0]["title"]
        else:
            exercise_data = self.exercises_in(language, self.exercise_ids_of(entry))
            routine = routine_view(self.data(entry), exercise_data, self.pdf_image, words)
            routines, exercises, title = [routine], routine["exercises"], routine["title"]
        context = handout_context(
            kind=entry.kind,
            title=title,
            studio=studio,
            routines=routines,
            exercises=exercises,
            page_size=self.page_size,
            fonts_url=self.templates.find("fonts").as_uri(),
            draft=self.is_draft(entry),
            layout=layout,
            language=language,
        )
        from pipeline.publish.render import render_template  # Jinja2 only when rendering

        html = render_template("handout.html.j2", context, self.templates, language)
        return html, handout_words(context, words, self.templates)

    def snippet_html(self, entry: Entry, media_url: str, pdf_url: str) -> str:
        return self.snippet(entry, media_url, pdf_url)[0]

    def snippet(
        self, entry: Entry, media_url: str, pdf_url: str, shown_by: tuple[str, ...] | None = None
    ) -> tuple[str, SafetyWords | None]:
        """The web fragment, and the safety words it must show when a studio's override
        shapes it (or shapes the page that shows it: `shown_by`); `media_url` leads from the
        page that shows it to html/media/."""

        image_links = self.web_images(media_url)
        words = translations(entry.language)
        exercise: ExerciseView | None = None
        routine: RoutineView | None = None
        if entry.kind == "exercise":
            exercise = exercise_view(self.data(entry), image_links, words=words)
            jsonld = exercise_jsonld(exercise, self.studio["name"])
        else:
            exercise_data = self.exercises_in(entry.language, self.exercise_ids_of(entry))
            routine = routine_view(self.data(entry), exercise_data, image_links, words)
            jsonld = routine_jsonld(routine, self.studio["name"])
        context = SnippetContext(
            kind=entry.kind,
            exercise=exercise,
            routine=routine,
            phone=self.studio.get("phone"),
            jsonld=jsonld,
            pdf_url=pdf_url,
            draft=self.is_draft(entry),
            lang=locale_tag(entry.language),
        )
        from pipeline.publish.render import render_template  # Jinja2 only when rendering

        html = render_template("snippet.html.j2", context, self.templates, entry.language)
        return html, snippet_words(context, words, self.templates, shown_by)

    def preview_page(self, entries: Sequence[Entry], built: Collection[str]) -> str:
        """The preview: every snippet as the website shows it, and links to the handouts that
        are `built` (paths inside the output folder)."""

        def pdf_link(entry: Entry) -> str:
            path = self.output_path(entry, "pdf")
            return path if path in built else ""

        def other_languages(entry: Entry) -> list[tuple[str, str]]:
            return [
                (language_name(e.language, e.language).capitalize(), f"{e.kind}-{e.id}-{e.language}")
                for e in entries
                if (e.kind, e.id) == (entry.kind, entry.id) and e.language != entry.language
            ]

        items = [
            PreviewItem(
                entry=e,
                title=self.data(e)["title"],
                snippet=self.snippet_html(e, media_url=self.media_folder(e), pdf_url=pdf_link(e)),
                pdf=pdf_link(e),
                html=self.output_path(e, "html"),
                draft=self.is_draft(e),
                languages=other_languages(e),
            )
            for e in entries
        ]
        context = PreviewContext(studio=self.studio, items=items, pipeline_version=__version__)
        from pipeline.publish.render import render_template  # Jinja2 only when rendering

        return render_template("index.html.j2", context, self.templates)


def _translation_key(file: str) -> tuple[str, str, str] | None:
    name = translation_name(file)
    if name is None:
        return None
    kind = "routine" if "/routines/" in file else "exercise"
    return (kind, name.entry_id, name.language)


def _srcset(src: str, renditions: Sequence[Rendition], media_url: str) -> str:
    """`a-320w.webp 1x, a-640w.webp 2x`: the browser picks by the screen's pixel density."""
    return ", ".join(f"{media_url}{web_name(src, r)} {r.max_width // WEB_WIDTH_PX}x" for r in renditions)
