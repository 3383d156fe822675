"""What the operation log keeps of a request body: no secrets, no unmasked personal data, no essays."""

from __future__ import annotations

from server import audit, keyed_hash


def test_secrets_are_starred_and_personal_data_masked():
    sent = {"password": "Sec-ret-123", "new_password": "x", "otp": "123456", "phone": "13812345678",
            "id_number": "110101199003074514", "contact_name": "张三丰", "note": "请回电 13912345678",
            "name": "南山政务服务中心"}
    kept = audit.mask_fields(sent)
    assert kept["password"] == kept["new_password"] == kept["otp"] == "***"
    assert kept["phone"] == "138****5678"
    assert kept["id_number"] == "1101**********4514"
    assert kept["contact_name"] == "张**"
    assert kept["note"] == "请回电 139****5678"
    assert kept["name"] == "南山政务服务中心"  # a place's name is not a person's


def test_nested_values_are_masked_and_long_text_cut():
    kept = audit.mask_fields({"people": [{"phone": "13812345678"}], "body": "长" * 5000})
    assert kept["people"][0]["phone"] == "138****5678"
    assert len(kept["body"]) == audit.MAX_TEXT + 1


def test_seals_name_their_algorithm_and_check_under_either():
    key = b"k" * 32
    for algorithm, tag in (("hmac-sha256", "sha256:"), ("hmac-sm3", "sm3:")):
        sealed = keyed_hash.seal(key, b"entry", algorithm)
        assert sealed.startswith(tag) and len(sealed) == len(tag) + 64
        assert keyed_hash.check(key, b"entry", sealed)
        assert not keyed_hash.check(key, b"entry!", sealed)
        assert not keyed_hash.check(b"j" * 32, b"entry", sealed)
    assert keyed_hash.seal(key, b"x", "hmac-sm3") != keyed_hash.seal(key, b"x", "hmac-sha256").replace("sha256", "sm3")


def test_sm3_matches_the_standard_test_vector():
    # GB/T 32905-2016 appendix A.1: SM3("abc"). An HMAC over SM3 is only as right as the SM3 under it.
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
