"""Every login path, /me, logout and phone binding, through HTTP on both backends."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from server import config, pii_vault
from server.tables import User
from tests.support.ids import random_phone


async def test_wechat_login_creates_a_resident_and_hides_the_session_key(client, wx):
    code = wx.login_code(openid="oWx_resident_1", unionid="uUnion1")
    response = await client.post("/api/v1/auth/wechat", json={"code": code})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"token", "expires_at", "user", "state"} and body["state"] == "ok"
    assert body["user"] == {"id": body["user"]["id"], "role": "resident", "nickname": "", "phone": None,
                            "home": None, "coord": "wgs84", "halls": []}
    stored = await User.get(openid="oWx_resident_1")
    assert stored.unionid == "uUnion1"
    session_key = wx.state.login_codes[code]["session_key"]
    assert session_key not in response.text
    assert session_key not in (stored.wechat_session_key_enc or "")
    assert pii_vault.vault().decrypt(stored.wechat_session_key_enc, context="user.session_key") == session_key
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json() == body["user"]


async def test_same_openid_logs_into_the_same_account(client, wx):
    first = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid="oSame")})
    second = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid="oSame")})
    assert first.json()["user"]["id"] == second.json()["user"]["id"]
    assert first.json()["token"] != second.json()["token"]


@pytest.mark.parametrize(("errcode", "status", "code"), [
    (40029, 401, "invalid_code"),
    (45011, 429, "wechat_rate_limited"),
    (40226, 503, "wechat_unavailable"),
])
async def test_wechat_login_errors(client, wx, errcode, status, code):
    wx.fail_next("/sns/jscode2session", errcode)
    response = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code()})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    if status == 429:
        assert int(response.headers["retry-after"]) > 0


async def test_a_used_or_unknown_code_is_invalid(client, wx):
    code = wx.login_code()
    assert (await client.post("/api/v1/auth/wechat", json={"code": code})).status_code == 200
    reused = await client.post("/api/v1/auth/wechat", json={"code": code})
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "invalid_code"
    unknown = await client.post("/api/v1/auth/wechat", json={"code": "never-issued"})
    assert unknown.json()["error"]["code"] == "invalid_code"


async def test_unreachable_wechat_is_503(client, wx, db):
    from server import storage, wechat

    dead = dataclasses.replace(db.settings, wechat_api_base="http://127.0.0.1:9")
    wechat.install(wechat.WeChat(settings=dead, storage=storage.current()))
    try:
        response = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code()})
    finally:
        wechat.install(wechat.WeChat(settings=db.settings, storage=storage.current()))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "wechat_unavailable"


async def test_busy_wechat_is_retried(client, wx):
    wx.fail_next("/sns/jscode2session", -1, times=2)
    response = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code()})
    assert response.status_code == 200
    assert wx.state.calls["/sns/jscode2session"] == 3


async def test_dev_login_is_404_when_off(client, db):
    config.install(dataclasses.replace(db.settings, dev_login=False))
    try:
        response = await client.post("/api/v1/auth/dev", json={"openid": "someone"})
    finally:
        config.install(db.settings)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_staff_login_and_wrong_password(client):
    from server import accounts

    await accounts.create_user(username="Clerk.Li", password="correct horse", role="staff", halls=[3, 1])
    ok = await client.post("/api/v1/auth/staff", json={"username": "clerk.li", "password": "correct horse"})
    assert ok.status_code == 200
    assert ok.json()["user"]["role"] == "staff" and ok.json()["user"]["halls"] == [1, 3]
    bad = await client.post("/api/v1/auth/staff", json={"username": "clerk.li", "password": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_credentials"
    nobody = await client.post("/api/v1/auth/staff", json={"username": "ghost", "password": "x"})
    assert nobody.status_code == 401 and nobody.json()["error"]["code"] == "invalid_credentials"


async def test_residents_cannot_log_in_as_staff(client, wx):
    await client.login_dev(openid="resident-x")
    response = await client.post("/api/v1/auth/staff", json={"username": "dev-resident-x", "password": ""})
    assert response.status_code == 422  # empty password rejected before any lookup


async def test_staff_lockout_after_five_failures(client):
    from server import accounts

    await accounts.create_user(username="clerk.wang", password="right password", role="staff")
    for _ in range(5):
        response = await client.post("/api/v1/auth/staff", json={"username": "clerk.wang", "password": "nope"})
        assert response.status_code == 401
    locked = await client.post("/api/v1/auth/staff", json={"username": "clerk.wang", "password": "right password"})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(locked.headers["retry-after"]) <= 900
    other = await client.login_staff(username="clerk.zhao")  # another name is not locked
    assert other["Authorization"].startswith("Bearer ")


async def test_me_update_and_logout(client):
    headers = await client.login_dev(openid="alice", nickname="小王")
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["nickname"] == "小王"
    updated = await client.patch("/api/v1/me", headers=headers,
                                 json={"nickname": "王小明", "home": {"lon": 114.1315, "lat": 22.5485}})
    assert updated.status_code == 200
    assert updated.json()["nickname"] == "王小明"
    assert updated.json()["home"] == {"lon": 114.1315, "lat": 22.5485}
    bad = await client.patch("/api/v1/me", headers=headers, json={"home": {"lon": 200, "lat": 22}})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "home.lon"
    out = await client.post("/api/v1/auth/logout", headers=headers)
    assert out.status_code == 204
    after = await client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401 and after.json()["error"]["code"] == "unauthorized"


async def test_home_is_kept_in_wgs84_and_answered_in_the_system_asked_for(client):
    headers = await client.login_dev()
    gcj = {"lon": 114.136, "lat": 22.545}
    # GCJ-02 of a point in Shenzhen lies a few hundred metres from its WGS-84 position.
    response = await client.patch("/api/v1/me", headers=headers, json={"home": gcj, "coord": "gcj02"})
    assert response.json()["coord"] == "gcj02"
    assert response.json()["home"] == pytest.approx(gcj, abs=1e-6)  # the inverse is iterative: < 0.5 m
    wgs = (await client.get("/api/v1/me", headers=headers)).json()
    assert wgs["coord"] == "wgs84"
    assert 114.125 < wgs["home"]["lon"] < 114.1355 and 22.54 < wgs["home"]["lat"] < 22.548
    again = (await client.get("/api/v1/me", params={"coord": "gcj02"}, headers=headers)).json()
    assert again["home"] == pytest.approx(gcj, abs=1e-6)
    baidu = (await client.get("/api/v1/me", params={"coord": "bd09"}, headers=headers)).json()["home"]
    assert baidu["lon"] - gcj["lon"] > 0.005 and baidu["lat"] - gcj["lat"] > 0.005  # BD-09 lies further NE
    bad = await client.get("/api/v1/me", params={"coord": "utm"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "coord"


async def test_home_in_a_patch_follows_coord_in_the_query_as_in_get_me(client):
    # The map endpoints and GET /me take ?coord=; a PATCH with ?coord=gcj02 must not read its home as WGS-84.
    headers = await client.login_dev(openid="gcj-query")
    gcj = {"lon": 114.136, "lat": 22.545}
    response = await client.patch("/api/v1/me", params={"coord": "gcj02"}, headers=headers, json={"home": gcj})
    assert response.status_code == 200, response.text
    assert response.json()["coord"] == "gcj02" and response.json()["home"] == pytest.approx(gcj, abs=1e-6)
    wgs = (await client.get("/api/v1/me", headers=headers)).json()["home"]
    assert 114.125 < wgs["lon"] < 114.1355 and 22.54 < wgs["lat"] < 22.548  # kept as the WGS-84 of what was sent
    same = await client.patch("/api/v1/me", params={"coord": "gcj02"}, headers=headers,
                              json={"home": gcj, "coord": "gcj02"})
    assert same.status_code == 200 and same.json()["home"] == pytest.approx(gcj, abs=1e-6)
    both = await client.patch("/api/v1/me", params={"coord": "gcj02"}, headers=headers,
                              json={"home": {"lon": 114.0, "lat": 22.6}, "coord": "wgs84"})
    assert both.status_code == 422 and both.json()["error"]["details"]["fields"][0]["field"] == "coord"
    bad = await client.patch("/api/v1/me", params={"coord": "utm"}, headers=headers, json={"home": gcj})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "coord"
    kept = (await client.get("/api/v1/me", params={"coord": "gcj02"}, headers=headers)).json()["home"]
    assert kept == pytest.approx(gcj, abs=1e-6)  # neither refused request changed the home


async def test_missing_or_bad_token_is_401(client):
    assert (await client.get("/api/v1/me")).status_code == 401
    bad = await client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"
    wrong_scheme = await client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
    assert wrong_scheme.status_code == 401


async def test_phone_binding_is_encrypted_and_masked(client, wx, caplog):
    headers = await client.login_dev(openid="bob")
    phone = random_phone()
    with caplog.at_level(logging.INFO):
        response = await client.post("/api/v1/auth/phone", headers=headers, json={"code": wx.phone_code(phone)})
        logging.getLogger("bianmin.test").info("bound phone %s for bob", phone)
    assert response.status_code == 200
    assert response.json()["phone"] == phone[:3] + "****" + phone[-4:]
    stored = await User.get(openid="dev-bob")
    assert phone not in (stored.phone_enc or "")
    assert stored.phone_hash == pii_vault.vault().lookup_hash(phone, kind="phone")
    assert phone not in response.text
    assert phone not in caplog.text and phone[:3] + "****" + phone[-4:] in caplog.text
    again = await client.post("/api/v1/auth/phone", headers=headers, json={"code": "phone-unknown"})
    assert again.status_code == 401 and again.json()["error"]["code"] == "invalid_code"


async def test_delete_account_leaves_no_personal_data(client, wx):
    code = wx.login_code(openid="oToDelete", unionid="uDelete")
    login = (await client.post("/api/v1/auth/wechat", json={"code": code})).json()
    headers = {"Authorization": f"Bearer {login['token']}"}
    await client.post("/api/v1/auth/phone", headers=headers, json={"code": wx.phone_code(random_phone())})
    await client.patch("/api/v1/me", headers=headers, json={"nickname": "张三", "home": {"lon": 114.1, "lat": 22.5}})
    response = await client.delete("/api/v1/me", headers=headers)
    assert response.status_code == 200 and response.json() == {"deleted": True}
    user = await User.get(id=login["user"]["id"])
    personal = (user.openid, user.unionid, user.phone_enc, user.phone_hash, user.home_lon, user.home_lat,
                user.wechat_session_key_enc)
    assert personal == (None,) * 7 and user.nickname == "" and user.deleted_at is not None
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    fresh = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid="oToDelete")})
    assert fresh.json()["user"]["id"] != login["user"]["id"]  # a new, empty account
