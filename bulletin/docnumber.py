"""文号 (document numbers) such as 深罗府办〔2024〕12号: one normal form for exact lookup.

Government documents write the year in 六角括号 〔〕 (GB/T 9704), but people and older
systems type [2018], 【2018】, (2018), （2018）, ［2018］, ﹝2018﹞ or 〔 2018 〕. The normal
form uses 〔〕, has no whitespace, ASCII digits, and a final 号 when the number ends in digits,
so every spelling of one 文号 maps to one string that the storage layer indexes.
"""

from __future__ import annotations

import re

CANONICAL_OPEN = "〔"
CANONICAL_CLOSE = "〕"

# Every bracket pair seen around the year in real 文号: 六角括号 (also the small-form
# ﹝﹞ that Word substitutes), square, lenticular, white lenticular and round, in both widths.
_OPENING = "〔﹝[［【〖(（"
_CLOSING = "〕﹞]］】〗)）"
_BRACKETS = str.maketrans(
    {**{c: CANONICAL_OPEN for c in _OPENING}, **{c: CANONICAL_CLOSE for c in _CLOSING}}
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACE_RE = re.compile(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Agency abbreviation (Han characters, occasionally with letters), 〔year〕, serial, 号.
_DOC_NUMBER_RE = re.compile(
    rf"[{_HAN}][{_HAN}A-Za-z]{{0,19}}〔(?:19|20)\d{{2}}〕第?\d{{1,5}}号?"
)


def normalize_doc_number(value: str) -> str:
    """The normal form of a 文号: 〔〕 brackets, no spaces, ASCII digits, ending in 号."""
    text = _SPACE_RE.sub("", value).translate(_BRACKETS).translate(_FULLWIDTH_DIGITS)
    text = text.replace(f"{CANONICAL_CLOSE}第", CANONICAL_CLOSE)
    if text and text[-1].isdigit() and _DOC_NUMBER_RE.fullmatch(text + "号"):
        text += "号"
    return text


def looks_like_doc_number(query: str) -> bool:
    """Whether a search query is a 文号, so it should be looked up exactly first."""
    return _DOC_NUMBER_RE.fullmatch(normalize_doc_number(query)) is not None
