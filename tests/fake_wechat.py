"""A fake WeChat server API: a real HTTP server on loopback with WeChat's shapes and error codes.

It answers the endpoints bianmin calls, issues and checks access tokens, makes login and
phone codes single-use, records every subscribe message, and has switches to make each
endpoint fail with an errcode (``fail_next``) or an HTTP 5xx from the gateway (``fail_http``),
stall (``stall``, which a client with a short timeout sees as a timeout), expire tokens, or refuse
messages.

Run it standalone for manual testing: ``python -m tests.fake_wechat --port 9999``; it prints a login and a
phone code, and mints more at ``GET /fake/login-code?openid=`` and ``GET /fake/phone-code?phone=``.
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
import select
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import qrcode

ERRORS = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid",
    40013: "invalid appid",
    40029: "invalid code",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40163: "code been used",
    41030: "invalid page",
    42001: "access_token expired",
    43101: "user refuse to accept the msg",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47003: "argument invalid! data.thing1.value invalid",
    87014: "risky content",
}
TOKEN_PATHS = {
    "/wxa/business/getuserphonenumber",
    "/cgi-bin/message/subscribe/send",
    "/wxa/getwxacodeunlimit",
    "/wxa/msg_sec_check",
    "/wxa/img_sec_check",
}
RISKY_WORDS = ("赌博", "诈骗", "枪支")
RISKY_IMAGE_MARK = b"RISKY-IMAGE"  # an image whose bytes hold this is judged risky


@dataclass
class FakeWeChatState:
    appid: str = "wxfake0000000001"
    secret: str = "fake-secret"
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch)
    token_fetches: int = 0
    login_codes: dict[str, dict[str, str]] = field(default_factory=dict)
    phone_codes: dict[str, str] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: set[tuple[str, str]] = field(default_factory=set)  # (openid, template_id)
    templates: set[str] | None = None  # None: accept any template id
    failures: dict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    http_failures: dict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    stalls: dict[str, threading.Event] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)


class Stall(threading.Event):
    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()


def _client_gone(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class FakeWeChat:
    """Start with ``FakeWeChat().start()``; ``base_url`` goes into BIANMIN_WECHAT_API_BASE."""

    def __init__(self, *, appid: str = "wxfake0000000001", secret: str = "fake-secret", port: int = 0):
        self.state = FakeWeChatState(appid=appid, secret=secret)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWeChat:
        self._thread.start()
        return self

    def stop(self) -> None:
        for event in self.state.stalls.values():
            event.set()
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        """Forget everything but the app credentials (between tests)."""
        with self.state.lock:
            for event in self.state.stalls.values():
                event.set()
            fresh = FakeWeChatState(appid=self.state.appid, secret=self.state.secret)
            for name in fresh.__dataclass_fields__:
                if name not in ("appid", "secret", "lock"):
                    setattr(self.state, name, getattr(fresh, name))

    # --- switches -------------------------------------------------------------------------
    def login_code(self, *, openid: str | None = None, unionid: str | None = None) -> str:
        """Register a wx.login() code that jscode2session will accept once."""
        return _mint_login_code(self.state, openid=openid, unionid=unionid)

    def phone_code(self, phone: str) -> str:
        """Register a getPhoneNumber code for ``phone`` (11 digits)."""
        return _mint_phone_code(self.state, phone)

    def fail_next(self, path: str, errcode: int, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` answer ``errcode``."""
        self.state.failures[path].extend([errcode] * times)

    def fail_http(self, path: str, status: int = 502, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` get an HTML error page with HTTP ``status`` (a gateway
        in front of WeChat failing); the call is not processed."""
        self.state.http_failures[path].extend([status] * times)

    def stall(self, path: str) -> Stall:
        """Calls to ``path`` hang (before being processed) until the returned event is set.

        ``.arrived`` is set when a call is waiting. A waiting call whose client has gone away by the
        time it is released is dropped unprocessed, as WeChat never sees a request that was not sent.
        """
        event = Stall()
        self.state.stalls[path] = event
        return event

    def expire_tokens(self) -> None:
        """Every issued access token now answers 42001."""
        with self.state.lock:
            self.state.tokens = {t: 0.0 for t in self.state.tokens}

    def refuse(self, openid: str, template_id: str) -> None:
        """That user has refused (or never granted) that template: 43101."""
        self.state.refused.add((openid, template_id))

    @property
    def sent(self) -> list[dict[str, Any]]:
        return list(self.state.sent)


def _mint_login_code(state: FakeWeChatState, *, openid: str | None = None, unionid: str | None = None) -> str:
    code = "code-" + secrets.token_hex(8)
    entry = {"openid": openid or "o" + secrets.token_hex(13), "session_key": secrets.token_urlsafe(16)}
    if unionid:
        entry["unionid"] = unionid
    with state.lock:
        state.login_codes[code] = entry
    return code


def _mint_phone_code(state: FakeWeChatState, phone: str) -> str:
    code = "phone-" + secrets.token_hex(8)
    with state.lock:
        state.phone_codes[code] = phone
    return code


class _Handler(BaseHTTPRequestHandler):
    state: FakeWeChatState
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._dispatch(body=None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if (self.headers.get("Content-Type") or "").startswith("multipart/form-data"):
            return self._dispatch(body={"multipart": raw})
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._json({"errcode": 47001, "errmsg": "data format error"})
        self._dispatch(body=body)

    def _dispatch(self, body: dict[str, Any] | None) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        stall = self.state.stalls.get(path)
        if stall is not None:
            stall.arrived.set()
            stall.wait(timeout=120)
            if _client_gone(self.connection):
                self.close_connection = True
                return
        with self.state.lock:
            self.state.calls[path] += 1
            queued = self.state.failures.get(path)
            forced = queued.popleft() if queued else None
            gateway = self.state.http_failures.get(path)
            http_status = gateway.popleft() if gateway else None
        if http_status is not None:
            page = f"<html><body><h1>{http_status}</h1>upstream error</body></html>".encode()
            return self._send(page, "text/html; charset=utf-8", http_status)
        if forced is not None:
            return self._error(forced)
        route = ROUTES.get(path)
        if route is None:
            return self._json({"errcode": 404, "errmsg": "not found"}, status=404)
        if path in TOKEN_PATHS:
            expiry = self.state.tokens.get(query.get("access_token", ""))
            if expiry is None:
                return self._error(40001)
            if expiry < time.time():
                return self._error(42001)
        route(self, query, body or {})

    def _error(self, errcode: int) -> None:
        self._json({"errcode": errcode, "errmsg": ERRORS.get(errcode, "error")})

    def _json(self, payload: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(data, "application/json; charset=utf-8", status)

    def _send(self, data: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _token(h: _Handler, q: dict[str, str], _body: dict[str, Any]) -> None:
    if q.get("grant_type") != "client_credential":
        return h._json({"errcode": 40002, "errmsg": "invalid grant_type"})
    if q.get("appid") != h.state.appid:
        return h._error(40013)
    if q.get("secret") != h.state.secret:
        return h._error(40125)
    token = secrets.token_urlsafe(48)
    with h.state.lock:
        h.state.token_fetches += 1
        h.state.tokens[token] = time.time() + 7200
    h._json({"access_token": token, "expires_in": 7200})


def _take_code(h: _Handler, code: str, table: dict[str, Any]) -> Any:
    with h.state.lock:
        if code in h.state.used_codes:
            return 40163
        if code not in table:
            return 40029
        h.state.used_codes.add(code)
        return table[code]


def _jscode2session(h: _Handler, q: dict[str, str], _body: dict[str, Any]) -> None:
    if q.get("appid") != h.state.appid or q.get("secret") != h.state.secret:
        return h._error(40013 if q.get("appid") != h.state.appid else 40125)
    found = _take_code(h, q.get("js_code", ""), h.state.login_codes)
    if isinstance(found, int):
        return h._error(found)
    h._json(dict(found))


def _phone(h: _Handler, _q: dict[str, str], body: dict[str, Any]) -> None:
    found = _take_code(h, str(body.get("code", "")), h.state.phone_codes)
    if isinstance(found, int):
        return h._error(40029 if found == 40163 else found)
    info = {"phoneNumber": found, "purePhoneNumber": found, "countryCode": "86",
            "watermark": {"timestamp": int(time.time()), "appid": h.state.appid}}
    h._json({"errcode": 0, "errmsg": "ok", "phone_info": info})


def _subscribe_send(h: _Handler, _q: dict[str, str], body: dict[str, Any]) -> None:
    openid, template_id = str(body.get("touser", "")), str(body.get("template_id", ""))
    if not openid:
        return h._error(40003)
    if not template_id or (h.state.templates is not None and template_id not in h.state.templates):
        return h._error(40037)
    if not isinstance(body.get("data"), dict) or not all(
        isinstance(v, dict) and "value" in v for v in body["data"].values()
    ):
        return h._error(47003)
    if (openid, template_id) in h.state.refused:
        return h._error(43101)
    with h.state.lock:
        h.state.sent.append(body)
        msgid = len(h.state.sent)
    h._json({"errcode": 0, "errmsg": "ok", "msgid": msgid})


def _wxacode(h: _Handler, _q: dict[str, str], body: dict[str, Any]) -> None:
    scene, page = str(body.get("scene", "")), body.get("page") or "pages/index/index"
    if not scene or len(scene) > 32:
        return h._json({"errcode": 40097, "errmsg": "invalid args"})
    if page.startswith("/"):
        return h._error(41030)
    # A real mini-program code is not a QR code; the fake draws a QR code of page?scene=...
    # so tests can decode what WeChat was asked to encode.
    image = qrcode.make(f"{page}?scene={scene}")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    h._send(buffer.getvalue(), "image/jpeg")


def _msg_sec_check(h: _Handler, _q: dict[str, str], body: dict[str, Any]) -> None:
    if body.get("version") != 2 or not body.get("openid"):
        return h._json({"errcode": 47003, "errmsg": "argument invalid!"})
    risky = any(word in str(body.get("content", "")) for word in RISKY_WORDS)
    result = {"suggest": "risky", "label": 20001} if risky else {"suggest": "pass", "label": 100}
    h._json({"errcode": 0, "errmsg": "ok", "result": result, "detail": [], "trace_id": secrets.token_hex(8)})


def _fake_login_code(h: _Handler, q: dict[str, str], _body: dict[str, Any]) -> None:
    """Not WeChat: mints a code as wx.login() would give the phone (for trying logins by hand)."""
    openid = q.get("openid") or None
    h._json({"code": _mint_login_code(h.state, openid=openid), "openid": openid})


def _fake_phone_code(h: _Handler, q: dict[str, str], _body: dict[str, Any]) -> None:
    """Not WeChat: mints a code as <button open-type="getPhoneNumber"> would give the phone."""
    phone = q.get("phone", "13800138000")
    if not (len(phone) == 11 and phone.isdigit()):
        return h._json({"errcode": 40097, "errmsg": "invalid args: phone must be 11 digits"}, status=400)
    h._json({"code": _mint_phone_code(h.state, phone), "phone": phone})


def _img_sec_check(h: _Handler, _q: dict[str, str], body: dict[str, Any]) -> None:
    raw = body.get("multipart") or b""
    if b'name="media"' not in raw:
        return h._json({"errcode": 41005, "errmsg": "media data missing"})
    if RISKY_IMAGE_MARK in raw:
        return h._json({"errcode": 87014, "errmsg": "risky content"})
    h._json({"errcode": 0, "errmsg": "ok"})


ROUTES = {
    "/cgi-bin/token": _token,
    "/sns/jscode2session": _jscode2session,
    "/wxa/business/getuserphonenumber": _phone,
    "/cgi-bin/message/subscribe/send": _subscribe_send,
    "/wxa/getwxacodeunlimit": _wxacode,
    "/wxa/msg_sec_check": _msg_sec_check,
    "/fake/login-code": _fake_login_code,
    "/fake/phone-code": _fake_phone_code,
    "/wxa/img_sec_check": _img_sec_check,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake WeChat API server for manual testing")
    parser.add_argument("--port", type=int, default=9999, help="0 picks a free port")
    args = parser.parse_args(argv)
    fake = FakeWeChat(port=args.port).start()
    base = fake.base_url
    print(f"fake WeChat on {base} (appid {fake.state.appid}, secret {fake.state.secret})\n"
          f"  serve bianmin with BIANMIN_WECHAT_API_BASE={base} BIANMIN_WECHAT_APPID={fake.state.appid} "
          f"BIANMIN_WECHAT_SECRET={fake.state.secret}\n"
          f"  a login code (single use): curl '{base}/fake/login-code?openid=oResident1'\n"
          f"  a phone code (single use): curl '{base}/fake/phone-code?phone=13800138000'\n"
          f"  ready now: login code {fake.login_code(openid='oResident1')}, "
          f"phone code {fake.phone_code('13800138000')}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
