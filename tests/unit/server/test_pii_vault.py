"""Personal information at rest and in logs: AES-GCM tokens, key rotation, lookup hashes, the log filter."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server.pii import PiiLogFilter
from server.pii_vault import PiiDecryptError, PiiVault

# Valid 居民身份证 numbers (check characters computed by hand in test_pii.py).
GB_EXAMPLE_ID = "11010519491231002X"
LUOHU_ID = "440303199001011237"


# --- encryption at rest -----------------------------------------------------------------------

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _blob(token: str) -> bytes:
    body = token.split(".")[2]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _token(key_id: str, blob: bytes) -> str:
    return f"v1.{key_id}." + base64.urlsafe_b64encode(blob).rstrip(b"=").decode()


def test_round_trip_of_chinese_text() -> None:
    vault = PiiVault(KEY_A)
    address = "广东省深圳市罗湖区东门街道 张三 13800138000"
    token = vault.encrypt(address, context="booking.address")
    assert vault.decrypt(token, context="booking.address") == address


def test_token_is_compact_and_names_its_key() -> None:
    token = PiiVault(KEY_A).encrypt(LUOHU_ID, context="booking.id_number")
    assert re.fullmatch(r"v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+", token)
    assert token.split(".")[1] == _key_id(KEY_A)
    assert LUOHU_ID not in token


def test_token_is_standard_aes_gcm_with_the_context_as_associated_data() -> None:
    token = PiiVault(KEY_A).encrypt("13800138000", context="user.phone")
    blob = _blob(token)
    assert len(blob) == 12 + len("13800138000") + 16  # nonce, ciphertext, tag
    assert AESGCM(KEY_A).decrypt(blob[:12], blob[12:], b"user.phone") == b"13800138000"


def test_same_plaintext_encrypts_differently_each_time() -> None:
    vault = PiiVault(KEY_A)
    first, second = (vault.encrypt(LUOHU_ID, context="c") for _ in range(2))
    assert first != second
    assert vault.decrypt(first, context="c") == vault.decrypt(second, context="c") == LUOHU_ID


def test_flipping_any_byte_is_detected() -> None:
    vault = PiiVault(KEY_A)
    token = vault.encrypt("张三", context="c")
    blob = _blob(token)
    for i in range(len(blob)):
        tampered = blob[:i] + bytes([blob[i] ^ 0x01]) + blob[i + 1:]
        with pytest.raises(PiiDecryptError):
            vault.decrypt(_token(_key_id(KEY_A), tampered), context="c")


def test_wrong_context_is_refused() -> None:
    vault = PiiVault(KEY_A)
    token = vault.encrypt(LUOHU_ID, context="booking.id_number")
    with pytest.raises(PiiDecryptError):
        vault.decrypt(token, context="user.id_number")


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "v2.00000000.AAAA", "v1.abc.AAAA", "v1.0123456789.AAAA", "v1..AAAA",
     "v1.{id}.", "v1.{id}.AAAA", "v1.{id}.!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "v1.{id}.A"],
)
def test_malformed_tokens_raise_decrypt_error(token: str) -> None:
    with pytest.raises(PiiDecryptError):
        PiiVault(KEY_A).decrypt(token.replace("{id}", _key_id(KEY_A)), context="c")


def test_rotation_old_key_still_decrypts_and_new_key_encrypts() -> None:
    old_token = PiiVault(KEY_A).encrypt(LUOHU_ID, context="c")
    rotated = PiiVault(KEY_B, previous_keys=[KEY_A])
    assert rotated.decrypt(old_token, context="c") == LUOHU_ID
    assert rotated.needs_rotation(old_token)
    new_token = rotated.encrypt(LUOHU_ID, context="c")
    assert new_token.split(".")[1] == _key_id(KEY_B)
    assert not rotated.needs_rotation(new_token)
    with pytest.raises(PiiDecryptError):
        PiiVault(KEY_A).decrypt(new_token, context="c")  # a retired server cannot read new data


def test_dropped_key_can_no_longer_decrypt() -> None:
    old_token = PiiVault(KEY_A).encrypt(LUOHU_ID, context="c")
    with pytest.raises(PiiDecryptError):
        PiiVault(KEY_B).decrypt(old_token, context="c")


@pytest.mark.parametrize("keys", [(b"short",), (KEY_A, b"x" * 31), ("a" * 32,)])
def test_keys_must_be_32_bytes(keys: tuple) -> None:
    with pytest.raises(ValueError):
        PiiVault(keys[0], previous_keys=keys[1:])


def test_repr_does_not_reveal_the_key() -> None:
    assert KEY_A.hex()[:16] not in repr(PiiVault(KEY_A))


# --- lookup hashes ----------------------------------------------------------------------------


def _rfc5869_hkdf_sha256(key: bytes, info: bytes) -> bytes:
    prk = hmac.new(b"\x00" * 32, key, hashlib.sha256).digest()  # no salt: 32 zero bytes
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()  # one block is 32 bytes


def test_lookup_hash_is_hmac_under_the_hkdf_lookup_key() -> None:
    lookup_key = _rfc5869_hkdf_sha256(KEY_A, b"bianmin-lookup-v1")
    message = b"\x00\x00\x00\x09id_number" + LUOHU_ID.encode()
    expected = hmac.new(lookup_key, message, hashlib.sha256).hexdigest()
    assert PiiVault(KEY_A).lookup_hash(LUOHU_ID, kind="id_number") == expected


def test_lookup_hash_is_stable_across_processes_and_distinct_per_value() -> None:
    first = PiiVault(KEY_A).lookup_hash(LUOHU_ID, kind="id_number")
    assert PiiVault(KEY_A).lookup_hash(LUOHU_ID, kind="id_number") == first
    assert PiiVault(KEY_A).lookup_hash(GB_EXAMPLE_ID, kind="id_number") != first
    assert PiiVault(KEY_B).lookup_hash(LUOHU_ID, kind="id_number") != first
    assert re.fullmatch(r"[0-9a-f]{64}", first)


def test_lookup_hash_kinds_never_collide() -> None:
    vault = PiiVault(KEY_A)
    assert vault.lookup_hash("13800138000", kind="phone") != vault.lookup_hash(
        "13800138000", kind="id_number"
    )
    assert vault.lookup_hash("c", kind="ab") != vault.lookup_hash("bc", kind="a")


def test_lookup_hashes_during_rotation_include_the_old_key() -> None:
    old_hash = PiiVault(KEY_A).lookup_hash(LUOHU_ID, kind="id_number")
    rotated = PiiVault(KEY_B, previous_keys=[KEY_A])
    hashes = rotated.lookup_hashes(LUOHU_ID, kind="id_number")
    assert hashes[:2] == [rotated.lookup_hash(LUOHU_ID, kind="id_number"), old_hash]
    # then the same under the other keyed hash (BIANMIN_HASH), for lookups while rotate-pii-key moves them
    sm3 = PiiVault(KEY_B, previous_keys=[KEY_A], hash_alg="hmac-sm3")
    assert hashes[2:] == sm3.lookup_hashes(LUOHU_ID, kind="id_number")[:2]


def test_sm4_gcm_tokens_round_trip_are_bound_to_their_context_and_need_rotation_to_aes() -> None:
    sm4 = PiiVault(KEY_A, cipher="sm4-gcm")
    token = sm4.encrypt(LUOHU_ID, context="booking.id_number")
    assert token.startswith("s1.") and LUOHU_ID not in token
    assert sm4.decrypt(token, context="booking.id_number") == LUOHU_ID
    with pytest.raises(PiiDecryptError):
        sm4.decrypt(token, context="booking.phone")
    body = token.rsplit(".", 1)[1]
    flipped = token[:-len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(PiiDecryptError):
        sm4.decrypt(flipped, context="booking.id_number")
    aes = PiiVault(KEY_A)  # the same key, the other cipher: reads SM4 tokens, wants them moved
    assert aes.decrypt(token, context="booking.id_number") == LUOHU_ID and aes.needs_rotation(token)
    assert not sm4.needs_rotation(token) and sm4.needs_rotation(aes.encrypt("x", context="c"))


def test_sm3_lookup_hashes_differ_from_sha256_ones() -> None:
    sha = PiiVault(KEY_A).lookup_hash(LUOHU_ID, kind="id_number")
    sm3 = PiiVault(KEY_A, hash_alg="hmac-sm3").lookup_hash(LUOHU_ID, kind="id_number")
    assert sha != sm3 and len(sm3) == 64


# --- the logging filter -----------------------------------------------------------------------


@pytest.fixture
def pii_log(caplog: pytest.LogCaptureFixture):
    pii_filter = PiiLogFilter()
    caplog.handler.addFilter(pii_filter)
    caplog.set_level(logging.INFO, logger="bianmin.test")
    yield logging.getLogger("bianmin.test"), caplog
    caplog.handler.removeFilter(pii_filter)


def test_arguments_are_masked_in_the_formatted_message(pii_log) -> None:
    logger, caplog = pii_log
    logger.info("预约 %s 电话 %s 姓名 %s", LUOHU_ID, "13812345678", "张三")
    record = caplog.records[0]
    assert record.getMessage() == "预约 4403**********1237 电话 138****5678 姓名 张三"
    assert LUOHU_ID not in caplog.text and "13812345678" not in caplog.text


def test_numbers_inside_text_and_with_country_code_are_masked(pii_log) -> None:
    logger, caplog = pii_log
    logger.info(
        "GET /api/v1/bookings?id=44030319900101123x&tel=+8613812345678 from +86 138-1234-5678"
    )
    assert caplog.records[0].getMessage() == (
        "GET /api/v1/bookings?id=4403**********123X&tel=+86138****5678 from +86 138****5678"
    )


def test_extras_are_masked_without_touching_the_callers_objects(pii_log) -> None:
    logger, caplog = pii_log
    payload = {"phone": "13812345678", "people": [LUOHU_ID, 42], "note": ("tel 13812345678",)}
    logger.info("booking", extra={"id_number": LUOHU_ID, "payload": payload, "hall_id": 7})
    record = caplog.records[0]
    assert record.id_number == "4403**********1237"
    assert record.payload == {
        "phone": "138****5678", "people": ["4403**********1237", 42], "note": ("tel 138****5678",)
    }
    assert record.hall_id == 7
    assert payload["phone"] == "13812345678" and payload["people"][0] == LUOHU_ID


def test_tracebacks_are_masked(pii_log) -> None:
    logger, caplog = pii_log
    try:
        raise ValueError(f"no booking for {LUOHU_ID}")
    except ValueError:
        logger.exception("lookup failed")
    assert LUOHU_ID not in caplog.text
    assert "no booking for 4403**********1237" in caplog.text


@pytest.mark.parametrize(
    "text",
    ["ts=1732867200123", "ns=1732867200123456789", "amount=13812345678.50", "rate=0.13812345678",
     "order=2024112900001234567", "trace=12812345678", "n=138123456789", "id=4403031990010112371"],
)
def test_ordinary_numbers_are_left_alone(pii_log, text: str) -> None:
    logger, caplog = pii_log
    logger.info("%s", text)
    assert caplog.records[0].getMessage() == text


def test_broken_format_string_is_still_masked_and_logged(pii_log) -> None:
    logger, caplog = pii_log
    logger.info(f"id {LUOHU_ID} %s %s", "x")  # one argument short: cannot be formatted
    assert caplog.records[0].msg == "id 4403**********1237 %s %s"
    assert caplog.records[0].args == ()
