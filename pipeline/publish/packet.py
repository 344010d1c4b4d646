"""`pipeline handout`: a personalised packet for one client, printed at the front desk.

Any mix of exercises and routines, in the order given; a routine brings its exercises with
its own dosage and notes. Only published entries are printed for a client, and only when the
files they are made from pass the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.check import CheckResult, check_project
from pipeline.errors import EXIT_CONTENT, UsageError
from pipeline.images.renditions import ImageProblem
from pipeline.model import Entry, Layout, PageSize
from pipeline.publish.adjust import Adjustment, adjusted, problems
from pipeline.publish.contexts import ClientView, ExerciseView, RoutineView
from pipeline.publish.outputs import cannot, write_atomically
from pipeline.publish.pdf_settings import fitted
from pipeline.publish.phone.link import phone_link
from pipeline.publish.project import Project
from pipeline.publish.views import exercise_view, handout_context, merged_dosage, routine_view, studio_view
from pipeline.translations.catalogs import language_name, long_date, translations
from pipeline.trust.safety_words import SafetyWords, handout_words


class PacketProblem(UsageError):
    """The packet cannot be made; the message says why, for the person at the desk."""


class UnsafePacket(PacketProblem):
    """A studio's override hides or changes the packet's safety words: the repository's
    problem, exit code 1 like a failed check."""

    exit_code = EXIT_CONTENT


@dataclass
class PacketRequest:
    ids: list[str]
    client: str
    notes: str | None = None
    day: date | None = None
    page_size: PageSize | None = None
    layout: Layout = "standard"
    # exercise id -> dosage fields an instructor changed for this client (the desk)
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict)
    language: str = "en"  # another: every entry must have a reviewed translation into it


@dataclass(frozen=True)
class PacketDocument:
    """A packet's HTML, ready for the renderer, and the content files it is made from."""

    html: str
    sources: frozenset[str]
    fit: bool  # lay out again, tighter, when an exercise runs past its page (not compact: it flows)
    anchors: tuple[tuple[str, str], ...]  # (exercise id, the id of its <article>) in print order
    safety: SafetyWords | None = None  # what it must print, with a studio's override in force


def make_packet(root: Path, request: PacketRequest, output: Path, today: date | None = None) -> CheckResult:
    """Write the packet to `output`; returns the check whose problems in the packet's files stop it."""
    check = check_project(root, today=today, full_documents=True)
    project = project_for(check, request.page_size)
    if request.language not in project.languages:
        known = ", ".join(project.languages)
        raise PacketProblem(
            f'"{request.language}" is not one of the studio\'s languages ({known} in content/studio.yaml)'
        )
    # The check's errors in the asked-for files stop the packet before a document is built
    # from them: invalid data (an unknown kind) must be reported, not rendered.
    asked = _files_asked_for(project, request.ids) | {"content/studio.yaml"}
    blocking = [d for d in check.errors if d.file in asked]
    if not blocking:
        document = packet_document(project, request, today or date.today())
        blocking = [d for d in check.errors if d.file in document.sources]
    if blocking:
        check.diagnostics = blocking
        return check
    from pipeline.publish.pdf import RenderError, UnsafeRender, render_pdf

    try:
        pdf = render_pdf(document.html, project.pdf_settings, fit=document.fit, safety=document.safety).pdf
    except UnsafeRender as exc:
        raise UnsafePacket(str(exc)) from None
    except RenderError as exc:
        raise PacketProblem(str(exc)) from None
    try:
        write_atomically(output, pdf)
    except OSError as exc:
        raise PacketProblem(cannot(f"write {output}", exc)) from None
    check.diagnostics = []
    return check


def _files_asked_for(project: Project, ids: list[str]) -> set[str]:
    """The files of the asked-for entries: each exercise's, each routine's and its exercises'."""
    files: set[str] = set()
    for entry_id in ids:
        if entry_id in project.exercise_files:
            files.add(project.exercise_files[entry_id][0])
        if entry_id in project.routines:
            files.add(project.routine_files[entry_id][0])
            for item in project.routines[entry_id].get("exercises") or []:
                named = item.get("exercise") if isinstance(item, dict) else None
                if isinstance(named, str) and named in project.exercise_files:
                    files.add(project.exercise_files[named][0])
    return files


