"""A cursor no page of letters ever gave (beyond a letter id's 32 bits) is refused, not a 500 on PostgreSQL."""

from __future__ import annotations

HUGE = "9999999999"


async def test_a_cursor_beyond_any_letter_id_is_a_422(client):
    resident = await client.login_dev()
    for path, params, headers in (("/api/v1/questions/public/letters", {"cursor": HUGE}, {}),
                                  ("/api/v1/questions/public/letters", {"q": "路灯", "cursor": HUGE}, {}),
                                  ("/api/v1/questions/me/letters", {"cursor": HUGE}, resident)):
        answer = await client.get(path, params=params, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"]["fields"][0]["field"] == "cursor"
    fine = await client.get("/api/v1/questions/public/letters", params={"cursor": "2147483647"})
    assert fine.status_code == 200 and fine.json()["items"] == []
