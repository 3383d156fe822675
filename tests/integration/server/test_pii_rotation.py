"""Rotating the PII key on live data (both backends): `bianmin rotate-pii-key`.

Data written under the old key stays readable and keeps counting for quotas while the new key is
current; the command re-encrypts every token and re-keys the 身份证 lookup hashes, leaves erased
rows alone, and afterwards the old key can go.
"""

from __future__ import annotations

import argparse
import dataclasses
import secrets

import pytest

from appointments import errors as booking_errors
from appointments import present
from appointments.tables import Booking
from bulletin.feeds.service_enterprises import CONTEXT_NAME, CONTEXT_PHONE
from bulletin.feeds.tables import Enterprise
from server import accounts, clock, config, pii_vault
from server.cli import cmd_rotate_pii_key
from server.tables import User
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)

OLD, NEW = secrets.token_bytes(32), secrets.token_bytes(32)


@pytest.fixture
def keys(db):
    """Switch the vault's keys for this test; the backend's own settings come back afterwards."""
    original = config.current()

    def use(current: bytes, *previous: bytes) -> None:
        config.install(dataclasses.replace(original, pii_key=current, pii_previous_keys=tuple(previous)))

    yield use
    config.install(original)


async def rotate(*, check: bool = False) -> int:
    return await cmd_rotate_pii_key(argparse.Namespace(check=check))


async def test_rotation_re_encrypts_re_hashes_and_lets_the_old_key_go(keys, capsys):
    keys(OLD)
    freeze(MONDAY_10)
    world = await make_hall()
    who = person(name="欧阳娜娜", phone="13912345678")
    kept = await book(world, local(3, 11, 10), who)
    erased = await book(world, local(3, 12, 10), person())
    await Booking.filter(id=erased["id"]).update(name_enc=None, id_number_enc=None, phone_enc=None, id_hash=None)
    user = await accounts.create_user(username="clerk-1", password="pw-" + secrets.token_hex(6), role="staff")
    await User.filter(id=user.id).update(phone_enc=pii_vault.vault().encrypt("13800138000", context="user.phone"),
                                         phone_hash=pii_vault.vault().lookup_hash("13800138000", kind="phone"))
    now = clock.now()
    company = await Enterprise.create(
        name="深圳市便民科技有限公司", credit_code="91440300MA5XXXXXX1", industry="I", size="small",
        district="440303", contact_name_enc=pii_vault.vault().encrypt("李雷", context=CONTEXT_NAME),
        contact_phone_enc=pii_vault.vault().encrypt("13700137000", context=CONTEXT_PHONE), created_at=now, updated_at=now)

    keys(NEW, OLD)  # the operator's first step: new key current, old key kept for reading
    # Before the command runs, old bookings still count: the same 身份证 the same day is a duplicate.
    with pytest.raises(booking_errors.DuplicateBooking):
        await book(world, local(3, 11, 14), who)
    assert await rotate(check=True) == 1
    assert "bookings: 1 rows still under an older key" in capsys.readouterr().out

    assert await rotate() == 0
    assert await rotate(check=True) == 0
    assert "nothing left to rotate" in capsys.readouterr().out
    vault = pii_vault.vault()
    row = await Booking.get(id=kept["id"])
    tokens = [row.name_enc, row.id_number_enc, row.phone_enc]
    assert not any(vault.needs_rotation(t) for t in tokens)
    assert row.id_hash == vault.lookup_hash(who.id_number, kind="id_number")
    assert await Booking.filter(id=erased["id"], id_number_enc=None, name_enc=None).exists()
    stored_user = await User.get(id=user.id)
    assert not vault.needs_rotation(stored_user.phone_enc)
    assert stored_user.phone_hash == vault.lookup_hash("13800138000", kind="phone")
    stored_company = await Enterprise.get(id=company.id)
    assert vault.decrypt(stored_company.contact_phone_enc, context=CONTEXT_PHONE) == "13700137000"
    assert await rotate() == 0  # again: nothing to rewrite
    assert await Booking.get(id=kept["id"]).values_list("id_number_enc", flat=True) == row.id_number_enc

    keys(NEW)  # the old key is gone: everything still reads, quotas still see the booking
    shown = present.booking(await Booking.get(id=kept["id"]).prefetch_related("hall", "service", "slot"))
    assert shown["person"]["phone"] == "139****5678"
    with pytest.raises(booking_errors.DuplicateBooking):
        await book(world, local(3, 11, 15), who)


async def test_a_row_no_key_can_open_is_reported_and_the_others_rotate(keys, caplog):
    keys(OLD)
    freeze(MONDAY_10)
    world = await make_hall()
    readable = await book(world, local(3, 11, 10), person())
    damaged = await book(world, local(3, 12, 10), person())
    lost_key = secrets.token_bytes(32)
    keys(lost_key)
    await Booking.filter(id=damaged["id"]).update(
        name_enc=pii_vault.vault().encrypt("某某", context="booking.name"))  # under a key nobody has any more
    keys(NEW, OLD)
    assert await rotate() == 0
    assert f"bookings row {damaged['id']} left as it is" in caplog.text
    vault = pii_vault.vault()
    assert not vault.needs_rotation((await Booking.get(id=readable["id"])).id_number_enc)
    assert await rotate(check=True) == 1  # still there, still counted



async def test_moving_to_sm4_and_hmac_sm3_without_downtime(keys, capsys):
    keys(OLD)
    freeze(MONDAY_10)
    world = await make_hall()
    who = person(name="司马光", phone="13912345670")
    kept = await book(world, local(3, 11, 10), who)
    sha256_hash = pii_vault.vault().lookup_hash(who.id_number, kind="id_number")
    # The operator sets BIANMIN_PII_CIPHER=sm4-gcm and BIANMIN_HASH=hmac-sm3 and restarts.
    config.install(dataclasses.replace(config.current(), pii_cipher="sm4-gcm", hash_alg="hmac-sm3"))
    with pytest.raises(booking_errors.DuplicateBooking):  # the AES tokens and SHA-256 hashes still work
        await book(world, local(3, 11, 14), who)
    assert await rotate(check=True) == 1
    assert await rotate() == 0 and await rotate(check=True) == 0
    row = await Booking.get(id=kept["id"])
    assert all(t.startswith("s1.") for t in (row.name_enc, row.id_number_enc, row.phone_enc))
    assert row.id_hash == pii_vault.vault().lookup_hash(who.id_number, kind="id_number") != sha256_hash
    shown = present.booking(await Booking.get(id=kept["id"]).prefetch_related("hall", "service", "slot"))
    assert shown["person"]["phone"] == "139****5670"
    with pytest.raises(booking_errors.DuplicateBooking):  # the quota finds the person by the SM3 hash
        await book(world, local(3, 11, 15), who)
