"""What the desk's HTTP and browser tests share: the front-desk person's packet and what its
PDF must say, and the desk started as the front desk starts it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).parent.parent

CLIENT = "Zoë Núñez"
STRAP = "supine-hamstring-stretch-strap"
BS3 = "backsystem3-low-back-relief"
IN_ORDER = ["Lying hamstring stretch with a strap", "Hamstring stretch on the BackSystem3"]
IN_ORDER.append("Low back stretch on the BackSystem3")


def check_the_handout(text: str) -> None:
    """The packet of the strap stretch (hold adjusted to 25 s) then the BackSystem3 routine."""
    assert f"Prepared for {CLIENT} on November 24, 2026" in text
    cover = text[text.index("In order") :]
    assert [cover.index(t) for t in IN_ORDER] == sorted(cover.index(t) for t in IN_ORDER)
    assert "Lying hamstring stretch with a strap Hold 25 seconds · 2 times · each side" in cover


@contextmanager
def running_desk(root: Path, log: list[str] | None = None) -> Iterator[str]:
    """`pipeline desk` on `root` in a subprocess, as the front desk starts it; yields its URL
    and stops it with Ctrl-C. What it prints (its access log) goes to `log`."""
    command = [sys.executable, "-m", "pipeline", "--root", str(root), "desk", "--no-open", "--port", "0"]
    env = {**os.environ, "PIPELINE_TODAY": "2026-11-24"}
    desk = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert desk.stderr is not None
    line = desk.stderr.readline()
    while line and "open on" not in line:
        line = desk.stderr.readline()
    match = re.search(r"http://\S+/", line)
    assert match, "the desk did not start"
    sink = log if log is not None else []
    reader = threading.Thread(target=lambda: sink.extend(desk.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        yield match.group(0)
    finally:
        desk.send_signal(signal.SIGINT)
        assert desk.wait(timeout=30) in (0, 130)
        reader.join(timeout=10)
        desk.stderr.close()
