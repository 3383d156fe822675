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
    """The normal form of a 文号: 〔〕 brackets, no spaces, ASCII digits, ending in 号.

    It is also the standard form of GB/T 9704 (六角括号, no 第 before the number), so documents store
    and show it; search looks every spelling up by it.
    """
    text = _SPACE_RE.sub("", value).translate(_BRACKETS).translate(_FULLWIDTH_DIGITS)
    text = text.replace(f"{CANONICAL_CLOSE}第", CANONICAL_CLOSE)
    if text and text[-1].isdigit() and _DOC_NUMBER_RE.fullmatch(text + "号"):
        text += "号"
    return text


def looks_like_doc_number(query: str) -> bool:
    """Whether a search query is a 文号, so it should be looked up exactly first."""
    return _DOC_NUMBER_RE.fullmatch(normalize_doc_number(query)) is not None


# In running text the agency abbreviation has no left boundary ("根据深罗府办〔2024〕12号"), so
# every prefix of up to this many characters before the year is offered as a candidate.
_CITATION_RE = re.compile(rf"([{_HAN}A-Za-z]{{1,12}})〔((?:19|20)\d{{2}})〕第?(\d{{1,5}})号?")
MAX_CITATION_PREFIX = 12


def cited_doc_numbers(text: str) -> list[str]:
    """Normal forms a 文号 written in text might have, one per possible agency prefix.

    "依据深罗府办〔2024〕12号" yields "办〔2024〕12号", "府办〔2024〕12号", ... and
    "依据深罗府办〔2024〕12号": the true 文号 is always among them, so an index built from
    these finds every document citing a given 文号, in any bracket style.
    """
    folded = _SPACE_RE.sub("", text).translate(_BRACKETS).translate(_FULLWIDTH_DIGITS)
    found: dict[str, None] = {}
    for match in _CITATION_RE.finditer(folded):
        prefix, year, serial = match.groups()
        for start in range(len(prefix)):
            if _is_han(prefix[start]):
                found[f"{prefix[start:]}{CANONICAL_OPEN}{year}{CANONICAL_CLOSE}{serial}号"] = None
    return list(found)


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"
