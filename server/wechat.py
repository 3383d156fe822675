"""The WeChat seam: the only module that imports wechatpy.

wechatpy is synchronous, so every call runs in a thread. The API base URL comes from
settings (tests point it at a fake server on loopback). The access token lives in Redis,
shared by every worker and fetched under a Redis lock so that a cold start of many workers
fetches it once. A stale token (40001/42001/40014) is refreshed once and the call retried;
"system busy" (-1) is retried a bounded number of times with backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from redis.exceptions import RedisError
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from server import errors
from server.config import Settings
from server.storage import Storage

log = logging.getLogger("bianmin.wechat")
T = TypeVar("T")

STALE_TOKEN_CODES = {40001, 40014, 42001}
BUSY = -1
BUSY_RETRIES = 3
BUSY_BACKOFF_S = 0.2
TOKEN_EARLY_REFRESH_S = 300
RISKY_CONTENT = 87014
HTTP_TIMEOUT_S = 5


class WeChatError(Exception):
    """WeChat answered with a non-zero errcode."""

    def __init__(self, errcode: int, errmsg: str):
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"WeChat error {errcode}: {errmsg}")


class WeChatUnavailable(errors.ServiceUnavailable):
    code = "wechat_unavailable"
    message = "微信服务暂时不可用，请稍后再试"


class TokenStoreUnavailable(WeChatUnavailable):
    """The shared access token cannot be read or stored: Redis is down, WeChat is not."""


class WeChatRateLimited(errors.TooManyRequests):
    code = "wechat_rate_limited"
    message = "微信接口调用过于频繁，请稍后再试"


class InvalidCode(errors.Unauthorized):
    code = "invalid_code"
    message = "微信登录凭证无效或已过期，请重新登录"


class _Client(WeChatClient):
    """wechatpy's client with our base URL and a Redis-locked, shared token fetch."""

    def __init__(self, *, settings: Settings, storage: Storage):
        session = RedisStorage(storage.redis_sync, prefix=storage.key("wechat"))
        super().__init__(settings.wechat_appid, settings.wechat_secret, session=session,
                         timeout=HTTP_TIMEOUT_S, auto_retry=False)
        self.API_BASE_URL = f"{settings.wechat_api_base}/cgi-bin/"
        self.wxa.API_BASE_URL = f"{settings.wechat_api_base}/"
        self._base = settings.wechat_api_base
        self._lock = storage.redis_sync.lock(storage.key("wechat", "token-lock"), timeout=15, blocking_timeout=15)

    @property
    def access_token(self) -> str:
        return self.session.get(self.access_token_key) or self._fetch_shared_token()

    def _fetch_shared_token(self) -> str:
        with self._lock:
            token = self.session.get(self.access_token_key)
            if token:  # another worker fetched it while we waited for the lock
                return token
            result = self._fetch_access_token(
                url=f"{self._base}/cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            )
            ttl = max(60, int(result.get("expires_in", 7200)) - TOKEN_EARLY_REFRESH_S)
            self.session.set(self.access_token_key, result["access_token"], ttl)
            return result["access_token"]

    def forget_token(self, stale: str | None) -> None:
        if stale is None or self.session.get(self.access_token_key) == stale:
            self.session.delete(self.access_token_key)


class WeChat:
    """Async facade over the WeChat server API calls bianmin makes."""

    def __init__(self, *, settings: Settings, storage: Storage):
        self._client = _Client(settings=settings, storage=storage)

    async def _call(self, fn: Callable[[_Client], T], *, needs_token: bool = True) -> T:
        """Run ``fn`` in a thread with the shared access token (read first, so a stale one can be
        refreshed); ``needs_token=False`` for calls signed with the app secret instead (jscode2session),
        which then work while Redis, where the token lives, is down."""
        refreshed = False
        attempt = 0
        while True:
            token = None
            try:
                def run() -> T:
                    nonlocal token
                    if needs_token:
                        token = self._client.access_token
                    return fn(self._client)
                return await asyncio.to_thread(run)
            except WeChatClientException as exc:
                code = int(exc.errcode) if exc.errcode is not None else None
                if code is None:
                    raise WeChatUnavailable(details={"reason": "http_error"}) from exc
                if code in STALE_TOKEN_CODES and needs_token and not refreshed:
                    log.info("wechat access token rejected (%s); refreshing once", code)
                    await asyncio.to_thread(self._client.forget_token, token)
                    refreshed = True
                    continue
                if code == BUSY and attempt < BUSY_RETRIES:
                    attempt += 1
                    await asyncio.sleep(BUSY_BACKOFF_S * 2 ** (attempt - 1))
                    continue
                raise WeChatError(code, str(exc.errmsg)) from exc
            except requests.RequestException as exc:
                raise WeChatUnavailable(details={"reason": type(exc).__name__}) from exc
            except RedisError as exc:  # the shared access token cannot be read or stored
                log.warning("wechat access token unavailable: %s", type(exc).__name__)
                raise TokenStoreUnavailable(details={"reason": "token_store_unavailable"}) from exc

    async def code_to_session(self, code: str) -> dict[str, Any]:
        """jscode2session: {"openid", "session_key", "unionid"?}.

        Signed with the app secret: no access token is read or sent (wechatpy would add one to the URL).
        """
        params = {"appid": self._client.appid, "secret": self._client.secret, "js_code": code,
                  "grant_type": "authorization_code", "access_token": None}  # None: requests leaves it out
        return await self._call(lambda c: c.wxa._get("sns/jscode2session", params=params), needs_token=False)

    async def user_phone_number(self, code: str) -> str:
        """getuserphonenumber: the pure (national) phone number for a getPhoneNumber code."""
        result = await self._call(
            lambda c: c.post("wxa/business/getuserphonenumber", data={"code": code}, api_base_url=f"{c._base}/")
        )
        return str(result["phone_info"]["purePhoneNumber"])

    async def send_subscribe_message(self, *, openid: str, template_id: str, data: dict[str, Any],
                                     page: str | None = None) -> dict[str, Any]:
        """subscribeMessage.send; values are wrapped as {"key": {"value": ...}}."""
        payload = {k: (v if isinstance(v, dict) else {"value": v}) for k, v in data.items()}
        return await self._call(lambda c: c.wxa.send_subscribe_message(openid, template_id, payload, page=page))

    async def wxacode_unlimited(self, *, scene: str, page: str | None = None, width: int = 430) -> bytes:
        """getwxacodeunlimit: the image bytes of a mini-program code."""
        result = await self._call(lambda c: c.wxa.get_wxa_code_unlimited(scene, width=width, page=page))
        if isinstance(result, dict):  # WeChat answered JSON without an errcode: not an image
            raise WeChatError(int(result.get("errcode", -1)), str(result.get("errmsg", "not an image")))
        return result.content

    async def msg_sec_check(self, *, openid: str, content: str, scene: int = 2) -> bool:
        """msg_sec_check v2: True when WeChat suggests "pass"."""
        result = await self._call(lambda c: c.post(
            "wxa/msg_sec_check", data={"content": content, "version": 2, "scene": scene, "openid": openid},
            api_base_url=f"{c._base}/",
        ))
        return result.get("result", {}).get("suggest", "pass") == "pass"

    async def img_sec_check(self, *, data: bytes, content_type: str) -> bool:
        """img_sec_check (multipart field ``media``): True unless WeChat finds the image risky (87014)."""
        try:
            await self._call(lambda c: c.post(
                "wxa/img_sec_check", files={"media": ("media", data, content_type)}, api_base_url=f"{c._base}/"))
        except WeChatError as exc:
            if exc.errcode == RISKY_CONTENT:
                return False
            raise
        return True


def login_error(exc: WeChatError) -> errors.DomainError:
    """Map a WeChat error during login to what the client is told."""
    if exc.errcode in (40029, 40163):
        return InvalidCode(details={"errcode": exc.errcode})
    if exc.errcode in (45011, 45009):
        return WeChatRateLimited(retry_after=60, errcode=exc.errcode)
    return WeChatUnavailable(details={"errcode": exc.errcode})


_current: WeChat | None = None


def install(client: WeChat | None) -> None:
    global _current
    _current = client


def client() -> WeChat:
    """This process's WeChat facade (installed when storage opens)."""
    if _current is None:
        raise RuntimeError("WeChat client is not installed")
    return _current
