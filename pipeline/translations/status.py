"""`pipeline translate`: what each language lacks, what went stale, and recording that a
translator has gone over the changes.

`status` lists, per language, the entries without a translation and the translated fields
whose English changed since, with the English the translation was made from (found in git
history by its hash) beside today's. `update` writes the current English's hashes into
`translated_from`, keeping the file's comments and layout.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap

from pipeline.authoring.fmt import FormatProblem, round_trip_yaml
from pipeline.load.library import EXERCISES, ROUTINES, content_files, load_files, translation_files
from pipeline.load.yaml import Document
from pipeline.model import translation_name
from pipeline.publish.outputs import write_atomically
from pipeline.translations.files import HASHES, Field, fields_for, source_hash, source_hashes, source_text

GIT_HISTORY_DEPTH = 100  # commits searched for the English a translation was made from

Kind = Literal["exercise", "routine"]


@dataclass(frozen=True)
class StaleField:
    file: str  # the translation
    key: str
    was: Any  # the English it was translated from; None when git does not have it
    now: Any


@dataclass
class LanguageStatus:
    language: str
    translated: list[str]  # translation files
    drafts: int
    missing: list[str]  # source files with no translation in this language
    stale: list[StaleField]


def language_status(root: Path, language: str) -> LanguageStatus:
    status = LanguageStatus(language, [], 0, [], [])
    for kind, folder in (("exercise", EXERCISES), ("routine", ROUTINES)):
        for source_path in content_files(root, folder):
            target = source_path.with_name(f"{source_path.stem}.{language}.yaml")
            if not target.is_file():
                status.missing.append(_shown(root, source_path))
                continue
            source, translation = (doc.data or {} for doc in load_files(root, [source_path, target]))
            status.translated.append(_shown(root, target))
            status.drafts += translation.get("status") != "published"
            status.stale += _stale_fields(root, kind, source_path, source, translation, _shown(root, target))  # type: ignore[arg-type]
    return status


def stale_fields(
    root: Path, kind: Kind, source_path: Path, source: Mapping[str, Any], translation: Document
) -> list[StaleField]:
    """The fields of `translation` whose English changed since it was translated, each with
    the English it was made from when git history has it."""
    data = translation.data if isinstance(translation.data, Mapping) else {}
    return list(_stale_fields(root, kind, source_path, source, data, translation.file))


def _stale_fields(
    root: Path,
    kind: Kind,
    source_path: Path,
    source: Mapping[str, Any],
    translation: Mapping[str, Any],
    shown: str,
) -> Iterator[StaleField]:
    recorded = translation.get(HASHES) if isinstance(translation.get(HASHES), Mapping) else {}
    for field in fields_for(kind):
        if source.get(field.key) is None or field.key not in translation:
            continue
        old = recorded.get(field.key)  # type: ignore[union-attr]
        if old != source_hash(source, field):
            was = _english_with_hash(root, source_path, field, old) if old else None
            yield StaleField(shown, field.key, was, source_text(source, field))


def _english_with_hash(root: Path, source_path: Path, field: Field, wanted: str) -> Any:
    """The field's English in the latest commit where it had hash `wanted`, or None."""
    from ruamel.yaml import YAML

    relative = source_path.resolve().relative_to(root.resolve()).as_posix()
    try:
        commits = _git(root, "log", f"-{GIT_HISTORY_DEPTH}", "--format=%H", "--", relative).split()
    except (OSError, subprocess.CalledProcessError):
        return None
    loader = YAML(typ="safe", pure=True)
    for commit in commits:
        try:
            data = loader.load(_git(root, "show", f"{commit}:{relative}"))
        except Exception:  # a version that did not parse cannot be the one translated
            continue
        if isinstance(data, Mapping) and source_hash(data, field) == wanted:
            return source_text(data, field)
    return None


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def _shown(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


# -- update ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Updated:
    file: str
    fields: list[str]  # whose recorded English changed


def update_hashes(root: Path, language: str, ids: Iterable[str] = ()) -> list[Updated]:
    """Record today's English as the one each translation of `language` was made from."""
    wanted = set(ids)
    done: list[Updated] = []
    for kind, folder in (("exercise", EXERCISES), ("routine", ROUTINES)):
        for path in translation_files(root, folder):
            name = translation_name(path)
            source_path = path.with_name(f"{name.entry_id}.yaml") if name else None
            if name is None or name.language != language or (wanted and name.entry_id not in wanted):
                continue
            if source_path is None or not source_path.is_file():
                continue  # `pipeline check` says there is no source
            source = load_files(root, [source_path])[0].data or {}
            changed = _write_hashes(path, source_hashes(source, fields_for(kind)))  # type: ignore[arg-type]
            if changed:
                done.append(Updated(_shown(root, path), changed))
    return done


def _write_hashes(path: Path, hashes: dict[str, str]) -> list[str]:
    text, changed = with_hashes(path.read_text("utf-8"), hashes, str(path))
    if text is not None:
        write_atomically(path, text.encode("utf-8"))
    return changed


def with_hashes(text: str, hashes: dict[str, str], name: str) -> tuple[str | None, list[str]]:
    """A translation's `text` with `hashes` recorded in `translated_from` for the fields it
    holds (None when nothing changes), and the fields whose recorded English changed. The
    editor's Save of a translation records them through this too."""
    yaml = round_trip_yaml()
    try:
        data = yaml.load(text)
    except Exception as exc:
        raise FormatProblem(
            f"{name}: cannot be updated until it reads as YAML; run `pipeline check`"
        ) from exc
    if not isinstance(data, CommentedMap):
        raise FormatProblem(f"{name}: a translation holds one mapping of keys; run `pipeline check`")
    present = {key: value for key, value in hashes.items() if key in data}
    recorded = data.get(HASHES)
    if not isinstance(recorded, CommentedMap):
        recorded = CommentedMap()
        data.insert(_after_meta(data), HASHES, recorded)
    changed = [key for key, value in present.items() if recorded.get(key) != value]
    for key in [k for k in recorded if k not in present]:
        del recorded[key]
    for key, value in present.items():
        recorded[key] = value
    if not changed and len(recorded) == len(present):
        return None, changed
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), changed


def _after_meta(data: CommentedMap) -> int:
    """Where `translated_from` goes: after status and review."""
    keys = list(data)
    return max((keys.index(k) + 1 for k in ("status", "review") if k in keys), default=0)
