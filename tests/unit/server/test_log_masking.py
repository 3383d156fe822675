"""The log masker masks what is shaped like a 身份证 or phone number in context, and nothing else."""

from __future__ import annotations

import pytest

from server.pii import mask_text
from tests.support.ids import make_id_number

PHONE = "13812345678"


@pytest.mark.parametrize(("text", "masked"), [
    (f"请拨打{PHONE}咨询", "请拨打138****5678咨询"),  # Chinese text, no spaces
    (f"手机：{PHONE}，", "手机：138****5678，"),
    (f"+86{PHONE}", "+86138****5678"),
    (f"+86 {PHONE}", "+86 138****5678"),
    (f"0086-{PHONE}", "0086-138****5678"),
    ("138 1234 5678", "138****5678"),
    (f'{{"phone": "{PHONE}"}}', '{"phone": "138****5678"}'),
    (f"Tel{PHONE}", "Tel138****5678"),
    ("身份证44030319900101101x办理", "身份证4403**********101X办理"),
    ('{"id_number":"44030319900101101X","ok":true}', '{"id_number":"4403**********101X","ok":true}'),
    ("ID44030319900101101X", "ID4403**********101X"),
])
def test_personal_numbers_are_masked_in_any_context(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "map index built: 394 POIs, version 15412344611",  # a data version, not a phone (154****4611)
    "version=15412344611", '"version": 15412344611', "v15412344611", "build 13812345678",
    "ts=13812345678", "latency_ms: 13812345678", "pid 13812345678",
    "1.15412344611", "15412344611.3", "2.0.13812345678",  # dotted versions and decimals
    "request 3c961352e4d5cc7c13812345678000000005 done",  # hex ids
    "sha256 9f86d081884c7d659a2feaa0c55ad01513812345678a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "ts=1732867200123", "order 123456789012345678",  # 18 digits that cannot be a 身份证
    "trace=12812345678", "n=138123456789",
])
def test_versions_times_and_hex_ids_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_no_real_number_leaks_whatever_surrounds_it() -> None:
    numbers = [make_id_number() for _ in range(20)] + [f"1{d}{n:09d}" for d in "3456789" for n in (0, 12345678)]
    for number in numbers:
        for before, after in (("", ""), ("编号", "。"), ("=", "&"), ('"', '"'), ("(", ")"), ("：", "，"), ("\n", " ")):
            shown = mask_text(f"{before}{number}{after}")
            assert number not in shown and number.upper() not in shown, (before, number, after)
