"""Safety words belong to the pipeline: a pull request's templates/ may restyle a handout, a
snippet or the phone page, never hide or change what they say about safety (docs/security.md).
Each hostile override fails the build (exit 1) with the override's name and the part it
hides, and writes no handout; a harmless one builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, run

EXERCISE = "knee-to-chest"
TITLE = "Single knee-to-chest stretch"
PDF = f"build/pdf/exercises/{EXERCISE}.pdf"
SNIPPET = f"build/html/exercises/{EXERCISE}.html"


def override(root: Path, name: str, added: str = "", replace: tuple[str, str] | None = None) -> None:
    """The studio's copy of a packaged template, with `added` at its end or one `replace`."""
    text = (REPO / "templates" / name).read_text("utf-8")
    if replace is not None:
        assert replace[0] in text, f"{replace[0]!r} is not in templates/{name}"
        text = text.replace(replace[0], replace[1])
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + added, "utf-8")


def build_handout(root: Path, *options: str) -> str:
    result = run(root, "build", "--only", EXERCISE, "--no-html", *options)
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert not (root / PDF).exists()
    return result.output


HOSTILE_CSS = {
    "display-none": (".bf-key-facts .bf-stop { display: none; }", "the stop-if box", "is missing"),
    "visibility-hidden": (
        ".bf-stop { visibility: hidden; }",
        "the stop-if box",
        "is hidden (visibility: hidden)",
    ),
    "opacity-zero": (".bf-stop { opacity: 0; }", "the stop-if box", "is too faint against its background"),
    "one-point-type": (
        ".bf-stop li { font-size: 1pt; }",
        "the stop-if box",
        "is printed at 1 pt, smaller than the 11 pt",
    ),
    "white-on-the-box": (
        ".bf-stop li { color: white; }",
        "the stop-if box",
        "is too faint against its background",
    ),
    "colour-of-the-background": (
        ".bf-stop li { color: var(--stop-soft); }",
        "the stop-if box",
        "is too faint against its background",
    ),
    "disclaimer-hidden": (".bf-running-footer { display: none; }", "the studio's disclaimer", "is missing"),
    "disclaimer-transparent": (
        ".bf-running-footer p { color: transparent; }",
        "the studio's disclaimer",
        "too faint",
    ),
    "before-content-on-the-dosage": (
        '.bf-dosage-lines li:first-child::before { content: "Hold 5 minutes. "; }',
        "the dosage box",
        "reads “HOW MUCH Hold 5 minutes. Hold",
    ),
    "after-content-on-a-stop-item": (
        '.bf-stop li::after { content: " (or keep going)"; }',
        "the stop-if box",
        "(or keep going)",
    ),
    "marker-with-words": (
        '.bf-stop li { list-style-type: "Keep going: "; }',
        "the stop-if box",
        "Keep going: Pain",
    ),
    "pushed-off-the-page": (
        ".bf-stop ul { position: relative; left: -30in; }",
        "the stop-if box",
        "is off the page",
    ),
    "margin-off-the-page": (".bf-stop ul { margin-left: -40in; }", "the stop-if box", "is off the page"),
    "clipped-to-nothing": (".bf-stop ul { height: 2pt; overflow: hidden; }", "the stop-if box", "is cut off"),
    "scaled-away": (".bf-stop { transform: scale(0.05); }", "the stop-if box", "(transform)"),
    "struck-through": (".bf-stop li { text-decoration: line-through; }", "the stop-if box", "struck through"),
    "squeezed": (".bf-stop li { letter-spacing: -0.45em; }", "the stop-if box", "squeezed together"),
    "words-run-together": (
        ".bf-stop li { word-spacing: -0.9em; }",
        "the stop-if box",
        "has its words run into one another (word-spacing)",
    ),
}

