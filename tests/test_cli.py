"""`pipeline check` as users and CI run it: output formats, exit codes, path selection."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pipeline as cli_module
from pipeline.cli import cli
from pipeline.report import text_report

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).parent.parent


def project(tmp_path: Path, case: str) -> Path:
    target = tmp_path / "project"
    shutil.copytree(CASES / case, target, symlinks=True)
    return target


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env={"PIPELINE_TODAY": "2026-11-23", **(env or {})})
    print(result.output)  # shown when an assertion fails
    return result


def test_starter_content_passes(tmp_path: Path) -> None:
    result = run("--root", str(REPO), "check")
    assert result.exit_code == 0
    assert "0 errors" in result.output or "All good" in result.output


def test_text_report_names_file_line_column_and_rule(tmp_path: Path) -> None:
    root = project(tmp_path, "invalid/limit-static-beginner-hold")
    result = run("--root", str(root), "check")
    assert result.exit_code == 1
    assert (
        "content/exercises/test-stretch.yaml:11:17: error: dosage.hold_seconds is 90, but a "
        "beginner static stretch allows at most 30 s"
    ) in result.output
    assert result.output.rstrip().endswith("2 errors, 0 warnings in 2 files checked.")


def test_terminal_output_shows_the_line_with_a_caret() -> None:
    import io

    from pipeline.diagnostics import Diagnostic, Severity

    out = io.StringIO()
    diagnostic = Diagnostic("x.yaml", 2, 17, Severity.ERROR, "safety-limit", "too long")
    text_report([diagnostic], 1, out, {"x.yaml": "id: x\n  hold_seconds: 90\n"}, color=True)
    import click

    lines = click.unstyle(out.getvalue()).splitlines()
    assert lines[1].endswith("|   hold_seconds: 90")
    caret_column = lines[2].index("^") if "^" in lines[2] else -1
    assert caret_column == lines[1].index("90")


def test_json_report_shape(tmp_path: Path) -> None:
    root = project(tmp_path, "invalid/unknown-key-typo")
    result = run("--root", str(root), "check", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert payload["files_checked"] == 2
    first = payload["diagnostics"][1]
    assert set(first) == {"file", "line", "column", "severity", "rule", "path", "message"}
    assert first["path"] == "/dosage/hold_second"
    assert first["rule"] == "unknown-key"
    assert "did you mean `hold_seconds`?" in first["message"]


def test_github_report_escapes_and_writes_the_step_summary(tmp_path: Path) -> None:
    root = project(tmp_path, "invalid/limit-hold-total-per-side")
    summary = tmp_path / "summary.md"
    result = run(
        "--root", str(root), "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.exit_code == 1
    annotation = result.output.splitlines()[0]
    assert annotation.startswith(
        "::error file=content/exercises/test-stretch.yaml,line=11,col=3,"
        "title=safety-limit::hold_seconds × reps is 45 × 3"
    )
    assert "content/exercises/test-stretch.yaml:11:3: error:" in result.output  # plain log line
    from markdown_it import MarkdownIt

    table = MarkdownIt("gfm-like").render(summary.read_text())  # as GitHub shows the summary
    row = "<td><code>content/exercises/test-stretch.yaml</code></td>\n<td>11:3</td>\n<td>error</td>"
    assert f"{row}\n<td><code>safety-limit</code></td>\n<td>hold_seconds × reps is 45 × 3" in table


def test_github_escaping_of_special_characters() -> None:
    import io

    from pipeline.diagnostics import Diagnostic, Severity
    from pipeline.report import github_report

    out = io.StringIO()
    diagnostic = Diagnostic("a,b:c.yaml", 1, 1, Severity.WARNING, "r", "100% sure\nnext")
    github_report([diagnostic], 1, out, environ={})
    assert out.getvalue().splitlines()[0] == (
        "::warning file=a%2Cb%3Ac.yaml,line=1,col=1,title=r::100%25 sure%0Anext"
    )


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    root = project(tmp_path, "valid/warn-review-due")
    assert run("--root", str(root), "check").exit_code == 0
    assert run("--root", str(root), "check", "--strict").exit_code == 1


def test_paths_limit_the_report_but_not_the_cross_file_rules(tmp_path: Path) -> None:
    root = project(tmp_path, "invalid/routine-unknown-exercise")
    exercise = root / "content/exercises/test-stretch.yaml"
    assert run("--root", str(root), "check", str(exercise)).exit_code == 0
    routines = root / "content/routines"
    result = run("--root", str(root), "check", str(routines))
    assert result.exit_code == 1
    assert "did you mean `test-stretch`?" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("--root", str(tmp_path), "check").exit_code == 2  # no content/ folder
    assert run("check", "--format", "xml").exit_code == 2
    assert run("--root", str(REPO), "check", "no/such/file.yaml").exit_code == 2


def test_internal_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("pipeline.check.check_project", explode)
    result = run("--root", str(REPO), "check")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_version_and_schema_paths() -> None:
    assert cli_module.__version__ in run("--version").output
    result = run("schema", "exercise")
    assert Path(result.output.strip()) == REPO / "schema" / "exercise.schema.json"
    assert len(run("schema").output.splitlines()) == 4


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(REPO), "check", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_check_does_not_import_weasyprint() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pipeline.cli import main; sys.argv=['pipeline','--root',"
        f"{str(REPO)!r},'check','--format','json']\ntry: main()\nexcept SystemExit: pass\n"
        "assert 'weasyprint' not in sys.modules, 'check imported weasyprint'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_parallel_check_reports_the_same_as_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from benchmarks.common import make_library
    from pipeline import check as check_module

    make_library(tmp_path, 120)
    monkeypatch.setattr(check_module, "PARALLEL_THRESHOLD", 10)
    serial = check_module.check_project(tmp_path, today=date(2026, 11, 23), jobs=1)
    parallel = check_module.check_project(tmp_path, today=date(2026, 11, 23), jobs=2)
    assert serial.errors  # the generated library has invalid entries
    assert parallel.diagnostics == serial.diagnostics
    assert parallel.files_checked == serial.files_checked == 121


def test_sarif_report_has_one_rule_per_id_and_located_results(tmp_path: Path) -> None:
    root = project(tmp_path, "invalid/limit-static-reps-and-sets")
    result = run("--root", str(root), "check", "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules)) and "safety-limit" in rules
    first = run_["results"][0]
    assert rules[first["ruleIndex"]] == first["ruleId"] == "safety-limit"
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/exercises/test-stretch.yaml"
    assert location["region"] == {"startLine": 12, "startColumn": 9}
