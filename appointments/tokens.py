"""Booking codes, ticket numbers and the signed check-in token shown in the booking's QR code."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Literal

# No 0/O, 1/I/L: a clerk reads the code aloud or types it from a phone screen.
BOOKING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BOOKING_CODE_LENGTH = 8
TicketKind = Literal["booked", "walk_in"]
_TICKET_PREFIX: dict[str, str] = {"booked": "A", "walk_in": "W"}
# Binds the MAC to this purpose, so a key shared with another signer cannot forge check-ins.
_CONTEXT = b"bianmin.checkin.v1:"
_TOKEN = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})")
_MIN_KEY_BYTES = 16


def new_booking_code() -> str:
    """A fresh random booking code of 8 unambiguous characters."""
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(BOOKING_CODE_LENGTH))


def normalize_booking_code(text: str) -> str:
    """A typed booking code in canonical form (upper case, no spaces or dashes); else ValueError."""
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != BOOKING_CODE_LENGTH or any(ch not in BOOKING_CODE_ALPHABET for ch in code):
        raise ValueError(f"{text!r} is not a booking code")
    return code


def format_ticket(kind: TicketKind, number: int) -> str:
    """The ticket a person is called by: A001 for booked, W001 for walk-ins; A1000 after A999."""
    if number < 1:
        raise ValueError("ticket numbers start at 1")
    return f"{_TICKET_PREFIX[kind]}{number:03d}"


class InvalidToken(ValueError):
    """A check-in token that is malformed, tampered with, or signed with another key."""


class ExpiredToken(InvalidToken):
    """A genuine check-in token past its expiry; ``claim`` is what it vouched for."""

    def __init__(self, claim: CheckinClaim) -> None:
        super().__init__(f"expired at {claim.expires_at.isoformat()}")
        self.claim = claim


@dataclass(frozen=True)
class CheckinClaim:
    """What a valid check-in token vouches for."""

    booking_id: int
    code: str
    expires_at: dt.datetime


def sign_checkin(*, booking_id: int, code: str, expires_at: dt.datetime, key: bytes) -> str:
    """A URL-safe HMAC-SHA256 signed token that lets a clerk check the booking in until expiry."""
    _check_key(key)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    payload = f"{booking_id}:{code}:{int(expires_at.timestamp())}".encode()
    body = _b64(payload)
    return f"{body}.{_signature(body, key)}"


def read_checkin(token: str, *, key: bytes, now: dt.datetime) -> CheckinClaim:
    """The claim of a genuine, unexpired token; raises InvalidToken or ExpiredToken otherwise."""
    _check_key(key)
    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        raise InvalidToken("not a check-in token")
    body, signature = match[1], match[2]
    # Comparing the encoded text, not decoded bytes, so no character can change unnoticed.
    if not hmac.compare_digest(signature, _signature(body, key)):
        raise InvalidToken("bad signature")
    claim = _parse_payload(body)
    if now >= claim.expires_at:
        raise ExpiredToken(claim)
    return claim


def verify_checkin(token: str, *, key: bytes, now: dt.datetime) -> int:
    """The booking id of a genuine, unexpired check-in token; raises InvalidToken otherwise."""
    return read_checkin(token, key=key, now=now).booking_id


def _parse_payload(body: str) -> CheckinClaim:
    try:
        raw_id, code, raw_expiry = (
            base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("ascii").split(":")
        )
        expires_at = dt.datetime.fromtimestamp(int(raw_expiry), tz=dt.UTC)
        return CheckinClaim(booking_id=int(raw_id), code=code, expires_at=expires_at)
    except ValueError:
        # Only reachable with a valid MAC over a payload we did not produce (a foreign signer).
        raise InvalidToken("malformed payload") from None


def _signature(body: str, key: bytes) -> str:
    return _b64(hmac.new(key, _CONTEXT + body.encode("ascii"), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _check_key(key: bytes) -> None:
    if len(key) < _MIN_KEY_BYTES:
        raise ValueError(f"the check-in key needs at least {_MIN_KEY_BYTES} bytes")
