"""Published replies are found with the gazette's Chinese search (words in any order, the reply too),
never an unpublished letter, and a second reply after reopening is what people then find."""

from __future__ import annotations

LETTER = {"column": "mayor", "category": "city", "phone": "13812345678", "publish_consent": True}


async def _published(client, district, resident, *, title: str, body: str, reply: str, publish: bool = True) -> int:
    made = await client.post("/api/v1/questions/letters", json={**LETTER, "title": title, "body": body},
                             headers=resident)
    assert made.status_code == 201, made.text
    path = f"/api/v1/questions/letters/{made.json()['id']}"
    await client.post(f"{path}/assign", json={"department_id": district.city}, headers=district.dispatcher)
    assert (await client.post(f"{path}/reply", json={"reply": reply}, headers=district.city_answerer)).status_code == 200
    if publish:
        assert (await client.post(f"{path}/publish", json={}, headers=district.dispatcher)).status_code == 200
    return made.json()["id"]


async def _found(client, q: str, **params) -> list[int]:
    answer = await client.get("/api/v1/questions/public/letters", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return [x["id"] for x in answer.json()["items"]]


async def test_published_replies_are_searched_like_the_gazette_and_follow_a_second_reply(client, district):
    resident = await client.login_dev()
    lamp = await _published(client, district, resident, title="东门路口路灯坏了",
                            body="步行街北口路灯坏了一周，联系电话13812345678", reply="已安排维修，今晚恢复照明。")
    noise = await _published(client, district, resident, title="小区夜间施工噪音扰民",
                             body="晚上十点以后还在施工。", reply="已责令施工单位整改，夜间停工。")
    hidden = await _published(client, district, resident, title="路灯不亮", body="西门路灯也不亮了。",
                              reply="已维修。", publish=False)
    assert await _found(client, "路灯") == [lamp]  # the unpublished letter is not found
    assert await _found(client, "维修 路灯") == [lamp]  # words in any order, title and reply
    assert await _found(client, "维修路灯") == [lamp]  # no substring: the words of the query
    assert await _found(client, "整改") == [noise]
    assert await _found(client, "13812345678") == []  # masked before it was published
    assert await _found(client, "，。") == []  # nothing searchable finds nothing
    assert await _found(client, "") == [noise, lamp]
    first = (await client.get("/api/v1/questions/public/letters", params={"q": "已", "limit": 1})).json()
    assert [x["id"] for x in first["items"]] == [noise]
    assert await _found(client, "已", limit=1, cursor=first["next_cursor"]) == [lamp]
    assert hidden not in await _found(client, "不亮")
    # Reopened (不满意) and answered again: the second reply is what people find.
    reopened = await client.post(f"/api/v1/questions/me/letters/{lamp}/rating", json={"rating": "unsatisfied"},
                                 headers=resident)
    assert reopened.json()["status"] == "assigned"
    await client.post(f"/api/v1/questions/letters/{lamp}/reply", json={"reply": "已更换灯具并加装一盏。"},
                      headers=district.city_answerer)
    assert await _found(client, "灯具") == [lamp]
    assert await _found(client, "安排") == []