# Something drawn over a safety part, or safety lines drawn over each other (trust/covered.py)
COVERING_CSS = {
    "white-page-over-everything": (
        'body::after { content: ""; position: fixed; top: 0; left: 0; width: 100%; height: 100%; '
        "background: white; z-index: 10; }",
        "the stop-if box",
        "has a background drawn over it (body.bf-handout.bf-exercise::after",
    ),
    "white-after-over-the-stop-box": (
        '.bf-stop::after { content: ""; position: absolute; inset: 0; background: white; z-index: 5; }',
        "the stop-if box",
        "has a background drawn over it (section.bf-stop::after",
    ),
    "stop-lines-stacked-by-line-height": (
        ".bf-stop li { line-height: 0; }",
        "the stop-if box",
        "is printed on top of other text",
    ),
    "dosage-lines-stacked-by-a-negative-margin": (
        ".bf-dosage-lines li { margin-top: -1.2em; }",
        "the dosage box",
        "is printed on top of other text",
    ),
    "stop-lines-stacked-by-position": (
        ".bf-stop li { position: relative; top: -1.1em; }",
        "the stop-if box",
        "is printed on top of other text",
    ),
    "a-neighbour-moved-over-by-transform": (
        ".bf-summary { background: white; transform: translate(3in, 0.6in) scale(3); }",
        "the stop-if box",
        "has a background drawn over it (p.bf-summary",
    ),
    "an-outline-pulled-inwards": (
        ".bf-stop { outline: 3in solid white; outline-offset: -3in; }",
        "the stop-if box",
        "has an outline drawn over it (section.bf-stop: outline-offset)",
    ),
    "a-neighbours-shadow": (
        ".bf-dosage { box-shadow: 4in 0 0 0 white; }",
        "the stop-if box",
        "has a shadow drawn over it (section.bf-dosage",
    ),
    "a-heavy-overline": (
        ".bf-stop li { text-decoration: overline 12px white; }",
        "the stop-if box",
        "has a heavy text decoration drawn over it (li: text-decoration-thickness)",
    ),
    "the-stop-box-over-the-dosage-box": (
        ".bf-key-facts, .bf-key-facts > section { display: block; } .bf-stop { margin-top: -0.6in; }",
        "the dosage box",
        "has a background drawn over it (section.bf-stop",
    ),
}


@pytest.mark.parametrize("css", [c[0] for c in HOSTILE_CSS.values()], ids=list(HOSTILE_CSS))
def test_a_stylesheet_that_hides_or_changes_a_safety_part_fails_the_build_naming_itself(
    root: Path, css: str
) -> None:
    _, part, why = next(c for c in HOSTILE_CSS.values() if c[0] == css)
    override(root, "handout.css", "\n" + css + "\n")
    output = build_handout(root)
    assert f"pdf/exercises/{EXERCISE}.pdf: error: {EXERCISE}: " in output
    assert part in output and why in output
    assert "Made with the studio's templates/handout.css" in output


@pytest.mark.parametrize("css", [c[0] for c in COVERING_CSS.values()], ids=list(COVERING_CSS))
def test_nothing_may_be_drawn_over_a_safety_part_nor_safety_lines_over_each_other(
    root: Path, css: str
) -> None:
    _, part, why = next(c for c in COVERING_CSS.values() if c[0] == css)
    override(root, "handout.css", "\n" + css + "\n")
    output = build_handout(root)
    assert f"{part} of “{TITLE}” {why}" in output
    assert "Made with the studio's templates/handout.css" in output


def test_a_draft_keeps_its_faint_watermark_across_the_safety_words(root: Path) -> None:
    """The pipeline's own draft watermark lies across the text on purpose, faintly; made
    strong by a studio, it is something drawn over the stop box like any other."""
    override(root, "handout.css", "\n/* the studio's */\n")
    result = run(root, "build", "--only", "pelvic-tilt", "--no-html", "--drafts", "--layout", "large")
    assert result.exit_code == 0
    strong = "\n.bf-watermark span { border-color: #a4161a; }\n"
    override(root, "handout.css", strong)
    result = run(root, "build", "--only", "pelvic-tilt", "--no-html", "--drafts", "--layout", "large")
    assert result.exit_code == 1
    assert "has a border drawn over it (span" in result.output


@pytest.mark.parametrize(
    "css",
    [
        '.bf-stop li::marker { content: "Keep going: "; }',
        'li { &::MARK\\65R { content: "x"; } }',
        '@media print { @supports (display: block) { .bf-stop li::marker { content: "K"; } } }',
    ],
    ids=["plain", "nested-and-escaped", "inside-media-and-supports"],
)
def test_content_on_a_list_marker_is_a_located_refusal_not_an_internal_error(root: Path, css: str) -> None:
    override(root, "handout.css", "\n" + css + "\n")
    output = build_handout(root)
    lines = (REPO / "templates/handout.css").read_text("utf-8").count("\n") + 2
    assert f"templates/handout.css:{lines}:" in output
    assert "`content` on `::marker` cannot be printed" in output
    assert "could not be made" not in output and "Error" not in output


