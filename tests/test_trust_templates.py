"""A studio's templates are data, not code: a pull request's template cannot run anything,
read anything outside the repository, or hang the build (docs/security.md)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import run

from pipeline.trust.sandbox import BoundedSandbox, TemplateLimit, render_bounded

# Escapes known from Jinja's history and from server-side template injection write-ups: each
# would run `touch MARKER` in an ordinary environment.
ESCAPES = {
    "cycler-globals": '{{ cycler.__init__.__globals__.os.popen("touch MARKER").read() }}',
    "joiner-globals": '{{ joiner.__init__.__globals__.os.popen("touch MARKER").read() }}',
    "lipsum-globals": '{{ lipsum.__globals__["os"].popen("touch MARKER").read() }}',
    "string-mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr-filter": '{{ (cycler|attr("__init__")|attr("__globals__"))["os"].popen("touch MARKER") }}',
    "format-string": '{{ "{0.__class__.__init__.__globals__}".format(cycler) }}',
    "list-mutation": "{% set x = [] %}{{ x.append(1) }}{{ x }}",
    "self-context": "{{ self._TemplateReference__context }}",
}


def hostile_template(root: Path, name: str, text: str) -> None:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("MARKER", str(root / "ran")), "utf-8")


@pytest.mark.parametrize("text", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_studio_template_cannot_run_code(root: Path, text: str) -> None:
    hostile_template(root, "snippet.html.j2", text)
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 1
    assert "templates/snippet.html.j2:1: " in result.output
    assert "Traceback" not in result.output
    assert not (root / "ran").exists()


def test_the_refusal_says_what_the_template_reached_for_in_plain_words(root: Path) -> None:
    hostile_template(root, "snippet.html.j2", "<p>\n" + ESCAPES["cycler-globals"])
    result = run(root, "build", "--no-pdf")
    assert (
        "templates/snippet.html.j2:2: the template reaches for `__init__`, which templates may not use"
        in result.output
    )


def test_a_handout_template_cannot_run_code_either(root: Path) -> None:
    hostile_template(root, "partials/blocks.html.j2", ESCAPES["cycler-globals"])
    result = run(root, "handout", "knee-to-chest", "--client", "Ana", "-o", str(root / "ana.pdf"))
    assert result.exit_code != 0
    assert "__init__" in result.output
    assert not (root / "ran").exists() and not (root / "ana.pdf").exists()


def test_a_template_that_never_ends_is_stopped_once_and_named(root: Path) -> None:
    endless = "{% set x = range(100000)|list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}"
    hostile_template(root, "snippet.html.j2", endless)
    started = time.monotonic()
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 1
    assert "templates/snippet.html.j2: the template was still running after 5 s and was stopped" in (
        result.output
    )
    # One timeout for the whole build, not one for each of the starter's ten entries.
    assert time.monotonic() - started < 40


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{{ "x" * 10**12 }}', "repeats a text or list too many times"),
        ("{{ 2 ** (10 ** 10) }}", "works out a number too large"),
        ('{% for i in range(100000) %}{{ "y" * 1000 }}{% endfor %}' * 2, "wrote more than"),
        (
            '{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f("x", 64) }}',
            # Stopped by size, or on a loaded machine by time before it gets that far.
            "a text too long|still running",
        ),
    ],
    ids=["repeat", "power", "output", "doubling"],
)
def test_a_template_that_makes_too_much_is_stopped(text: str, words: str) -> None:
    template = BoundedSandbox().from_string(text)
    with pytest.raises(TemplateLimit, match=words):
        render_bounded(template, {}, max_chars=50_000_000)


@pytest.mark.parametrize(
    "text",
    [
        '{{ "%*d"|format(1500000000, 1) }}',
        '{{ "x"|center(10000000000) }}',
        '{{ "a"|indent(1000000000) }}',
        '{{ "x".ljust(10000000000) }}',
        '{{ "{:>1000000000}".format(1) }}',
        '{{ "{0:>{1}}".format(1, 1000000000) }}',
        '{{ "%(a)01000000000d" % {"a": 1} }}',
        '{{ "%.1000000000f" % 1.5 }}',
        '{{ _("%(a)01000000000d", a=1) }}',
    ],
    ids=[
        "format-star",
        "center",
        "indent",
        "ljust",
        "str-format",
        "nested-width",
        "percent",
        "precision",
        "gettext",
    ],
)
def test_a_filter_or_method_asked_for_a_huge_text_is_refused_before_it_allocates(text: str) -> None:
    template = BoundedSandbox(extensions=["jinja2.ext.i18n"]).from_string(text)
    template.environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    with pytest.raises(TemplateLimit, match="too long"):
        render_bounded(template, {})


def test_ordinary_formatting_still_works() -> None:
    text = '{{ "%5.1f" % 2.25 }}|{{ "{:>3}".format(1) }}|{{ "%d items"|format(3) }}|{{ "ab"|center(6) }}'
    assert render_bounded(BoundedSandbox().from_string(text), {}) == "  2.2|  1|3 items|  ab  "


def test_a_template_that_fails_in_python_fails_its_output_by_name(root: Path) -> None:
    hostile_template(root, "snippet.html.j2", '<p>\n{{ "x".encode("no-such-encoding") }}')
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 1  # the outputs fail, named; not an internal error (exit 2)
    assert "templates/snippet.html.j2:2: the template failed: unknown encoding: no-such-encoding" in (
        result.output
    )


def test_a_loop_that_calls_nothing_is_interrupted_on_time() -> None:
    template = BoundedSandbox().from_string(
        "{% set x = range(100000)|list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    with pytest.raises(TemplateLimit, match=r"still running after 0\.5 s"):
        render_bounded(template, {}, seconds=0.5)
    assert time.monotonic() - started < 5


def test_an_honest_render_is_not_disturbed_by_a_finished_watchdog() -> None:
    template = BoundedSandbox().from_string("{{ n * 2 }}")
    assert [render_bounded(template, {"n": n}, seconds=1) for n in range(3)] == ["0", "2", "4"]
    time.sleep(1.5)  # any watchdog still armed would raise into this thread by now


@pytest.mark.parametrize(
    "name", ["snippet.css", "fonts/OFL.txt", "phone/packet.css", "snippet.html.j2", "partials/blocks.html.j2"]
)
def test_a_linked_template_file_is_refused_and_nothing_it_points_at_is_published(
    root: Path, name: str
) -> None:
    secret = root / ".git" / "config"
    secret.parent.mkdir()
    secret.write_text("[remote]\ttoken = ghp_SECRET\n")
    link = root / "templates" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(secret, link.parent))
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 1
    assert f"templates/{name}" in result.output and "is a link" in result.output
    published = [p for p in (root / "build").rglob("*") if p.is_file()] if (root / "build").exists() else []
    assert not any(b"ghp_SECRET" in p.read_bytes() for p in published)


def test_a_linked_templates_subfolder_is_refused(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "packet.css").write_text("body { color: red }")
    (root / "templates").mkdir()
    (root / "templates" / "phone").symlink_to(elsewhere, target_is_directory=True)
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 1
    assert "templates/phone" in result.output and "is a link" in result.output