def project_for(check: CheckResult, page_size: PageSize | None = None) -> Project:
    if check.library.studio is None or check.library.studio.data is None:
        raise PacketProblem("content/studio.yaml is missing or unreadable; run `pipeline check`")
    return Project.from_library(check.library, page_size)


def packet_document(project: Project, request: PacketRequest, today: date) -> PacketDocument:
    """The packet's HTML (nothing is written); PacketProblem says why it cannot be made."""
    try:
        routines, exercises, sources = _select(project, request.ids, request.adjustments, request.language)
    except ImageProblem as exc:
        raise PacketProblem(f"an image cannot be used: {exc}; run `pipeline check`") from None
    except OSError as exc:
        raise PacketProblem(cannot("prepare the images", exc)) from None
    html, safety = _packet_html(project, request, routines, exercises, today)
    anchors = tuple((e["id"], exercise_anchor(e["id"], i, len(exercises))) for i, e in enumerate(exercises))
    return PacketDocument(html, frozenset(sources), fitted(request.layout), anchors, safety)


def exercise_anchor(exercise_id: str, index: int, count: int) -> str:
    """The id of an exercise's <article> (partials/exercise_page.html.j2): numbered when
    the handout has several exercises."""
    return f"exercise-{exercise_id}" + (f"-{index + 1}" if count > 1 else "")


def _select(
    project: Project, ids: list[str], adjustments: Mapping[str, Adjustment], language: str = "en"
) -> tuple[list[RoutineView], list[ExerciseView], set[str]]:
    routines: list[RoutineView] = []
    exercises: list[ExerciseView] = []
    sources: set[str] = set()
    image = project.pdf_image
    words = translations(language)
    printed = _OncePerExercise()
    _refuse_adjustments_outside(project, ids, adjustments)
    for entry_id in ids:
        if entry_id in project.exercises:
            data = project.exercises[entry_id]
            _refuse_draft(entry_id, data.get("status"))
            entry = _in_language(project, Entry("exercise", entry_id, language))
            dosage = _for_this_client(project, data, data["dosage"], adjustments)
            view = exercise_view(project.data(entry), image, dosage, words=words)
            exercises += printed.new([view], "on its own")
            sources.add(project.exercise_files[entry_id][0])
        elif entry_id in project.routines:
            data = project.routines[entry_id]
            _refuse_draft(entry_id, data.get("status"))
            entry = _in_language(project, Entry("routine", entry_id, language))
            in_language = project.exercises_in(language, project.exercise_ids_of(entry))
            routine = routine_view(
                _adjusted_routine(project, project.data(entry), adjustments), in_language, image, words
            )
            routines.append(routine)
            exercises += printed.new(routine["exercises"], f'in the routine "{entry_id}"')
            sources.add(project.routine_files[entry_id][0])
            sources.update(project.exercise_files[i["exercise"]][0] for i in data["exercises"])
        else:
            known = sorted([*project.exercises, *project.routines])
            from pipeline.rules.messages import suggestion

            raise PacketProblem(f'there is no exercise or routine "{entry_id}"{suggestion(entry_id, known)}')
    return routines, exercises, sources


def _in_language(project: Project, entry: Entry) -> Entry:
    """`entry`, refused unless it has a reviewed translation into the packet's language: a
    packet never mixes in English a client may not read."""
    if entry.language != "en" and (not project.has_translation(entry) or project.is_draft(entry)):
        name = language_name(entry.language)
        missing = "no translation" if not project.has_translation(entry) else "only a draft translation"
        raise PacketProblem(
            f'"{entry.id}" has {missing} into {name} yet; print it in English or leave it out '
            f"(a {name} packet never mixes in English)"
        )
    return entry