def test_a_rule_the_pdf_renderer_stops_on_names_the_studios_stylesheet(root: Path) -> None:
    """A studio's rule that WeasyPrint cannot lay out (here a marker's content written in a
    <style> of the studio's page template) fails the handout by the override's name."""
    style = '<style>.bf-stop li::marker { content: "K"; }</style>\n</head>'
    override(root, "handout.html.j2", replace=("</head>", style))
    output = build_handout(root)
    assert "the handout's <style>" in output and "`content` on `::marker`" in output
    assert "Made with the studio's templates/handout.html.j2" in output


def test_a_typeface_of_the_studios_own_is_refused_before_it_draws_a_dosage(root: Path) -> None:
    """A font file can draw "20" as "90" while the text read back says 20: a handout is
    printed in the pipeline's typeface only."""
    override(
        root,
        "handout.css",
        "\n@font-face { font-family: Odd; src: url(odd.ttf); }\n.bf-dosage { font-family: Odd; }\n",
    )
    (root / "templates/odd.ttf").write_bytes(
        (REPO / "templates/fonts/AtkinsonHyperlegible-Bold.ttf").read_bytes()
    )
    output = build_handout(root)
    assert "`@font-face` names 'odd.ttf': a handout is printed only in the pipeline's own typeface" in output
    assert "templates/handout.css:" in output


def test_a_missing_font_file_is_a_message_not_a_traceback(root: Path) -> None:
    override(root, "handout-large.css", "\n@font-face { font-family: Gone; src: url(fonts/gone.ttf); }\n")
    output = build_handout(root)
    assert "fonts/gone.ttf" in output


def test_hidden_cautions_fail_the_build(root: Path) -> None:
    override(root, "handout.css", "\n.bf-cautions { visibility: hidden; }\n")
    result = run(root, "build", "--only", "cat-cow", "--no-html")
    assert result.exit_code == 1
    assert "the cautions of “Cat–cow” is hidden (visibility: hidden)" in result.output
    assert not (root / "build/pdf/exercises/cat-cow.pdf").exists()


def test_a_partial_that_drops_the_stop_if_list_fails_the_build(root: Path) -> None:
    loop = "  <ul>\n    {% for item in items %}\n    <li>{{ item }}</li>\n    {% endfor %}\n  </ul>\n"
    loop += "  {% if phone %}"
    override(root, "partials/blocks.html.j2", replace=(loop, "  {% if phone %}"))
    output = build_handout(root)
    assert f"the stop-if box of “{TITLE}” reads “STOP AND CALL US IF Call us: (520) 555-0142”" in output
    assert "templates/partials/blocks.html.j2" in output


def test_a_partial_that_drops_the_marker_is_a_safety_part_missing(root: Path) -> None:
    override(root, "partials/blocks.html.j2", replace=(' data-safety="stop-if"', ""))
    output = build_handout(root)
    assert f"the stop-if box of “{TITLE}” is missing" in output


def test_a_page_template_that_leaves_out_the_disclaimer_fails(root: Path) -> None:
    override(
        root,
        "handout.html.j2",
        replace=('<p data-safety="disclaimer">{{ studio.disclaimer }}</p>', "<p></p>"),
    )
    output = build_handout(root)
    assert "the studio's disclaimer is missing" in output and "templates/handout.html.j2" in output


def test_a_studio_warning_sign_in_the_stop_box_is_refused(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates/warning.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">Hold 5 min</text></svg>'
    )
    output = build_handout(root)
    assert "templates/warning.svg replaces the stop box's warning sign" in output


HARMLESS_CSS = {
    "another-accent": ":root { --accent: #2d6a4f; --stop: #7a0c10; }",
    "larger-stop-items": ".bf-stop li { font-size: 14pt; }",
    "capitals-in-the-dosage": ".bf-dosage-lines { text-transform: uppercase; }",
}


@pytest.mark.parametrize("css", HARMLESS_CSS.values(), ids=list(HARMLESS_CSS))
def test_a_harmless_restyle_builds(root: Path, css: str) -> None:
    override(root, "handout.css", "\n" + css + "\n")
    result = run(root, "build", "--only", EXERCISE)
    assert result.exit_code == 0
    assert (root / PDF).is_file() and (root / SNIPPET).is_file()


def test_a_copy_of_our_templates_is_no_override(root: Path) -> None:
    override(root, "handout.css")
    override(root, "phone/packet.js")
    result = run(root, "build", "--only", EXERCISE)
    assert result.exit_code == 0 and (root / PDF).is_file()


