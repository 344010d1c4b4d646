"""Handouts rendered in worker processes, and the fingerprint of the code that shapes them."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline import __version__
from pipeline.publish.outputs import cannot, sha256_bytes, write_atomically
from pipeline.publish.pdf_settings import PdfSettings
from pipeline.resources import installed_version, package_folder
from pipeline.trust.safety_words import SafetyWords

# The code that shapes an output (relative to the package): reading content, the views and
# the renderers, images, the catalogs of fixed words, and the trust boundary (it decides
# whether a studio's output may be written at all: a stricter check must judge again what an
# earlier one let through). The check, the CLI, the desk and the authoring tools do not:
# editing them remakes nothing.
SHAPING_CODE = (
    "model.py",
    "load/*.py",
    "publish/*.py",
    "trust/*.py",
    "images/*.py",
    "translations/files.py",
    "translations/catalogs.py",
)
# Templates that no handout, snippet or preview page uses.
UNUSED_BY_OUTPUTS = ("desk/",)


@functools.cache
def pipeline_fingerprint() -> str:
    """The version, the code that shapes outputs and the renderers' versions: a `git pull`
    that changes how a dosage is worded, or a WeasyPrint upgrade, must remake every handout
    even when nobody bumped the version."""
    code = hashlib.sha256()
    package = package_folder()
    for path in sorted({p for pattern in SHAPING_CODE for p in package.glob(pattern)}):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    renderers = ",".join(f"{name} {installed_version(name, name)}" for name in ("weasyprint", "jinja2"))
    return f"{__version__} ({renderers}; code {code.hexdigest()[:16]})"


@dataclass(frozen=True)
class PdfTask:
    entry_id: str
    html: str
    target: str
    source_date: date
    fit: bool  # lay out again, tighter, when an exercise runs past its page (pdf.Renderer)
    safety: SafetyWords | None = None  # what it must print, with a studio's override in force


@dataclass(frozen=True)
class partial_render:
    settings: PdfSettings

    def __call__(self, task: PdfTask) -> tuple[str, str | None]:
        """Render one handout and write it; returns (sha256 or "", error or None)."""
        from pipeline.publish.pdf import RenderError, render_pdf

        try:
            pdf = render_pdf(
                task.html, self.settings, fit=task.fit, source_date=task.source_date, safety=task.safety
            ).pdf
            write_atomically(Path(task.target), pdf)
        except RenderError as exc:
            return "", f"{task.entry_id}: {exc}"
        except OSError as exc:
            return "", f"{task.entry_id}: " + cannot(f"write {task.target}", exc)
        except Exception as exc:  # WeasyPrint failed on this entry; the others still build
            return "", f"{task.entry_id}: the PDF could not be made ({type(exc).__name__}: {exc})"
        return sha256_bytes(pdf), None


@dataclass
class Failure:
    message: str


def result_of(result: tuple[str, str | None]) -> str | Failure:
    sha, error = result
    return Failure(error) if error else sha
