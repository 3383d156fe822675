"""What a person reads in an error: Chinese words, with the English only in codes and field names."""

from __future__ import annotations

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CODE = re.compile(r"[a-z][a-z0-9_]*")
# Two English words in a row ("Field required", "unknown category"); single tokens such as a field
# name, ``bbox``, ``ISO 8601`` or ``minLon,minLat``, and names of formats (``GeoJSON FeatureCollection``:
# capitals inside a word), may stand inside a Chinese sentence.
_ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z]+(?: +[A-Za-z][a-z]+)+\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")  # what the person typed, quoted back


def not_chinese(message: str) -> str | None:
    """Why a message is not plain Chinese for its reader (None when it is)."""
    if not HAN.search(message):
        return f"no Chinese: {message!r}"
    phrase = _ENGLISH_PHRASE.search(_QUOTED.sub("", message))
    return f"English {phrase.group()!r} in {message!r}" if phrase else None