def test_large_print_holds_the_stop_box_to_18_pt(root: Path) -> None:
    override(root, "handout-large.css", "\n.bf-layout-large .bf-stop li { font-size: 16pt; }\n")
    output = build_handout(root, "--layout", "large")
    assert "is printed at 16 pt, smaller than the 18 pt this layout prints safety words at" in output
    assert "templates/handout-large.css" in output


def test_large_print_with_a_harmless_override_builds(root: Path) -> None:
    override(root, "handout-large.css", "\n.bf-layout-large .bf-stop li { font-size: 20pt; }\n")
    result = run(root, "build", "--only", EXERCISE, "--no-html", "--layout", "large")
    assert result.exit_code == 0 and (root / PDF).is_file()


def test_a_routine_and_its_cover_are_verified_too(root: Path) -> None:
    override(root, "handout.css", '\n.bf-dosage-inline::before { content: "Hold 5 minutes · "; }\n')
    result = run(root, "build", "--only", "home-hamstring-care", "--no-html")
    assert result.exit_code == 1
    assert "the dosage in the list of exercises of “Cat–cow” reads “Hold 5 minutes ·" in result.output
    assert not (root / "build/pdf/routines/home-hamstring-care.pdf").exists()


def test_a_clients_packet_is_refused_with_a_clear_message(root: Path) -> None:
    override(root, "handout.css", "\n.bf-key-facts .bf-stop { display: none; }\n")
    result = run(root, "handout", EXERCISE, "--client", "Ana", "-o", str(root / "ana.pdf"))
    assert result.exit_code == 1
    assert f"the stop-if box of “{TITLE}” is missing" in result.output
    assert "templates/handout.css" in result.output and "Traceback" not in result.output
    assert not (root / "ana.pdf").exists()


def test_the_desk_refuses_to_make_that_packet(root: Path) -> None:
    import re

    from starlette.testclient import TestClient

    from pipeline.desk.app import DeskConfig, create_app

    override(root, "handout.css", "\n.bf-stop { visibility: hidden; }\n")
    app = create_app(
        DeskConfig(root=root, today=lambda: __import__("datetime").date(2026, 11, 24), workers=1, watch=False)
    )
    with TestClient(app, base_url="http://127.0.0.1:8001") as desk:
        token = re.search(r'name="csrf" value="([^"]+)"', desk.get("/").text)
        assert token
        form = {"csrf": token.group(1), "client": "Ana", "date": "2026-11-24", "entry": [EXERCISE]}
        response = desk.post("/handout", data=form)
    assert response.headers["content-type"].startswith("text/html")
    assert "The handout could not be made" in response.text
    assert "is hidden (visibility: hidden)" in response.text and "templates/handout.css" in response.text


# -- the web snippet -------------------------------------------------------------------------


