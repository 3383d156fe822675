"""Personal information: validators on real numbers and masking (encryption and logs: test_pii_vault.py)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from server.pii import (
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidPhone,
    PiiFormatError,
    id_birth_date,
    id_gender,
    mask_credit_code,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
)
from tests.support.ids import (
    CREDIT_ALPHABET,
    DEMO_NAMES,
    id_check_char,
    make_credit_code,
    make_id_number,
    random_phone,
)

TODAY = date(2024, 11, 29)

# GB 11643-1999 附录A: a woman born 1949-12-31 in 北京市朝阳区. By hand, weights 7 9 10 5 8 4 2 1 6
# 3 7 9 10 5 8 4 2 over 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 give 167; 167 mod 11 = 2 -> "X".
GB_EXAMPLE_ID = "11010519491231002X"
# Same weights over 4 4 0 3 0 3 1 9 9 0 0 1 0 1 1 2 3 give 192; 192 mod 11 = 5 -> "7".
LUOHU_ID = "440303199001011237"
# Over 4 4 0 3 0 3 2 0 0 0 0 2 2 9 0 0 2 (born on a leap day) the sum is 182; mod 11 = 6 -> "6".
LEAP_DAY_ID = "440303200002290026"
# 中国工商银行股份有限公司, as published in its filings. By hand, weights 1 3 9 27 19 26 16 17 20 29
# 25 13 8 24 10 30 28 over 9 1 1 0 0 0 0 0 1 0 0 0 0 3 9 6 2 give 439; 439 mod 31 = 5;
# 31 - 5 = 26, the 27th character of the alphabet -> "T".
ICBC_CODE = "91100000100003962T"
SPDB_CODE = "91310000631295002H"  # 上海浦东发展银行股份有限公司


# --- 居民身份证 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [GB_EXAMPLE_ID, LUOHU_ID, LEAP_DAY_ID])
def test_real_id_numbers_are_accepted(number: str) -> None:
    assert normalize_id_number(number, today=TODAY) == number


def test_test_data_helper_matches_hand_computed_check_characters() -> None:
    assert make_id_number() == LUOHU_ID
    assert make_id_number(birth=date(2000, 2, 29), seq=2) == LEAP_DAY_ID


def test_lowercase_x_and_surrounding_spaces_are_normalised() -> None:
    assert normalize_id_number("  11010519491231002x\n", today=TODAY) == GB_EXAMPLE_ID


def test_full_width_digits_from_a_phone_keyboard_are_accepted() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in LUOHU_ID)
    assert normalize_id_number(full_width, today=TODAY) == LUOHU_ID


def _reason(number: str, today: date = TODAY) -> str:
    with pytest.raises(InvalidIdNumber) as caught:
        normalize_id_number(number, today=today)
    return caught.value.reason


@pytest.mark.parametrize(
    "wrong", ["110105194912310021", "440303199001011238", "44030319900101123X"]
)
def test_wrong_check_character_is_refused(wrong: str) -> None:
    assert _reason(wrong) == "checksum"


def test_swapped_digits_are_caught_by_the_check_character() -> None:
    swapped = LUOHU_ID[:14] + LUOHU_ID[15] + LUOHU_ID[14] + LUOHU_ID[16:]  # ...123 -> ...213
    assert _reason(swapped) == "checksum"


def test_every_single_digit_typo_is_refused() -> None:
    for position in range(18):
        for digit in "0123456789X":
            if digit != LUOHU_ID[position] and not (digit == "X" and position < 17):
                typo = LUOHU_ID[:position] + digit + LUOHU_ID[position + 1:]
                with pytest.raises(InvalidIdNumber):
                    normalize_id_number(typo, today=TODAY)


@pytest.mark.parametrize("birth", ["19000229", "19901301", "19900230", "19900100", "00000000"])
def test_impossible_birth_dates_are_refused(birth: str) -> None:
    body = "440303" + birth + "002"
    assert _reason(body + id_check_char(body)) == "birth_date"


def test_birth_before_1900_is_refused() -> None:
    # GB 11643-1999 附录A's second example (汕头市潮阳县, born 1880) has a correct check character.
    assert _reason("440524188001010014") == "birth_date"


def test_birth_in_the_future_is_refused_but_today_is_fine() -> None:
    today = date(2024, 6, 1)
    assert _reason(make_id_number(birth=date(2024, 6, 2)), today=today) == "birth_date"
    born_today = make_id_number(birth=today)
    assert normalize_id_number(born_today, today=today) == born_today


@pytest.mark.parametrize("region", ["710000", "000000", "160000", "240000", "990000", "840000"])
def test_unknown_province_prefix_is_refused(region: str) -> None:
    assert _reason(make_id_number(region=region)) == "region"


@pytest.mark.parametrize("region", ["110101", "650102", "460105", "810000", "820000", "830000"])
def test_all_provinces_and_residence_permits_are_accepted(region: str) -> None:
    number = make_id_number(region=region)
    assert normalize_id_number(number, today=TODAY) == number


@pytest.mark.parametrize(
    "number", ["", "11010519491231002", "11010519491231002X1", "110105491231002"]
)
def test_wrong_length_is_refused(number: str) -> None:
    assert _reason(number) == "length"


@pytest.mark.parametrize(
    "number", ["11010519491231002A", "1101051949123100X2", "11010519491231-02X"]
)
def test_letters_other_than_a_final_x_are_refused(number: str) -> None:
    assert _reason(number) == "characters"


def test_id_error_carries_code_and_chinese_message() -> None:
    with pytest.raises(PiiFormatError) as caught:
        normalize_id_number("110105194912310021", today=TODAY)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code == "invalid_id_number"
    assert "身份证" in error.message and "校验" in error.message


def test_non_string_input_is_an_invalid_id_not_a_crash() -> None:
    with pytest.raises(InvalidIdNumber):
        normalize_id_number(110105194912310021)  # type: ignore[arg-type]


def test_birth_date_and_gender_are_read_from_the_number() -> None:
    assert id_birth_date(GB_EXAMPLE_ID) == date(1949, 12, 31)
    assert id_gender(GB_EXAMPLE_ID) == "female"  # 17th digit 2
    assert id_gender(LUOHU_ID) == "male"  # 17th digit 3
    assert id_birth_date("11010519491231002x") == date(1949, 12, 31)


@pytest.mark.parametrize("gender", ["male", "female"])
def test_generated_numbers_carry_the_requested_gender(gender: str) -> None:
    for seq in (0, 1, 122, 123, 998, 999):
        assert id_gender(make_id_number(seq=seq, gender=gender)) == gender  # type: ignore[arg-type]


# --- 统一社会信用代码 ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", [ICBC_CODE, SPDB_CODE])
def test_published_credit_codes_are_accepted(code: str) -> None:
    assert normalize_credit_code(code) == code


def test_credit_code_is_returned_in_upper_case() -> None:
    assert normalize_credit_code(" 91310000631295002h ") == SPDB_CODE


def test_helper_reproduces_the_published_check_character() -> None:
    assert make_credit_code(ICBC_CODE[:17]) == ICBC_CODE


def _credit_reason(code: str) -> str:
    with pytest.raises(InvalidCreditCode) as caught:
        normalize_credit_code(code)
    assert caught.value.code == "invalid_credit_code"
    return caught.value.reason


def test_wrong_credit_check_character_is_refused() -> None:
    assert _credit_reason("91100000100003962A") == "checksum"


def test_every_single_character_typo_in_a_credit_code_is_refused() -> None:
    for position in range(18):
        for char in CREDIT_ALPHABET.replace(ICBC_CODE[position], ""):
            with pytest.raises(InvalidCreditCode):
                normalize_credit_code(ICBC_CODE[:position] + char + ICBC_CODE[position + 1:])


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_gb32100_alphabet_are_refused(letter: str) -> None:
    assert _credit_reason(ICBC_CODE[:10] + letter + ICBC_CODE[11:]) == "characters"


@pytest.mark.parametrize(
    "prefix", ["11", "12", "31", "51", "53", "71", "92", "93", "A1", "N2", "Y1"]
)
def test_every_registered_kind_of_organisation_is_accepted(prefix: str) -> None:
    code = make_credit_code(prefix + "440303MB2C1234X")
    assert normalize_credit_code(code) == code


@pytest.mark.parametrize("prefix", ["01", "94", "99", "14", "Y2", "B1", "9A"])
def test_unknown_authority_or_organisation_type_is_refused(prefix: str) -> None:
    assert _credit_reason(make_credit_code(prefix + "440303MB2C1234X")) == "category"


@pytest.mark.parametrize("code", ["", "9110000010000396", "91100000100003962TT"])
def test_credit_code_of_wrong_length_is_refused(code: str) -> None:
    assert _credit_reason(code) == "length"


def test_generated_credit_codes_validate() -> None:
    rng = random.Random(7)
    for _ in range(200):
        code = make_credit_code(rng=rng)
        assert normalize_credit_code(code) == code


# --- mobile numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["13800138000", " 138 0013 8000 ", "138-0013-8000", "+8613800138000", "+86 138 0013 8000",
     "86-138-0013-8000", "8613800138000", "0086 13800138000", "１３８００１３８０００"],
)
def test_mobile_numbers_in_common_spellings_normalise_to_11_digits(raw: str) -> None:
    assert normalize_phone(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw",
    ["", "12800138000", "10800138000", "1380013800", "138001380001", "+85213800138000",
     "+1 13800138000", "0755-82345678", "1380013800a", "+86"],
)
def test_non_mobile_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(raw)
    assert caught.value.code == "invalid_phone"
    assert "手机" in caught.value.message


def test_random_phones_are_valid_mobile_numbers() -> None:
    rng = random.Random(3)
    for _ in range(100):
        phone = random_phone(rng=rng)
        assert normalize_phone(phone) == phone


# --- masking ----------------------------------------------------------------------------------


def test_id_number_mask_keeps_first_and_last_four() -> None:
    assert mask_id_number(LUOHU_ID) == "4403**********1237"
    assert mask_id_number("44030319900101123x") == "4403**********123X"


def test_phone_mask_keeps_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"


def test_credit_code_mask_keeps_first_and_last_four() -> None:
    assert mask_credit_code(ICBC_CODE) == "9110**********962T"


def test_short_values_are_hidden_entirely() -> None:
    assert mask_id_number("1234") == "****"
    assert mask_phone("12345") == "*****"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧阳**"), ("司马光", "司马*"),
     ("诸葛亮", "诸葛*"), ("上官婉儿", "上官**"), ("轩辕明", "轩辕*"), ("欧阳", "欧*"),
     ("李", "*"), ("", ""), ("John Smith", "J*********"), (" 王芳 ", "王*")],
)
def test_name_mask_keeps_the_surname(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_every_demo_name_is_masked_beyond_its_surname() -> None:
    for name in DEMO_NAMES:
        masked = mask_name(name)
        assert len(masked) == len(name) and masked.endswith("*") and masked[0] == name[0]
