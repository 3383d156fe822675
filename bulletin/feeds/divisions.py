"""Administrative division codes (统计用区划代码) as subscription criteria and document tags.

Codes are hierarchical by prefix: 2 digits a province, 4 a city, 6 a district or county,
9 a street or township, 12 a community or village (44 / 4403 / 440303 / 440303003 /
440303003001). The 12-digit padded form writes a district as 440303000000; both forms mean
the same place, so codes are kept in the short form.

A subscription to a place and a document about a place match when one contains the other:
following one's community brings the district-wide notices, and following the district
brings a notice about one of its communities; two sibling communities do not match.
"""

from __future__ import annotations

import re

LEVELS = (2, 4, 6, 9, 12)
_DIGITS = re.compile(r"[0-9]+")
# Trailing zero groups that padding adds, from the longest form down.
_PADDING = ((12, 3), (9, 3), (6, 2), (4, 2))
WIDER = "^"  # marks an index value standing for "a document about this wider area"


def canonical_division(code: str) -> str | None:
    """The short form of a division code, or None when it is not one."""
    code = code.strip()
    if not _DIGITS.fullmatch(code) or len(code) not in LEVELS:
        return None
    for length, zeros in _PADDING:
        if len(code) == length and code.endswith("0" * zeros):
            code = code[: length - zeros]
    if code in ("", "00") or len(code) < 2:
        return None
    return code


def ancestors(code: str) -> list[str]:
    """The areas containing a (short-form) code, widest first: 440303003 -> [44, 4403, 440303]."""
    return [code[:n] for n in LEVELS if n < len(code)]


def related(a: str, b: str) -> bool:
    """Whether one of two short-form codes contains the other (or they are equal)."""
    return a.startswith(b) or b.startswith(a)


def subscription_values(code: str) -> list[str]:
    """Index values of a subscribed division: itself, and each wider area as ``^code``."""
    return [code, *(WIDER + wider for wider in ancestors(code))]


def document_values(code: str) -> list[str]:
    """Index values a document tag probes: itself, the areas containing it, and ``^itself``.

    A subscription to X stores X and ^A for every A containing X. A document tagged T probes
    T and every area containing T (subscriptions to T or a wider area), and ^T (subscriptions
    to places inside T). Siblings share no value, so they never match.
    """
    return [code, *ancestors(code), WIDER + code]
