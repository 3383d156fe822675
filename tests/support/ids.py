"""Realistic personal test data: 身份证 numbers and 统一社会信用代码 with real check characters.

The check characters are computed here from the standards' formulas (ISO 7064 MOD 11-2 and
GB 32100's MOD 31), written independently of server/pii.py so the tests can catch its mistakes.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Literal

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z

DEMO_NAMES = [
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄晓明", "赵丽颖", "周杰", "吴敏",
    "徐婷婷", "孙浩", "马俊", "朱琳", "胡建国", "郭晶晶", "林志强", "何雪梅", "高翔", "罗丹",
    "欧阳娜娜", "司马光", "诸葛明亮", "上官婉儿", "慕容雪", "东方明", "皇甫嵩", "令狐冲",
]


def id_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2: the character c with sum(a_i * 2^(i-1)) + c = 1 (mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id_number(
    *,
    region: str = "440303",
    birth: date = date(1990, 1, 1),
    seq: int = 123,
    gender: Literal["male", "female"] | None = None,
) -> str:
    """A 身份证 number with a correct check character (the 17th digit is odd for men)."""
    if gender is not None and (seq % 2 == 1) != (gender == "male"):
        seq ^= 1  # flip the parity of the last digit, staying within 000-999
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def credit_check_char(body17: str) -> str:
    """GB 32100 MOD 31: weights 3^i mod 31, check = (31 - sum mod 31) mod 31."""
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def make_credit_code(body17: str | None = None, *, rng: random.Random | None = None) -> str:
    """A 统一社会信用代码: the given 17-character body (or a random enterprise's) plus its check."""
    if body17 is None:
        rng = rng or random.Random()
        region = rng.choice(["440303", "440304", "110105", "310115"])
        org = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
        body17 = "91" + region + org  # 9 = market regulation, 1 = enterprise
    return body17 + credit_check_char(body17)


def random_phone(*, rng: random.Random | None = None) -> str:
    """A random mainland mobile number (11 digits, 1[3-9]...)."""
    rng = rng or random.Random()
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
