"""Query strings reach the query models exactly as Sanic's ``request.args`` (``parse_qs``) has them."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from server.api import query_values

CASES = [
    "",
    "lat=22.5&lon=114.1&radius=3000&limit=20",
    "category=a,b&category=c",  # repeated keys keep every value, in order
    "a=&b=1&c",  # blank values and bare keys are dropped
    "=x&&k=v=w",  # an empty key, an empty part, a value holding "="
    "q=%E7%A4%BE%E5%8C%BA&lat=1",  # percent-escapes are decoded
    "q=a+b",  # "+" is a space
    "q=社区&limit=5",  # raw UTF-8 passes through
    "lat=1;lon=2",  # ";" is not a separator
]


@pytest.mark.parametrize("text", CASES)
def test_query_values_equal_parse_qs(text):
    # Sanic's request.args is parse_qs with its defaults (blank values dropped, errors replaced).
    request = SimpleNamespace(query_string=text, args=parse_qs(text, errors="replace"))
    assert query_values(request) == parse_qs(text, errors="replace")
