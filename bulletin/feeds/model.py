"""Subscription criteria: canonical form, the terms that index them, and matching (pure).

A subscription's criteria name, per kind, the values a document may have; an empty kind
matches anything; kinds combine with AND and values within one with OR. Criteria are
canonicalised (codes instead of labels, sorted, deduplicated, keywords normalised) so that
identical criteria share one subscriber list, found by :func:`Criteria.key`.

Matching at publish time never tests subscriptions one by one: a list is indexed by its
terms ``(criterion, value)``; a document yields the terms it satisfies (:func:`probes`);
a list matches when it has a term hit for each of its non-empty criteria (or has none).
:func:`matches` is the same rule written directly, for backfills and as the reference.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from bulletin.feeds import divisions
from bulletin.model import DISCLOSURES, DOC_TYPES, INDUSTRIES, SIZES, TOPICS, Vocabulary
from bulletin.text import keyword_words, normalize

CRITERIA = ("topics", "agencies", "doc_types", "disclosures", "keywords", "divisions", "industries", "sizes")
TERM = {"topics": "topic", "agencies": "agency", "doc_types": "doc_type", "disclosures": "disclosure",
        "keywords": "keyword", "divisions": "division", "industries": "industry", "sizes": "size"}
VOCABULARIES: dict[str, Vocabulary] = {"topics": TOPICS, "doc_types": DOC_TYPES, "disclosures": DISCLOSURES,
                                       "industries": INDUSTRIES, "sizes": SIZES}
FREQUENCIES = Vocabulary("frequency", [
    ("immediate", "即时推送"), ("daily", "每日摘要（8:30）"), ("weekly", "每周摘要（周一 8:30）"), ("feed", "仅在主页显示"),
])
# Lower is more urgent: an account matched through several subscriptions gets the most urgent one.
RANK = {"immediate": 0, "daily": 1, "weekly": 2, "feed": 3}
MAX_VALUES = 20
MAX_KEYWORD_CHARS = 20
MAX_SUBSCRIPTIONS = 20


class CriteriaError(ValueError):
    """A criterion that cannot be used: names the field, a stable code and a Chinese message."""

    def __init__(self, field: str, code: str, message: str, value: str | None = None) -> None:
        super().__init__(f"{field}: {code}")
        self.field, self.code, self.message, self.value = field, code, message, value


@dataclass(frozen=True, slots=True)
class Criteria:
    """Canonical criteria: each kind a sorted tuple of distinct values."""

    topics: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    disclosures: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        """Every criterion as a list (empty lists included), as the API shows them."""
        return {name: list(getattr(self, name)) for name in CRITERIA}

    @property
    def count(self) -> int:
        """How many criteria are not empty (a list must hit that many to match)."""
        return sum(1 for name in CRITERIA if getattr(self, name))

    def key(self) -> str:
        """The identity of a subscriber list: SHA-256 of the canonical JSON."""
        text = json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Iterable[str]]) -> Criteria:
        """Criteria already canonical (as stored)."""
        return cls(**{name: tuple(data.get(name) or ()) for name in CRITERIA})


def canonical_keyword(raw: str) -> str:
    """A keyword as stored: NFKC, lower case, inner whitespace collapsed; CriteriaError if unusable."""
    keyword = " ".join(normalize(raw).split())
    if not keyword or len(keyword) > MAX_KEYWORD_CHARS:
        raise CriteriaError("keywords", "invalid_keyword", f"关键词须为 1 至 {MAX_KEYWORD_CHARS} 个字", raw)
    if not required_words(keyword):
        raise CriteriaError("keywords", "invalid_keyword", "关键词须包含文字或数字", raw)
    return keyword


def _canonical_values(name: str, values: Iterable[str], agencies: Mapping[str, str] | None) -> tuple[str, ...]:
    found: set[str] = set()
    for raw in values:
        value = str(raw).strip()
        if name in VOCABULARIES:
            code = VOCABULARIES[name].code_for(value)
            if code is None:
                raise CriteriaError(name, f"unknown_{TERM[name]}", f"未知的{_LABEL[name]}：{value}", value)
            value = code
        elif name == "agencies" and agencies is not None:
            if value not in agencies:
                raise CriteriaError(name, "unknown_agency", f"未知的发布机构：{value}", value)
            value = agencies[value]
        elif name == "divisions":
            code = divisions.canonical_division(value)
            if code is None:
                raise CriteriaError(name, "invalid_division", f"区划代码格式不正确：{value}", value)
            value = code
        elif name == "keywords":
            value = canonical_keyword(value)
        found.add(value)
    if len(found) > MAX_VALUES:
        raise CriteriaError(name, "too_many_values", f"每项条件最多 {MAX_VALUES} 个值")
    return tuple(sorted(found))


_LABEL = {"topics": "主题分类", "doc_types": "文件类型", "disclosures": "五公开类别", "industries": "行业门类",
          "sizes": "企业规模"}


def canonical_criteria(raw: Mapping[str, Iterable[str] | None], *,
                       agencies: Mapping[str, str] | None = None) -> Criteria:
    """Criteria from user input: labels to codes, sorted, deduplicated; CriteriaError names the field.

    ``agencies`` maps every accepted spelling of an agency (its code and its name) to its code;
    None accepts any agency code unchecked.
    """
    unknown = sorted(set(raw) - set(CRITERIA))
    if unknown:
        raise CriteriaError(unknown[0], "unknown_criterion", f"不支持的订阅条件：{unknown[0]}")
    return Criteria(**{name: _canonical_values(name, raw.get(name) or (), agencies) for name in CRITERIA})


def index_terms(criteria: Criteria) -> list[tuple[str, str]]:
    """The (criterion, value) rows that index a subscriber list."""
    terms: list[tuple[str, str]] = []
    for name in CRITERIA:
        for value in getattr(criteria, name):
            values = divisions.subscription_values(value) if name == "divisions" else [value]
            terms.extend((TERM[name], v) for v in values)
    return terms


@lru_cache(maxsize=65536)
def required_words(keyword: str) -> tuple[str, ...]:
    """The words a document must offer for a keyword to match (see bulletin.text.keyword_words)."""
    return keyword_words(keyword)


def anchor_word(keyword: str) -> str:
    """The keyword's longest required word: the one looked up in a document's words first."""
    return max(required_words(keyword), key=len)


def keyword_hit(keyword: str, tokens: Collection[str]) -> bool:
    """Whether a document's keyword tokens satisfy a keyword."""
    wanted = required_words(keyword)
    return bool(wanted) and all(word in tokens for word in wanted)


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What subscriptions match in a document or notice (keywords aside)."""

    topic: str | None = None
    agency: str | None = None
    doc_type: str | None = None
    disclosure: str | None = None
    divisions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()

    @classmethod
    def build(cls, **values: Any) -> ItemFacts:
        """Facts with division tags in short form (tags that are not division codes are dropped)."""
        codes = (divisions.canonical_division(str(v)) for v in values.pop("divisions", None) or ())
        return cls(divisions=tuple(sorted({c for c in codes if c})),
                   industries=tuple(sorted(set(values.pop("industries", None) or ()))),
                   sizes=tuple(sorted(set(values.pop("sizes", None) or ()))),
                   **{k: v or None for k, v in values.items()})

    @property
    def targeted(self) -> bool:
        """Tagged for enterprises (an industry or a size): a 惠企 policy."""
        return bool(self.industries or self.sizes)

    def effective_industries(self) -> tuple[str, ...]:
        """The industries an enterprise policy is for: none tagged but a size tagged means all of them."""
        return self.industries or (INDUSTRIES.codes if self.sizes else ())

    def effective_sizes(self) -> tuple[str, ...]:
        """The sizes an enterprise policy is for: none tagged but an industry tagged means all of them."""
        return self.sizes or (SIZES.codes if self.industries else ())

    def as_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemFacts:
        return cls.build(**{f.name: data.get(f.name) for f in fields(cls)})


def probes(item: ItemFacts, keywords: Iterable[str] = ()) -> dict[str, list[str]]:
    """Index values an item hits, per criterion; ``keywords`` are the stored keywords it matches."""
    found: dict[str, list[str]] = {}
    for term, value in (("topic", item.topic), ("agency", item.agency), ("doc_type", item.doc_type),
                        ("disclosure", item.disclosure)):
        if value:
            found[term] = [value]
    expanded = sorted({v for code in item.divisions for v in divisions.document_values(code)})
    for term, values in (("division", expanded), ("industry", list(item.effective_industries())),
                         ("size", list(item.effective_sizes())), ("keyword", sorted(set(keywords)))):
        if values:
            found[term] = values
    return found


def matches(criteria: Criteria, item: ItemFacts, tokens: Collection[str] | None) -> bool:
    """Whether an item satisfies criteria (``tokens``: its keyword tokens; None when unknown)."""
    single = {"topics": item.topic, "agencies": item.agency, "doc_types": item.doc_type,
              "disclosures": item.disclosure}
    for name, value in single.items():
        wanted = getattr(criteria, name)
        if wanted and value not in wanted:
            return False
    if criteria.industries and not set(criteria.industries) & set(item.effective_industries()):
        return False
    if criteria.sizes and not set(criteria.sizes) & set(item.effective_sizes()):
        return False
    if criteria.divisions and not any(divisions.related(a, b) for a in criteria.divisions for b in item.divisions):
        return False
    if criteria.keywords:
        return tokens is not None and any(keyword_hit(k, tokens) for k in criteria.keywords)
    return True


def describe(criteria: Criteria, *, agency_names: Mapping[str, str] | None = None,
             division_names: Mapping[str, str] | None = None) -> str:
    """A short Chinese description of criteria, e.g. 主题：教育；区域：东门街道 (a code the map does not name stays a code)."""
    parts = []
    for name in CRITERIA:
        values = getattr(criteria, name)
        if not values:
            continue
        if name in VOCABULARIES:
            shown = [VOCABULARIES[name].label(v) for v in values]
        elif name == "agencies":
            shown = [(agency_names or {}).get(v, v) for v in values]
        elif name == "divisions":
            shown = [(division_names or {}).get(v, v) for v in values]
        else:
            shown = list(values)
        parts.append(f"{_DESCRIBE[name]}：{'、'.join(shown)}")
    return "；".join(parts) or "全部公开信息"


_DESCRIBE = {"topics": "主题", "agencies": "发布机构", "doc_types": "文种", "disclosures": "五公开",
             "keywords": "关键词", "divisions": "区域", "industries": "行业", "sizes": "规模"}
