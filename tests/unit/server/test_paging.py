"""The one keyset cursor codec every listing uses (server/paging.py)."""

from __future__ import annotations

import base64
import json
import string
from datetime import datetime, timedelta, timezone

import pytest

from server.paging import InvalidCursor, decode_cursor, encode_cursor, moment_and_id, next_cursor


@pytest.mark.parametrize(
    "key",
    [("2024-05-06T09:00:00+08:00", 42), (0.8125, "关于公租房的通知", 7), (None, True, -1), ()],
)
def test_cursor_round_trips_its_key(key: tuple) -> None:
    token = encode_cursor(key, scope="newest")
    assert decode_cursor(token, scope="newest") == key
    assert set(token) <= set(string.ascii_letters + string.digits + "-_")


def _forge(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a cursor",
        "abc$",
        "A",  # a base64 length that cannot be decoded
        "A" * 600,
        base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="),
        _forge({"scope": "newest"}),
        _forge(["newest", [[1, 2]]]),
        _forge(["newest", "42"]),
        _forge(["newest"]),
        base64.urlsafe_b64encode(b'["newest",[NaN]]').decode().rstrip("="),
    ],
)
def test_malformed_cursor_is_a_422_naming_the_cursor(token: str) -> None:
    with pytest.raises(InvalidCursor) as refused:
        decode_cursor(token, scope="newest")
    assert refused.value.status == 422
    assert refused.value.body()["error"]["details"]["fields"][0]["field"] == "cursor"


def test_cursor_from_another_sort_order_is_refused() -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor((1.5, 42), scope="relevance"), scope="newest")


def test_cursor_keys_must_be_json_scalars() -> None:
    with pytest.raises(TypeError):
        encode_cursor([object()])


def test_newest_first_position_round_trips_time_and_id() -> None:
    moment = datetime(2026, 12, 7, 9, 30, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    assert moment_and_id(next_cursor(moment, 42, scope="notices"), scope="notices") == (moment, 42)
    assert moment_and_id(None, scope="notices") is None


@pytest.mark.parametrize("key", [("not a time", 1), ("2026-12-07T09:00:00+08:00",), ("2026-12-07", "x"), (1, 2, 3)])
def test_newest_first_position_refuses_other_keys(key: tuple) -> None:
    with pytest.raises(InvalidCursor):
        moment_and_id(encode_cursor(key, scope="notices"), scope="notices")
