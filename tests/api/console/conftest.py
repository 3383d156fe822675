"""Console tests drive the pages as a browser would: cookies, forms with their CSRF token, redirects."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from sanic import Sanic

from server import accounts

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Browser(httpx.AsyncClient):
    """A cookie-keeping client on https (the test settings' public URL is https: cookies are Secure)."""

    async def form_token(self, path: str) -> str:
        page = await self.get(path)
        assert page.status_code == 200, page.text
        return CSRF.search(page.text).group(1)

    async def submit(self, path: str, data: dict[str, str], *, token_from: str | None = None) -> httpx.Response:
        token = await self.form_token(token_from or path)
        return await self.post(path, data={"csrf": token, **data})

    async def log_in(self, username: str, password: str) -> httpx.Response:
        return await self.submit("/console/login", {"username": username, "password": password})


@pytest.fixture
async def browser(app: Sanic) -> AsyncIterator[Browser]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with Browser(transport=transport, base_url="https://testserver", timeout=30) as http:
        yield http


async def make_user(role: str, *, halls: list[int] | None = None) -> tuple[str, str]:
    username, password = f"{role}-{secrets.token_hex(4)}", "pw-" + secrets.token_hex(8)
    await accounts.create_user(username=username, password=password, role=role, halls=halls or [])
    return username, password


@pytest.fixture
async def clerk(browser: Browser) -> Browser:
    """The browser, logged in as a clerk of no hall yet."""
    response = await browser.log_in(*await make_user("staff"))
    assert response.status_code == 303, response.text
    return browser
