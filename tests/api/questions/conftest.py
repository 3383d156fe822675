"""A small district for letters: two departments, an answerer heading each, a dispatcher, a resident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


@dataclass
class District:
    city: int  # 城管: answers category city, replies in 3 working days
    housing: int  # 住建
    dispatcher: dict[str, str]
    city_answerer: dict[str, str]
    city_head_id: int
    housing_answerer: dict[str, str]
    admin: dict[str, str]

    async def relogin(self, client) -> None:
        """Fresh staff sessions after the clock moved past their 12 hours (admins, who need a one-time
        code from the real clock, are not logged in again)."""
        self.dispatcher = await client.login_staff(role="editor", username="dispatcher")
        self.city_answerer = await client.login_staff(role="answerer", username="cgj-answerer")
        self.housing_answerer = await client.login_staff(role="answerer", username="zjj-answerer")


async def _answerer(client, admin, department_id: int, username: str) -> tuple[dict[str, str], int]:
    headers = await client.login_staff(role="answerer", username=username)
    user_id = (await client.get("/api/v1/me", headers=headers)).json()["id"]
    answer = await client.put(f"/api/v1/questions/departments/{department_id}/members",
                              json={"members": [{"user_id": user_id, "is_head": True}]}, headers=admin)
    assert answer.status_code == 200, answer.text
    return headers, user_id


@pytest.fixture
async def district(client) -> District:
    admin = await client.login_staff(role="admin", username="admin")  # its one-time code needs the real clock
    clock.freeze(MONDAY)
    ids = []
    for code, name, days, categories in (("cgj", "区城管局", 3, ["city"]), ("zjj", "区住建局", 5, ["housing"])):
        made = await client.post("/api/v1/questions/departments", headers=admin, json={
            "code": code, "name": name, "reply_days": days, "categories": categories})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    city_answerer, head_id = await _answerer(client, admin, ids[0], "cgj-answerer")
    housing_answerer, _ = await _answerer(client, admin, ids[1], "zjj-answerer")
    return District(city=ids[0], housing=ids[1], dispatcher=await client.login_staff(role="editor", username="dispatcher"),
                    city_answerer=city_answerer, city_head_id=head_id, housing_answerer=housing_answerer,
                    admin=admin)
