"""A developer on another port, by the README: `bianmin serve --port X` (what `make run PORT=X` runs) with the fake
WeChat started by hand. One server start (CI budget), on a terminal, since Sanic says "PRODUCTION" only to one."""

from __future__ import annotations

import io
import os
import pty
import re
import shlex
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import PIL.Image
import pytest
import zxingcpp

from tests.integration.bulletin.gazette_support import published
from tests.integration.server.test_multiworker import free_port

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ATOM = "{http://www.w3.org/2005/Atom}"


class Terminal:
    """A pseudo-terminal a child writes to, read on a thread so that the child never blocks on a full buffer."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.chunks: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the child closed its side
                return
            if not data:
                return
            self.chunks.append(data.decode(errors="replace"))

    def text(self) -> str:
        return "".join(self.chunks)

    def wait_for(self, marker: str, proc: subprocess.Popen, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while marker not in self.text() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker in self.text(), f"no {marker!r} in the output:\n{self.text()}"
        return self.text()


def readme_block(after: str) -> list[str]:
    """The lines of the README's first ```sh block after the sentence ``after``."""
    block = re.search(r"```sh\n(.*?)```", README[README.index(after):], re.DOTALL)[1]
    return [line.split("   #")[0].strip() for line in block.splitlines() if line.strip()]


def curl(line: str, values: dict[str, str]) -> httpx.Response:
    """Run a README curl line with httpx, its placeholders (ports, codes, token) replaced by ``values``."""
    for placeholder, value in values.items():
        line = line.replace(placeholder, value)
    words, method, headers, data, url = iter(shlex.split(line)[1:]), "GET", {}, None, ""
    for word in words:
        if word == "-X":
            method = next(words)
        elif word == "-H":
            name, _, given = next(words).partition(":")
            headers[name] = given.strip()
        elif word == "-d":
            data = next(words)
        else:
            url = word
    return httpx.request(method, url, headers=headers, content=data, timeout=30)


@pytest.fixture
def fake_wechat_by_hand():
    proc = subprocess.Popen([sys.executable, "-m", "tests.fake_wechat", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    first = proc.stdout.readline()
    yield re.search(r"fake WeChat on (http://127\.0\.0\.1:\d+)", first)[1]
    proc.terminate()
    proc.wait(timeout=10)


async def test_on_another_port_links_follow_it_logins_by_hand_work_and_it_starts_once_quietly(
        backend, db, tmp_path, fake_wechat_by_hand):
    if backend.is_postgres:
        pytest.skip("one server start for CI; `bianmin serve` on PostgreSQL + Redis: test_multiworker.py")
    document = await published("另一个端口上的通知")
    port = free_port()
    start, logins = readme_block("trying logins by hand"), readme_block("in a third terminal")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIANMIN_", "SANIC_"))}
    env.update(dict(word.split("=", 1) for word in start[1].split() if word.startswith("BIANMIN_")))
    env.update(BIANMIN_WECHAT_API_BASE=fake_wechat_by_hand, BIANMIN_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT),
               BIANMIN_DATABASE_URL=backend.settings.database_url)
    assert start[1].endswith("make run") and start[0] == "python -m tests.fake_wechat --port 9999"

    terminal = Terminal()
    server = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=terminal.slave,
                              stderr=terminal.slave, start_new_session=True)
    os.close(terminal.slave)
    base = f"http://127.0.0.1:{port}"
    try:
        terminal.wait_for("Worker ready", server)
        values = {"http://127.0.0.1:9999": fake_wechat_by_hand, "http://127.0.0.1:8000": base}
        values["code-…"] = curl(logins[0], values).json()["code"]
        login = curl(logins[1], values)
        assert login.status_code == 200, login.text
        values.update({"TOKEN": login.json()["token"], "phone-…": curl(logins[2], values).json()["code"]})
        bound = curl(logins[3], values)
        assert bound.status_code == 200 and bound.json()["phone"] == "138****8000", bound.text

        page = httpx.get(f"{base}/d/{document}").text
        assert f'<meta property="og:url" content="{base}/d/{document}">' in page
        feed = ET.fromstring(httpx.get(f"{base}/gazette/feed.xml").content)
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{base}/gazette/feed.xml"
        assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [f"{base}/d/{document}"]
        qr = httpx.get(f"{base}/api/v1/gazette/documents/{document}/qr.png").content
        assert [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(qr)))] == [f"{base}/d/{document}"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        terminal.reader.join(timeout=5)
        os.close(terminal.master)
    output = terminal.text()
    assert output.count(f"listening on {base}") == 1 and output.count(f"public base URL {base}") == 1, output
    assert "production" not in output.lower(), output