def _for_this_client(
    project: Project,
    exercise: Mapping[str, Any],
    dosage: Mapping[str, Any],
    adjustments: Mapping[str, Adjustment],
) -> dict[str, Any]:
    """`dosage` with the desk's adjustment for this exercise, refused if outside the limits
    (the packaged schema's and the studio's own, the stricter of the two)."""
    adjustment = adjustments.get(exercise["id"])
    if not adjustment:
        return dict(dosage)
    result = adjusted(dosage, adjustment)
    found = problems(exercise, result, project.schema_dir)
    if found:
        raise PacketProblem(f'the adjusted dosage of "{exercise["id"]}" is refused: {found[0].message}')
    return result


def _adjusted_routine(
    project: Project, routine: Mapping[str, Any], adjustments: Mapping[str, Adjustment]
) -> dict[str, Any]:
    """The routine with this client's dosages in its items' overrides."""
    items = []
    for item in routine["exercises"]:
        exercise = project.exercises[item["exercise"]]
        merged = merged_dosage(exercise, item.get("dosage"))
        dosage = _for_this_client(project, exercise, merged, adjustments)
        items.append({**item, "dosage": dosage})
    return {**routine, "exercises": items}


def _refuse_adjustments_outside(
    project: Project, ids: list[str], adjustments: Mapping[str, Adjustment]
) -> None:
    in_packet = {
        exercise_id
        for entry_id in ids
        if entry_id in project.exercises or entry_id in project.routines
        for exercise_id in project.exercise_ids_of(
            Entry("exercise" if entry_id in project.exercises else "routine", entry_id)
        )
    }
    for exercise_id in adjustments:
        if exercise_id not in in_packet:
            raise PacketProblem(f'a dosage was adjusted for "{exercise_id}", which is not in this packet')


class _OncePerExercise:
    """An exercise asked for twice (on its own and in a routine, or in two routines) prints
    once. With two different dosages it does not print at all: a client would do both. Within
    one routine, an exercise listed twice (a warm-up and a cool-down) is the author's choice."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, str]] = {}  # exercise id -> (dosage phrase, where)

    def new(self, candidates: list[ExerciseView], where: str) -> list[ExerciseView]:
        fresh = [exercise for exercise in candidates if not self._printed_before(exercise, where)]
        for exercise in candidates:
            self.seen.setdefault(exercise["id"], (exercise["dosage"]["phrase"], where))
        return fresh

    def _printed_before(self, exercise: ExerciseView, where: str) -> bool:
        earlier = self.seen.get(exercise["id"])
        if earlier is None:
            return False
        phrase = exercise["dosage"]["phrase"]
        if earlier[0] != phrase:
            raise PacketProblem(
                f'"{exercise["id"]}" would be printed twice with different dosages: '
                f'"{earlier[0]}" ({earlier[1]}) and "{phrase}" ({where}); leave one of them out'
            )
        return True


def _refuse_draft(entry_id: str, status: object) -> None:
    if status != "published":
        raise PacketProblem(
            f'"{entry_id}" is a draft; only published, reviewed entries are printed for clients'
        )


def _packet_html(
    project: Project,
    request: PacketRequest,
    routines: list[RoutineView],
    exercises: list[ExerciseView],
    today: date,
) -> tuple[str, SafetyWords | None]:
    language = request.language
    words = translations(language)
    day = long_date(request.day or today, language)
    client = ClientView(name=request.client, date=day, notes=request.notes)
    context = handout_context(
        kind="packet",
        title=words.gettext("Exercises for %(name)s") % {"name": request.client},
        studio=studio_view(project.studio, project.pdf_image, language),
        routines=routines,
        exercises=exercises,
        page_size=request.page_size or project.page_size,
        fonts_url=project.templates.find("fonts").as_uri(),
        client=client,
        layout=request.layout,
        language=language,
        phone_link=phone_link(project.studio, language, exercises, project.exercises),
    )
    from pipeline.publish.render import render_template  # Jinja2 only when rendering

    html = render_template("handout.html.j2", context, project.templates, language)
    return html, handout_words(context, words, project.templates)
