"""What an attacker on the studio's network tries at the desk: a weak passcode, guessing it
quickly from many connections, and a form sent from another program on this computer."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO, run
from starlette.testclient import TestClient

from pipeline.desk import guard
from pipeline.desk.app import DeskConfig, create_app
from pipeline.desk.guard import GUESSES_PER_ADDRESS, GuessThrottle, passcode_problem

PASSCODE = "1234-5678-9012"


@pytest.mark.parametrize("weak", ["--------", "1-------", "1234 567", "abc-def-gh", "  -- 12 --  "])
def test_a_passcode_too_easy_to_guess_is_refused_after_dashes_and_spaces_go(weak: str) -> None:
    assert passcode_problem(weak) is not None


@pytest.mark.parametrize("strong", ["12345678", "1234-5678", "correct-horse-battery", "abcdefghij"])
def test_eight_digits_or_ten_characters_are_enough(strong: str) -> None:
    assert passcode_problem(strong) is None


def test_the_desk_refuses_to_start_on_a_weak_passcode_file(root: Path, tmp_path: Path) -> None:
    (tmp_path / "code").write_text("--------\n")
    result = run(root, "desk", "--host", "0.0.0.0", "--passcode-file", str(tmp_path / "code"), "--no-open")
    assert result.exit_code == 2
    assert "too easy to guess: it is empty" in result.output


def test_wrong_guesses_from_one_address_are_held_off_for_at_most_a_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(guard, "WRONG_GUESS_PAUSE", 0)
    now = [1000.0]
    throttle = GuessThrottle(clock=lambda: now[0])

    async def guess(address: str, typed: str) -> bool | int:
        return await throttle.judge(address, typed, PASSCODE)

    for _ in range(GUESSES_PER_ADDRESS):
        assert asyncio.run(guess("10.0.0.9", "0000-0000-0000")) is False
        now[0] += 1
    held = asyncio.run(guess("10.0.0.9", PASSCODE))  # not judged, even when right
    assert held is not True and held is not False and 0 < held <= 60
    assert asyncio.run(guess("10.0.0.7", PASSCODE)) is True  # the studio's own computer
    now[0] += held
    assert asyncio.run(guess("10.0.0.9", PASSCODE)) is True


def test_guesses_sent_together_are_judged_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "WRONG_GUESS_PAUSE", 0.2)
    throttle = GuessThrottle()

    async def many() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(throttle.judge(f"10.0.0.{i}", "0000-0000-0000", PASSCODE) for i in range(5)))
        return time.perf_counter() - started

    assert asyncio.run(many()) >= 5 * 0.2 * 0.95


@pytest.fixture
def network_desk(tmp_path: Path) -> TestClient:
    shutil.copytree(REPO / "content", tmp_path / "content")
    config = DeskConfig(root=tmp_path, host="0.0.0.0", passcode=PASSCODE, workers=1, watch=False)
    return TestClient(create_app(config), base_url="http://127.0.0.1:8001")


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_the_sixth_wrong_passcode_in_a_minute_gets_429_with_retry_after(
    network_desk: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "WRONG_GUESS_PAUSE", 0)
    with network_desk as client:
        csrf = _csrf(client, "/login")
        for _ in range(GUESSES_PER_ADDRESS):
            assert client.post("/login", data={"csrf": csrf, "passcode": "9999-9999-9999"}).status_code == 401
        held = client.post("/login", data={"csrf": csrf, "passcode": PASSCODE}, follow_redirects=False)
        assert held.status_code == 429
        assert 0 < int(held.headers["retry-after"]) <= 60
        assert "Too many wrong passcodes" in held.text


def test_a_form_from_another_port_on_this_computer_is_refused(network_desk: TestClient) -> None:
    with network_desk as client:
        csrf = _csrf(client, "/login")
        other_port = client.post(
            "/login", data={"csrf": csrf, "passcode": PASSCODE}, headers={"Origin": "http://127.0.0.1:9999"}
        )
        assert other_port.status_code == 403 and "another site" in other_port.text
        other_scheme = client.post(
            "/login", data={"csrf": csrf, "passcode": PASSCODE}, headers={"Origin": "https://127.0.0.1:8001"}
        )
        assert other_scheme.status_code == 403
        own = client.post(
            "/login",
            data={"csrf": csrf, "passcode": PASSCODE},
            headers={"Origin": "http://127.0.0.1:8001"},
            follow_redirects=False,
        )
        assert own.status_code == 303
