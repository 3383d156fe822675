"""Identity rules over HTTP (both backends): one spelling per 身份证, no reset by deleting the account."""

from __future__ import annotations

import pytest

from tests.integration.appointments.booking_support import (
    MONDAY_10,
    freeze,
    local,
    make_hall,
    slot_at,
)
from tests.support.ids import make_id_number

ARABIC_INDIC_ZERO = 0x0660


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


def body(world, slot_id: int, id_number: str, **changes) -> dict:
    return {"slot_id": slot_id, "service_id": world.service_id, "name": "李娜", "id_number": id_number,
            "phone": "13712345678", **changes}


def error_of(response) -> tuple[int, str, dict]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["details"]


async def test_an_arabic_indic_digit_no_longer_books_past_the_duplicate_rule(client, world):
    number = make_id_number(seq=51)
    me, relative = await client.login_dev(), await client.login_dev()
    first = await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 10, 9)), number),
                              headers=me)
    assert first.status_code == 201
    disguised = chr(ARABIC_INDIC_ZERO + int(number[0])) + number[1:]  # "٤40303..."
    afternoon = await slot_at(world, local(3, 10, 15))
    response = await client.post("/api/v1/bookings", json=body(world, afternoon, disguised), headers=relative)
    status, code, details = error_of(response)
    assert (status, code) == (422, "invalid_id_number")
    assert details["fields"][0]["field"] == "id_number" and details["reason"] == "characters"
    # The full-width spelling is the same person: refused by the rule, not by the format.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    response = await client.post("/api/v1/bookings", json=body(world, afternoon, full_width), headers=relative)
    assert error_of(response)[:2] == (409, "duplicate_booking")


async def test_a_phone_in_devanagari_digits_is_422_naming_the_field(client, world):
    me = await client.login_dev()
    phone = "1371234567" + chr(0x0966 + 8)  # the last digit, ८, in Devanagari
    response = await client.post("/api/v1/bookings", headers=me,
                                 json=body(world, await slot_at(world, local(3, 10, 9)), make_id_number(seq=52),
                                           phone=phone))
    status, code, details = error_of(response)
    assert (status, code, details["fields"][0]["field"]) == (422, "invalid_phone", "phone")


async def test_deleting_the_account_and_logging_in_again_does_not_lift_a_block(client, world):
    number = make_id_number(seq=53)
    me = await client.login_dev("twice-missed")
    for day in (10, 11):
        made = await client.post("/api/v1/bookings", headers=me,
                                 json=body(world, await slot_at(world, local(3, day, 9)), number))
        assert made.status_code == 201
    freeze(local(3, 11, 9, 30))  # both check-in deadlines have passed: two no-shows
    assert (await client.delete("/api/v1/me", headers=me)).status_code == 200
    again = await client.login_dev("twice-missed")
    response = await client.post("/api/v1/bookings", headers=again,
                                 json=body(world, await slot_at(world, local(3, 12, 9)), number))
    status, code, details = error_of(response)
    assert (status, code, details) == (403, "booking_blocked", {"until": "2026-06-09T09:00:00+08:00"})
