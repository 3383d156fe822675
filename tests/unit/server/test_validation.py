"""The edge's checks on parsed requests, and the Chinese wording of pydantic's errors (no I/O)."""

from __future__ import annotations

import typing
from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, Field, ValidationError
from pydantic_core.core_schema import ErrorType

from server import errors, validation
from server.validation_messages import MESSAGES
from tests.support.wording import not_chinese


class Inner(BaseModel):
    note: str = ""
    count: int = 0


class Request(BaseModel):
    plain: int = 0
    floor_only: int = Field(0, ge=1)  # a lower bound says nothing about the upper one
    wide: int = Field(0, le=10**12)
    wide_items: list[Annotated[int, Field(ge=0, le=2**62)]] = []
    ids: list[int] = []
    names: dict[str, str] = {}
    ratio: float = 0.0
    inner: Inner | None = None


def problems(**values) -> list[tuple[tuple, str]]:
    return [(loc, code) for loc, code, _ in validation.guard(Request.model_construct(**values), ())]


def test_ints_without_their_own_bounds_must_fit_an_id_column() -> None:
    assert problems(plain=2**31 - 1, ids=[-(2**31)], wide=10**12, wide_items=[2**62]) == []
    assert problems(plain=2**31, floor_only=2**40, ids=[1, -(2**31) - 1], inner=Inner(count=2**33)) == [
        (("plain",), "less_than_equal"), (("floor_only",), "less_than_equal"), (("ids", 1), "greater_than_equal"),
        (("inner", "count"), "less_than_equal")]
    assert problems(wide=-(2**40)) == [(("wide",), "greater_than_equal")]


def test_nul_characters_anywhere_and_non_finite_floats_are_found() -> None:
    assert problems(names={"a\x00": "b", "c": "d\x00"}, inner=Inner(note="x\x00"), ratio=float("nan")) == [
        (("names", "a\x00"), "string_contains_nul"), (("names", "c"), "string_contains_nul"),
        (("ratio",), "finite_number"), (("inner", "note"), "string_contains_nul")]


def test_check_raises_one_422_naming_every_field_in_chinese() -> None:
    with pytest.raises(errors.ValidationFailed) as caught:
        validation.check(Request.model_construct(plain=2**31, inner=Inner(note="\x00")), location="query")
    assert caught.value.details["fields"] == [
        {"field": "plain", "in": "query", "code": "less_than_equal", "message": "应小于或等于 2147483647"},
        {"field": "inner.note", "in": "query", "code": "string_contains_nul", "message": "不能包含空字符（\\u0000）"}]


def test_every_pydantic_message_becomes_chinese_and_our_own_words_stay() -> None:
    class Model(BaseModel):
        name: str = Field(min_length=2)
        when: str = Field(pattern=r"^\d+$")

    with pytest.raises(ValidationError) as caught:
        Model.model_validate({"name": "a", "when": "x", "extra": 1})
    fields = validation.validation_error(caught.value, location="body").details["fields"]
    assert [(f["field"], f["code"], f["message"]) for f in fields] == [
        ("name", "string_too_short", "长度不能少于 2 个字符"), ("when", "string_pattern_mismatch", "格式不正确")]
    assert validation.message_for({"type": "value_error", "loc": (), "msg": "Value error, 须为整数",
                                   "input": 1, "ctx": {"error": ValueError("须为整数")}}) == "须为整数"
    assert validation.message_for({"type": "some_future_type", "loc": (), "msg": "Whatever", "input": 1}) == "取值无效"


def test_every_error_type_pydantic_knows_has_chinese_words() -> None:
    """A schema that starts using a new kind of field (bytes, a URL, a Decimal) needs no new wording."""
    assert set(typing.get_args(ErrorType)) - set(MESSAGES) == set()
    assert {kind: not_chinese(message) for kind, message in MESSAGES.items() if not_chinese(message)} == {}


def _english(value: str) -> str:
    return str(int(value))  # a library's ValueError: "invalid literal for int() with base 10: 'x'"


def _asserted(value: str) -> str:
    assert value.isdigit()
    return value


def test_a_validators_english_words_never_reach_the_client() -> None:
    class Model(BaseModel):
        count: Annotated[str, AfterValidator(_english)] = "0"
        digits: Annotated[str, AfterValidator(_asserted)] = "0"

    with pytest.raises(ValidationError) as caught:
        Model.model_validate({"count": "x", "digits": "y"})
    fields = validation.validation_error(caught.value, location="body").details["fields"]
    assert [(f["field"], f["code"], f["message"]) for f in fields] == [
        ("count", "value_error", "取值无效"), ("digits", "assertion_error", "取值无效")]


def test_path_ids_wider_than_a_column_match_no_route() -> None:
    assert validation.path_int("2147483647") == 2**31 - 1
    for text in ("2147483648", "-2147483649", "99999999999999999999"):
        with pytest.raises(ValueError):
            validation.path_int(text)
