"""One canonical spelling per number: digits of other scripts are refused, compatibility forms fold.

Python's ``\\d`` and ``int()`` accept the decimal digits of every script, so ``٤40303199001011018``
was a valid 身份证 hashed as someone else. After NFKC only ASCII ``0-9`` (and ``X``) are accepted:
full-width, mathematical, circled and superscript digits fold to ASCII under NFKC (they are the
same number, and hash the same); Arabic-Indic, Devanagari, Bengali or Thai digits do not.
"""

from __future__ import annotations

from datetime import date

import pytest

from server.pii import (
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidPhone,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
)

TODAY = date(2024, 11, 29)
LUOHU_ID = "440303199001011237"  # hand-checked in test_pii.py
ICBC_CODE = "91100000100003962T"
PHONE = "13800138000"

# The zero of each script's ten decimal digits (U+xxx0 .. U+xxx9).
OTHER_SCRIPTS = {
    "arabic-indic": 0x0660, "extended arabic-indic": 0x06F0, "devanagari": 0x0966, "bengali": 0x09E6,
    "thai": 0x0E50, "nko": 0x07C0,
}
FOLDED_BY_NFKC = {"full-width": 0xFF10, "mathematical bold": 0x1D7CE, "mathematical double-struck": 0x1D7D8,
                  "mathematical monospace": 0x1D7F6}


def spell(text: str, zero: int, *, positions: range | None = None) -> str:
    """`text` with its ASCII digits (at `positions`, default all) written in another script."""
    chosen = positions if positions is not None else range(len(text))
    return "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() and i in chosen else c
                    for i, c in enumerate(text))


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_one_digit_of_another_script_makes_an_invalid_id_number(script: str) -> None:
    variant = spell(LUOHU_ID, OTHER_SCRIPTS[script], positions=range(1))  # "٤40303199001011237"
    assert variant != LUOHU_ID and len(variant) == 18
    with pytest.raises(InvalidIdNumber) as caught:
        normalize_id_number(variant, today=TODAY)
    assert (caught.value.code, caught.value.reason) == ("invalid_id_number", "characters")


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_an_id_number_wholly_in_another_script_is_refused(script: str) -> None:
    with pytest.raises(InvalidIdNumber):
        normalize_id_number(spell(LUOHU_ID, OTHER_SCRIPTS[script]), today=TODAY)


def test_the_example_from_the_report_is_refused() -> None:
    # A valid check character for the ASCII spelling: only the first digit differs.
    with pytest.raises(InvalidIdNumber):
        normalize_id_number("\u0664" + LUOHU_ID[1:], today=TODAY)


@pytest.mark.parametrize("form", FOLDED_BY_NFKC)
def test_compatibility_digits_fold_to_the_one_ascii_spelling(form: str) -> None:
    assert normalize_id_number(spell(LUOHU_ID, FOLDED_BY_NFKC[form]), today=TODAY) == LUOHU_ID
    assert normalize_phone(spell(PHONE, FOLDED_BY_NFKC[form])) == PHONE


def test_circled_superscript_and_roman_forms_fold_too() -> None:
    # ① ¹ and Ⅹ are compatibility characters for 1, 1 and X: the same number, the same hash.
    gb_example = "11010519491231002X"
    assert normalize_id_number("①" + gb_example[1:-1] + "Ⅹ", today=TODAY) == gb_example
    assert normalize_phone("¹" + PHONE[1:]) == PHONE


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_phones_with_digits_of_another_script_are_refused(script: str) -> None:
    for positions in (range(10, 11), range(11)):  # the last digit, then every digit
        with pytest.raises(InvalidPhone):
            normalize_phone(spell(PHONE, OTHER_SCRIPTS[script], positions=positions))
    with pytest.raises(InvalidPhone):  # the prefix too
        normalize_phone(spell("+86 " + PHONE, OTHER_SCRIPTS[script], positions=range(1, 3)))


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_credit_codes_with_digits_of_another_script_are_refused(script: str) -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        normalize_credit_code(spell(ICBC_CODE, OTHER_SCRIPTS[script], positions=range(2, 3)))
    assert caught.value.reason == "characters"


def test_full_width_credit_codes_fold_to_ascii() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in ICBC_CODE)
    assert normalize_credit_code(full_width) == ICBC_CODE
