"""Browser tests: Debian's chromium driven by Playwright, against the demo district served in a subprocess.

Chromium comes from the distribution (a browser build downloaded by Playwright cannot be fetched on
these machines): ``apt-get install chromium fonts-noto-cjk`` (.ci/run does it). Without it the
tests are skipped with that reason, except in CI, where that fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyotp
import pytest

from tests.browser.serve import AUTHENTICATORS

CHROMIUM = os.environ.get("BIANMIN_TEST_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI runs the browser tests: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    """The served demo district: its URL, the tests' password, the screenshot folder, its database file."""

    def __init__(self, url: str, password: str, shots: Path, database: Path) -> None:
        self.url, self.password, self.shots, self.database = url, password, shots, database

    def edit_database(self, sql: str, *parameters: object) -> list[tuple]:
        """What someone with access to the database file does behind the server's back; the rows it answers."""
        connection = sqlite3.connect(self.database, timeout=30)
        try:
            with connection:
                return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def move_clock(self, minutes: int) -> float:
        """Move the server's clock forward; returns the server's now (POSIX seconds)."""
        request = urllib.request.Request(f"{self.url}/__test__/clock?minutes={minutes}", method="POST")
        now = json.loads(urllib.request.urlopen(request, timeout=10).read())["now"]
        return datetime.fromisoformat(now).timestamp()

    def checkin_token(self, code: str) -> str:
        return urllib.request.urlopen(f"{self.url}/__test__/token/{code}", timeout=10).read().decode()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    tmp = tmp_path_factory.mktemp("browser")
    port, password = _free_port(), "Pw-" + secrets.token_hex(8)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}, "BIANMIN_ENV": "test",
           "BIANMIN_VAR_DIR": str(tmp / "var"), "BIANMIN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "BIANMIN_RUN_WORKER": "true", "BIANMIN_LOG_LEVEL": "WARNING"}
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "tests.browser.serve", str(port), password], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)  # Sanic signals its process group: not pytest's
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 150
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the demo server did not start: see {tmp / 'server.log'}") from None
                time.sleep(0.5)
        shots = tmp / "screenshots"
        shots.mkdir()
        yield Site(url, password, shots, tmp / "var" / "bianmin.sqlite3")
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and anything it started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, site: Site):
    """A fresh browser context (no cookies) at 1366x768, the counter PC's screen."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(15_000)
    refused: list[str] = []  # the strict policy refusing something a page tried (inline code or style, a CDN)
    context.on("console", lambda message: refused.append(f"{message.location.get('url')}: {message.text}")
               if "Content Security Policy" in message.text else None)
    tab = context.new_page()
    yield tab
    context.close()
    assert refused == [], "CSP violations on console pages:\n" + "\n".join(refused)


def log_in(page, site: Site, username: str) -> None:
    """Username, password and, for an account with an authenticator, its one-time code (as a phone shows it)."""
    page.goto(f"{site.url}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", site.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if username in AUTHENTICATORS:
        assert page.url.endswith("/console/second-factor")
        # Focus the field first: typing can race the page's autofocus and go nowhere.
        page.focus("input[name=code]")
        enter(page, pyotp.TOTP(AUTHENTICATORS[username]).at(site.move_clock(1)))  # a step no other login used
    try:
        page.wait_for_url(f"{site.url}/console/", timeout=5_000)
    except Exception:  # say where the login stopped and what the page said
        raise AssertionError(f"login of {username} stopped at {page.url}: {page.locator('body').inner_text()[:300]}")


def shoot(page, site: Site, name: str) -> None:
    page.screenshot(path=str(site.shots / f"{name}.png"), full_page=False)


def follow(page, selector: str) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def enter(page, typed: str) -> None:
    """Type into the focused input and press Enter (a USB scanner does exactly this); wait for the answer."""
    page.keyboard.type(typed)
    with page.expect_navigation():
        page.keyboard.press("Enter")
