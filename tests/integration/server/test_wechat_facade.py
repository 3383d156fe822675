"""The WeChat seam against the fake WeChat server: shared token, refresh, retries, real shapes."""

from __future__ import annotations

import asyncio
import io

import pytest
import zxingcpp
from PIL import Image

from server import storage, wechat


def facade(db) -> wechat.WeChat:
    return wechat.WeChat(settings=db.settings, storage=storage.current())


async def test_two_workers_fetch_the_access_token_once(db, wx):
    first, second = facade(db), facade(db)  # two processes' facades sharing Redis
    results = await asyncio.gather(*(client.msg_sec_check(openid="o1", content="你好") for client in
                                     [first, second] * 3))
    assert all(results)
    assert wx.state.token_fetches == 1


async def test_login_codes_are_exchanged_without_an_access_token(db, wx):
    """jscode2session is signed with the app secret: logins need neither a token nor Redis, where it lives."""
    result = await facade(db).code_to_session(wx.login_code(openid="oNoToken"))
    assert result["openid"] == "oNoToken"
    assert wx.state.token_fetches == 0


async def test_expired_token_is_refreshed_once_and_the_call_retried(db, wx):
    client = facade(db)
    await client.msg_sec_check(openid="o1", content="你好")
    wx.expire_tokens()
    assert await client.msg_sec_check(openid="o1", content="社区长者饭堂开业") is True
    assert wx.state.token_fetches == 2


async def test_invalid_credential_40001_refreshes(db, wx):
    client = facade(db)
    assert await client.msg_sec_check(openid="o1", content="你好") is True
    wx.fail_next("/wxa/msg_sec_check", 40001)
    assert await client.msg_sec_check(openid="o1", content="你好") is True
    assert wx.state.token_fetches == 2


async def test_persistent_token_errors_are_not_retried_forever(db, wx):
    client = facade(db)
    wx.fail_next("/wxa/msg_sec_check", 40001, times=5)
    with pytest.raises(wechat.WeChatError) as raised:
        await client.msg_sec_check(openid="o1", content="你好")
    assert raised.value.errcode == 40001
    assert wx.state.calls["/wxa/msg_sec_check"] == 2


async def test_system_busy_is_retried_with_a_bound(db, wx):
    client = facade(db)
    wx.fail_next("/cgi-bin/message/subscribe/send", -1, times=10)
    with pytest.raises(wechat.WeChatError) as raised:
        await client.send_subscribe_message(openid="o1", template_id="t", data={"thing1": "x"})
    assert raised.value.errcode == -1
    assert wx.state.calls["/cgi-bin/message/subscribe/send"] == wechat.BUSY_RETRIES + 1


async def test_subscribe_message_shape_and_refusal(db, wx):
    client = facade(db)
    await client.send_subscribe_message(openid="oA", template_id="tmpl", data={"thing1": "社保卡补办"},
                                        page="pages/booking/detail?id=1")
    assert wx.sent == [{"touser": "oA", "template_id": "tmpl", "page": "pages/booking/detail?id=1",
                        "data": {"thing1": {"value": "社保卡补办"}}}]
    wx.refuse("oA", "tmpl")
    with pytest.raises(wechat.WeChatError) as raised:
        await client.send_subscribe_message(openid="oA", template_id="tmpl", data={"thing1": "x"})
    assert raised.value.errcode == 43101


async def test_phone_number_and_risky_text(db, wx):
    client = facade(db)
    assert await client.user_phone_number(wx.phone_code("13912345678")) == "13912345678"
    assert await client.msg_sec_check(openid="o1", content="网络赌博广告") is False


async def test_mini_program_code_is_an_image_of_the_scene(db, wx):
    client = facade(db)
    png = await client.wxacode_unlimited(scene="d=42", page="pages/gazette/doc")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [d.text for d in decoded] == ["pages/gazette/doc?scene=d=42"]
    with pytest.raises(wechat.WeChatError) as raised:
        await client.wxacode_unlimited(scene="d=42", page="/absolute/not/allowed")
    assert raised.value.errcode == 41030
