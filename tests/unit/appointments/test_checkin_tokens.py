"""Booking codes, ticket numbers and signed check-in tokens."""

import base64
import datetime as dt
import re

import pytest

from appointments.model import (
    BOOKING_CODE_ALPHABET,
    CheckinClaim,
    ExpiredToken,
    InvalidToken,
    format_ticket,
    new_booking_code,
    normalize_booking_code,
    read_checkin,
    sign_checkin,
    verify_checkin,
)

KEY = b"k" * 32
CST = dt.timezone(dt.timedelta(hours=8))
EXPIRES = dt.datetime(2026, 10, 14, 9, 15, tzinfo=CST)
BEFORE = EXPIRES - dt.timedelta(seconds=1)


def test_booking_codes_avoid_ambiguous_characters():
    assert not set("0O1I") & set(BOOKING_CODE_ALPHABET)
    codes = [new_booking_code() for _ in range(2000)]
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code) for code in codes)
    # 31^8 ≈ 8.5e11 codes: 2000 draws collide with probability below 3e-6.
    assert len(set(codes)) == 2000
    # Every character shows up somewhere in 16,000 draws (a stuck generator would not).
    assert set("".join(codes)) == set(BOOKING_CODE_ALPHABET)


def test_typed_codes_are_normalised():
    assert normalize_booking_code(" abcd-efgh ") == "ABCDEFGH"
    with pytest.raises(ValueError):
        normalize_booking_code("ABCD0FGH")  # zero is never in a code
    with pytest.raises(ValueError):
        normalize_booking_code("ABCDEFG")


def test_ticket_numbers():
    assert format_ticket("booked", 1) == "A001"
    assert format_ticket("booked", 2) == "A002"
    assert format_ticket("walk_in", 1) == "W001"
    assert format_ticket("booked", 42) == "A042"
    assert format_ticket("booked", 999) == "A999"
    assert format_ticket("booked", 1000) == "A1000"
    with pytest.raises(ValueError):
        format_ticket("booked", 0)


def test_token_round_trip_and_url_safety():
    token = sign_checkin(booking_id=4711, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", token)
    assert verify_checkin(token, key=KEY, now=BEFORE) == 4711
    assert read_checkin(token, key=KEY, now=BEFORE) == CheckinClaim(4711, "ABCD2345", EXPIRES)


def test_token_is_not_the_bare_id():
    token = sign_checkin(booking_id=4711, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    assert token != "4711" and len(token) > 40


def test_token_expires():
    token = sign_checkin(booking_id=1, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    with pytest.raises(ExpiredToken):
        verify_checkin(token, key=KEY, now=EXPIRES)
    with pytest.raises(InvalidToken):  # an expired token is also an invalid one
        verify_checkin(token, key=KEY, now=EXPIRES + dt.timedelta(days=1))


def test_every_single_character_change_is_refused():
    token = sign_checkin(booking_id=4711, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    for index, char in enumerate(token):
        for replacement in {"A", "B", "_"} - {char}:
            tampered = token[:index] + replacement + token[index + 1 :]
            with pytest.raises(InvalidToken):
                verify_checkin(tampered, key=KEY, now=BEFORE)


def test_a_forged_payload_for_another_booking_is_refused():
    token = sign_checkin(booking_id=4711, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    signature = token.split(".")[1]
    other = base64.urlsafe_b64encode(b"4712:ABCD2345:1790000000").rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        verify_checkin(f"{other}.{signature}", key=KEY, now=BEFORE)


def test_another_key_is_refused():
    token = sign_checkin(booking_id=4711, code="ABCD2345", expires_at=EXPIRES, key=KEY)
    with pytest.raises(InvalidToken):
        verify_checkin(token, key=b"x" * 32, now=BEFORE)


@pytest.mark.parametrize("garbage", ["", "4711", "a.b", "a.b.c", "ü" * 50, "." * 44])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidToken):
        verify_checkin(garbage, key=KEY, now=BEFORE)


def test_naive_expiry_and_short_key_are_programming_errors():
    with pytest.raises(ValueError):
        sign_checkin(booking_id=1, code="ABCD2345", expires_at=dt.datetime(2026, 10, 14), key=KEY)
    with pytest.raises(ValueError):
        sign_checkin(booking_id=1, code="ABCD2345", expires_at=EXPIRES, key=b"short")