def build_snippet(root: Path) -> str:
    result = run(root, "build", "--only", EXERCISE, "--no-pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not (root / SNIPPET).exists()
    return result.output


@pytest.mark.parametrize(
    ("css", "why"),
    [
        (
            ".bf-snippet .bf-stop { display: none; }",
            "the stop-if box of “Single knee-to-chest stretch” is missing",
        ),
        ("@media screen { .bf-snippet .bf-stop li { font-size: 4px; } }", "smaller than the 9.6 pt"),
        (".bf-snippet .bf-stop { clip-path: inset(50%); }", "`clip-path` can hide safety words in a browser"),
        ('.bf-snippet .bf-dosage h3::after { content: " (ignore)"; }', "the dosage box"),
        (
            "@media (max-width: 40em) { .bf-snippet .bf-stop { display: none; } }",
            "templates/snippet.css:{line}:51: `display` inside `@media (max-width: 40em)`",
        ),
        (
            "@supports (display: grid) { @layer x { .bf-stop { clip-path: inset(50%); } } }",
            "templates/snippet.css:{line}:51: `clip-path` can hide safety words in a browser",
        ),
        (
            "@layer studio { .bf-stop li { color: white !important; } }",
            "`color` inside `@layer studio`",
        ),
        (
            "@container (min-width: 1px) { .bf-stop { opacity: 0; } }",
            "`opacity` inside `@container (min-width: 1px)`",
        ),
        ("@media print { .bf-stop { visibility: hidden; } }", "`visibility` inside `@media print`"),
        ("@media not print { .bf-stop { display: none; } }", "`display` inside `@media not print`"),
        (
            "@-moz-document url-prefix() { .bf-stop { display: none; } }",
            "inside `@-moz-document url-prefix()`",
        ),
        (".bf-snippet { & .bf-stop { filter: opacity(0); } }", "`filter` can hide safety words in a browser"),
        (".bf-snippet:hover .bf-stop { display: none; }", "`display` inside `:hover`"),
        (".bf-stop { &:is(:focus-within, .x) li { font-size: 1px; } }", "`font-size` inside `:focus-within`"),
        (
            "@media (max-width: 40em) { .bf-stop { margin-top: -30em; } }",
            "`margin-top` inside `@media (max-width: 40em)`",
        ),
        (
            ".bf-stop { animation: gone 1s forwards; } @keyframes gone { to { opacity: 0; } }",
            "`animation` can hide safety words in a browser",
        ),
        (
            "@import url(https://example.com/x.css);",
            "`@import` loads a stylesheet the pipeline has not checked",
        ),
        (
            "@studio-only { .bf-stop { display: none; } }",
            "`@studio-only` is a rule the pipeline does not know",
        ),
    ],
    ids=[
        "display-none",
        "screen-only-tiny",
        "clip-path",
        "after-content",
        "narrow-screens-only",
        "nested-in-supports-and-layer",
        "a-layer",
        "a-container-query",
        "print-only",
        "not-print",
        "moz-document",
        "nested-rule",
        "on-hover",
        "on-focus-inside-is",
        "a-negative-margin-on-phones",
        "an-animation",
        "an-import",
        "an-unknown-at-rule",
    ],
)
def test_a_snippet_stylesheet_that_hides_safety_words_fails(root: Path, css: str, why: str) -> None:
    override(root, "snippet.css", "\n" + css + "\n")
    output = build_snippet(root)
    line = (REPO / "templates/snippet.css").read_text("utf-8").count("\n") + 2
    assert why.format(line=line) in output and "templates/snippet.css" in output


def test_a_snippet_stylesheet_may_change_spacing_on_narrow_screens(root: Path) -> None:
    css = "\n@media (max-width: 40em) { .bf-snippet .bf-stop { padding: 0.5em; margin-top: 1em; } }\n"
    override(root, "snippet.css", css)
    result = run(root, "build", "--only", EXERCISE, "--no-pdf")
    assert result.exit_code == 0 and (root / SNIPPET).is_file()


def test_a_snippet_with_a_script_fails(root: Path) -> None:
    script = "<script>document.querySelector('.bf-stop').remove()</script>\n"
    override(root, "snippet.html.j2", replace=("{% else %}", script + "{% else %}"))
    output = build_snippet(root)
    assert "the snippet has a <script>" in output and "templates/snippet.html.j2" in output


@pytest.mark.parametrize("tag", ["details", "dialog", "noscript", "canvas"])
def test_a_snippet_may_not_wrap_words_in_what_a_browser_keeps_out_of_sight(root: Path, tag: str) -> None:
    """WeasyPrint lays out a closed <details>, a <dialog>, a <noscript> or a canvas's fallback;
    a browser shows none of them, so the check would read words no visitor sees."""
    stop = "{{ stop_if(e.stop_if, phone, 3) }}"
    override(root, "snippet.html.j2", replace=(stop, f"<{tag}>{stop}</{tag}>"))
    output = build_snippet(root)
    assert f"the snippet has a <{tag}>, which may not run beside the safety words" in output


def test_a_popover_is_out_of_sight_too(root: Path) -> None:
    stop = "{{ stop_if(e.stop_if, phone, 3) }}"
    override(root, "snippet.html.j2", replace=(stop, f"<div popover>{stop}</div>"))
    output = build_snippet(root)
    assert "the snippet has a popover= element" in output


def test_a_harmless_snippet_restyle_builds(root: Path) -> None:
    override(root, "snippet.css", "\n.bf-snippet .bf-stop { border-color: #5a0b0e; }\n")
    result = run(root, "build", "--only", EXERCISE, "--no-pdf")
    assert result.exit_code == 0 and (root / SNIPPET).is_file()


# -- the preview page (index.html, published with the website) ----------------------------------


def build_preview(root: Path) -> str:
    result = run(root, "build", "--only", EXERCISE, "--no-pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not (root / "build/index.html").exists()
    return result.output


SNIPPETS_SHOWN = "{{ item.snippet | safe }}"


@pytest.mark.parametrize(
    ("replace", "why"),
    [
        (
            (SNIPPETS_SHOWN, "<h2>{{ item.title }}</h2>"),
            f"the dosage box of “{TITLE}” is missing",
        ),
        (
            (SNIPPETS_SHOWN, SNIPPETS_SHOWN + "<style>.bf-stop { display: none; }</style>"),
            f"the stop-if box of “{TITLE}” is missing",
        ),
        (
            ("</style>", ".entry .bf-stop li { color: #fdfdfd; }</style>"),
            f"the stop-if box of “{TITLE}” is too faint against its background",
        ),
        (
            ("</style>", "@media (max-width: 50em) { .bf-stop { display: none; } }</style>"),
            "the page's <style> (line 20, column 41 of the page as rendered): "
            "`display` inside `@media (max-width: 50em)`",
        ),
        (
            ("</head>", "<script>document.querySelector('.bf-stop').remove()</script></head>"),
            "the page has a <script>, which may not run beside the safety words",
        ),
        (
            ("</head>", '<link rel="stylesheet" href="https://example.com/studio.css"></head>'),
            "the page has a <link>",
        ),
        (
            ("</head>", '<meta http-equiv="refresh" content="0; url=https://example.com/"></head>'),
            "the page has a <meta>",
        ),
    ],
    ids=[
        "snippets-left-out",
        "a-style-hides-the-stop-box",
        "faint",
        "narrow-screens",
        "script",
        "link",
        "refresh",
    ],
)
def test_a_preview_page_that_leaves_out_or_hides_safety_words_is_not_written(
    root: Path, replace: tuple[str, str], why: str
) -> None:
    override(root, "index.html.j2", replace=replace)
    output = build_preview(root)
    assert f"index.html: error: {why}" in output or why in output
    assert "Made with the studio's templates/index.html.j2" in output


def test_a_snippet_stylesheet_that_hides_words_only_on_the_preview_page_fails_there(root: Path) -> None:
    override(root, "snippet.css", "\nmain .bf-snippet .bf-stop { display: none; }\n")
    output = build_preview(root)
    assert f"index.html: error: the stop-if box of “{TITLE}” is missing" in output
    assert "templates/snippet.css" in output
    assert (root / SNIPPET).is_file()  # on its own, the snippet shows its words


def test_a_harmless_preview_page_restyle_builds(root: Path) -> None:
    override(root, "index.html.j2", replace=("background: #f4f6f7;", "background: #eef2ef;"))
    result = run(root, "build", "--only", EXERCISE, "--no-pdf")
    assert result.exit_code == 0 and (root / "build/index.html").is_file()


# -- the phone page --------------------------------------------------------------------------


def phone_build(root: Path) -> tuple[int, str]:
    result = run(root, "build", "--no-pdf")
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "name",
    [
        "phone/packet.js",
        "phone/packet-sw.js",
        "phone/packet.html.j2",
        "phone/packet-code.js",
        "phone/short.html",
        "phone/short.js",
    ],
)
def test_the_phone_pages_script_and_page_are_the_pipelines(root: Path, name: str) -> None:
    override(root, name, "\n// the studio's own\n" if name.endswith(".js") else "\n")
    code, output = phone_build(root)
    assert code == 1
    assert (
        f"html/packet.html: error: templates/{name}: the phone page's pages, scripts and service worker"
        in output
    )


def test_a_phone_theme_sets_colours_only(root: Path) -> None:
    (root / "templates/phone").mkdir(parents=True)
    (root / "templates/phone/packet.css").write_text(":root { --accent: #2d6a4f; --stop: #7a0c10; }\n")
    code, _ = phone_build(root)
    assert code == 0
    styles = list((root / "build/html/packet").glob("style.*.css"))
    text = styles[0].read_text()
    assert text.startswith((REPO / "templates/phone/packet.css").read_text())
    assert "--accent: #2d6a4f;" in text


@pytest.mark.parametrize(
    ("css", "why"),
    [
        (
            ".stop { display: none; }",
            "templates/phone/packet.css:1:1: the phone page's stylesheet may only be a theme",
        ),
        (":root { --stop-soft: #a4161a; }", "--ink on --stop-soft has a contrast of 2.4:1"),
        (":root { display: none; }", "`display` is not one of the phone page's colours"),
        (":root { --ink: url(x.png); }", "--ink must be a colour"),
    ],
    ids=["a-rule", "stop-on-its-own-colour", "another-property", "not-a-colour"],
)
def test_a_phone_theme_that_could_hide_safety_words_fails(root: Path, css: str, why: str) -> None:
    (root / "templates/phone").mkdir(parents=True)
    (root / "templates/phone/packet.css").write_text(css + "\n")
    code, output = phone_build(root)
    assert code == 1 and why in output
