"""The studio's workflow and this repository's action.yml, run here as GitHub's runner would run
them: the workflow's call of the action read from the YAML, the action's inputs filled from
its defaults and the workflow's `with:`, then each `run:` step of the action in order, in
bash with the runner's options, its `if:` and `env:` worked out from the same expressions.
Only the install step is left out: the test's environment is the installed pipeline."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).parent.parent
ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
SKIPPED_STEPS = {"install"}  # the system libraries and pip: the test runs in the venv


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


@dataclass
class Run:
    """What the runner's context holds while the action runs."""

    github: dict[str, str]
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # by step id
    ran: list[str] = field(default_factory=list)  # the names of the run steps, in order
    logs: dict[str, str] = field(default_factory=dict)  # what each step printed, by name

    def value(self, expression: str) -> Any:
        """A GitHub expression of the simple kinds the action and the workflow use."""
        python = expression.replace("&&", " and ").replace("||", " or ").replace("!=", " != ")
        python = re.sub(r"!(?!=)", " not ", python)
        python = python.replace("always()", "True")
        names = {
            "inputs": _Dotted(self.inputs),
            "github": _Dotted(self.github),
            "steps": _Dotted(
                {k: _Dotted({"outputs": _Dotted(v), "outcome": "success"}) for k, v in self.outputs.items()}
            ),
            "runner": _Dotted({"temp": self.github["runner_temp"], "os": "Linux"}),
        }
        python = re.sub(r"(?<=[\w.])-(?=\w)", "_", python)  # page-size -> page_size
        return eval(python, {"__builtins__": {}, "True": True}, names)

    def text(self, template: str) -> str:
        def one(match: re.Match[str]) -> str:
            got = self.value(match[1])
            return str(got).lower() if isinstance(got, bool) else str(got)

        return EXPRESSION.sub(one, str(template))

    def condition(self, step: Mapping[str, Any]) -> bool:
        condition = step.get("if")
        if condition is None:
            return True
        return bool(self.value(EXPRESSION.sub(lambda m: m[1], str(condition))))


class _Dotted(dict[str, Any]):
    def __getattr__(self, name: str) -> Any:
        for key in (name, name.replace("_", "-")):
            if key in self:
                return self[key]
        return ""


def action_call(workflow: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The workflow's `uses:` of this action and its `with:`."""
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if not uses.startswith("actions/"):
                return uses, {k: str(v) for k, v in (step.get("with") or {}).items()}
    raise AssertionError("the workflow does not call the pipeline's action")


def run_action(
    workflow: Mapping[str, Any], workspace: Path, event: str, temp: Path, venv_bin: Path
) -> tuple[Run, subprocess.CompletedProcess[str] | None]:
    """The action's run steps as the workflow calls them on `event`; stops at the first that
    fails, as the runner does. Returns the run and the failed step's result (None: all passed)."""
    _, given = action_call(workflow)
    action = load(ACTION)
    github = {
        "event_name": event,
        "ref": "refs/heads/main",
        "runner_temp": str(temp),
        "workspace": str(workspace),
    }
    caller = Run(github, {})
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs |= {name: caller.text(value) for name, value in given.items()}
    run = Run(github, inputs)
    summary = temp / "summary.md"
    for number, step in enumerate(action["runs"]["steps"]):
        if "run" not in step or step.get("id") in SKIPPED_STEPS or not run.condition(step):
            continue
        output = temp / f"output-{number}"
        output.write_text("")
        env = {
            **os.environ,
            "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(temp),
            **{name: run.text(value) for name, value in (step.get("env") or {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        print(step.get("name", step.get("id")), done.stdout, done.stderr)
        run.ran.append(step.get("name", step.get("id", "")))
        run.logs[run.ran[-1]] = done.stdout + done.stderr
        if "id" in step:
            lines = [line.split("=", 1) for line in output.read_text().splitlines() if "=" in line]
            run.outputs[step["id"]] = dict((k, v) for k, v in lines)
        if done.returncode != 0:
            return run, done
    return run, None


def action_as_workflow(path: Path) -> Path:
    """action.yml's steps as a reusable workflow's job, for actionlint (which lints workflows,
    not action metadata): its inputs become the workflow's, its expressions stay as written."""
    action = load(ACTION)
    inputs = {
        name: {"type": "string", "default": str(spec.get("default", ""))}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "name": "action.yml as a workflow",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path.write_text(yaml.safe_dump(workflow, sort_keys=False))
    return path
