"""Criteria canonicalisation, the term index against the direct rule, division containment (pure)."""

from __future__ import annotations

import random

import pytest

from bulletin.feeds import divisions
from bulletin.feeds.model import (
    CRITERIA,
    TERM,
    Criteria,
    CriteriaError,
    ItemFacts,
    canonical_criteria,
    describe,
    index_terms,
    matches,
    probes,
)


def test_labels_become_codes_and_order_and_repeats_do_not_matter():
    a = canonical_criteria({"topics": ["教育", "health_sports", "education"], "sizes": ["小型", "micro"],
                            "keywords": ["  营商环境 ", "ＡＢＣ"]})
    b = canonical_criteria({"keywords": ["abc", "营商环境"], "sizes": ["micro", "small"],
                            "topics": ["卫生体育", "教育"], "agencies": []})
    assert a == b
    assert a.topics == ("education", "health_sports") and a.sizes == ("micro", "small")
    assert a.keywords == ("abc", "营商环境")  # full-width folded, lower case, trimmed
    assert a.key() == b.key() and len(a.key()) == 64
    assert a.count == 3


def test_different_criteria_have_different_keys():
    assert canonical_criteria({"topics": ["education"]}).key() != canonical_criteria({"agencies": ["education"]}).key()
    assert Criteria().count == 0


@pytest.mark.parametrize(("raw", "field", "code"), [
    ({"topics": ["no_such_topic"]}, "topics", "unknown_topic"),
    ({"doc_types": ["通知书"]}, "doc_types", "unknown_doc_type"),
    ({"disclosures": ["公开"]}, "disclosures", "unknown_disclosure"),
    ({"industries": ["Z"]}, "industries", "unknown_industry"),
    ({"sizes": ["huge"]}, "sizes", "unknown_size"),
    ({"divisions": ["44030"]}, "divisions", "invalid_division"),
    ({"divisions": ["罗湖区"]}, "divisions", "invalid_division"),
    ({"keywords": ["，。！"]}, "keywords", "invalid_keyword"),
    ({"keywords": ["一" * 21]}, "keywords", "invalid_keyword"),
    ({"agencies": ["nowhere"]}, "agencies", "unknown_agency"),
    ({"colours": ["red"]}, "colours", "unknown_criterion"),
    ({"topics": [t for t in ("education", "health_sports")] * 1, "divisions": [f"440303{n:03d}" for n in range(21)]},
     "divisions", "too_many_values"),
])
def test_bad_criteria_name_the_field(raw, field, code):
    with pytest.raises(CriteriaError) as caught:
        canonical_criteria(raw, agencies={"lhjyj": "lhjyj", "罗湖区教育局": "lhjyj"})
    assert (caught.value.field, caught.value.code) == (field, code)
    assert caught.value.message  # Chinese text for the user


@pytest.mark.parametrize(("raw", "short"), [
    ("440303", "440303"), ("440303000000", "440303"), ("440303003000", "440303003"),
    ("440303003001", "440303003001"), ("440300", "4403"), ("440000", "44"), ("440303003", "440303003"),
    ("4403030", None), ("000000", None), ("44a303", None), ("", None),
])
def test_division_codes_take_their_short_form(raw, short):
    assert divisions.canonical_division(raw) == short


@pytest.mark.parametrize(("subscribed", "tagged", "expected"), [
    ("440303003001", "440303", True),       # a district-wide document concerns my community
    ("440303003001", "440303003", True),    # so does one about my street
    ("440303", "440303003001", True),       # following the district brings its communities' news
    ("440303003001", "440303003001", True),
    ("440303003001", "440303003002", False),  # a sibling community
    ("440303003", "440303002", False),      # a sibling street
    ("440303003001", "440304", False),      # another district
    ("440303003001", "4403", True),         # a city-wide document
])
def test_division_matching_by_containment(subscribed, tagged, expected):
    criteria = canonical_criteria({"divisions": [subscribed]})
    item = ItemFacts.build(divisions=[tagged])
    assert matches(criteria, item, None) is expected
    assert _index_match(criteria, item, ()) is expected


def _index_match(criteria: Criteria, item: ItemFacts, keywords) -> bool:
    """The publish-time rule as the SQL statement applies it: per list, criteria with a hit == non-empty criteria."""
    hits = probes(item, keywords)
    terms = index_terms(criteria)
    hit_criteria = {criterion for criterion, value in terms if value in hits.get(criterion, ())}
    return len(hit_criteria) == criteria.count


def test_and_across_criteria_or_within_one():
    item = ItemFacts.build(topic="education", agency="lhjyj", doc_type="notice", disclosure="execution",
                           divisions=["440303"])
    assert matches(canonical_criteria({"topics": ["education", "health_sports"]}), item, None)
    assert matches(canonical_criteria({"topics": ["education"], "agencies": ["lhjyj"]}), item, None)
    assert not matches(canonical_criteria({"topics": ["education"], "agencies": ["lhwjj"]}), item, None)
    assert not matches(canonical_criteria({"topics": ["education"], "doc_types": ["opinion"]}), item, None)
    assert matches(Criteria(), item, None)  # no criteria: everything


def test_enterprise_policy_without_a_size_is_for_every_size():
    any_size = ItemFacts.build(industries=["F"])
    only_small = ItemFacts.build(industries=["F"], sizes=["small"])
    resident_doc = ItemFacts.build(topic="education")
    wholesale_micro = canonical_criteria({"industries": ["F"], "sizes": ["micro"]})
    assert matches(wholesale_micro, any_size, None)
    assert not matches(wholesale_micro, only_small, None)
    assert not matches(wholesale_micro, resident_doc, None)  # not a policy for enterprises at all
    assert matches(canonical_criteria({"sizes": ["micro"]}), ItemFacts.build(sizes=["micro", "small"]), None)
    for criteria, item in ((wholesale_micro, any_size), (wholesale_micro, only_small), (wholesale_micro, resident_doc)):
        assert _index_match(criteria, item, ()) is matches(criteria, item, None)


def test_keywords_match_words_in_the_text():
    tokens = {"优化", "营商", "环境", "营商环境", "通知"}
    assert matches(canonical_criteria({"keywords": ["营商环境"]}), ItemFacts(), tokens)
    assert matches(canonical_criteria({"keywords": ["养老", "营商环境"]}), ItemFacts(), tokens)
    assert not matches(canonical_criteria({"keywords": ["养老"]}), ItemFacts(), tokens)
    assert not matches(canonical_criteria({"keywords": ["营商环境"]}), ItemFacts(), None)  # text unknown


def test_the_term_index_agrees_with_the_direct_rule_on_random_cases():
    rng = random.Random(20260301)
    pools = {"topics": ["education", "health_sports", "civil_affairs_relief"], "agencies": ["lhjyj", "lhwjj"],
             "doc_types": ["notice", "opinion"], "disclosures": ["service", "result"],
             "divisions": ["440303", "440303003", "440303003001", "440303003002", "440304"],
             "industries": ["C", "F"], "sizes": ["small", "micro"], "keywords": ["养老", "医保"]}
    agree = 0
    for _ in range(3000):
        raw = {name: rng.sample(pool, rng.choice([0, 0, 1, 2])) for name, pool in pools.items()}
        criteria = canonical_criteria(raw)
        tags = {name: rng.sample(pools[name], rng.choice([0, 1, 2])) for name in ("divisions", "industries", "sizes")}
        item = ItemFacts.build(topic=rng.choice(pools["topics"]), agency=rng.choice(pools["agencies"]),
                               doc_type=rng.choice(pools["doc_types"]), disclosure=rng.choice(pools["disclosures"]),
                               **tags)
        words = set(rng.sample(pools["keywords"], rng.choice([0, 1])))
        expected = matches(criteria, item, words)
        assert _index_match(criteria, item, [k for k in criteria.keywords if k in words]) is expected
        agree += expected
    assert 50 < agree < 2950  # both outcomes were exercised


def test_every_criterion_has_an_index_term_name():
    assert set(TERM) == set(CRITERIA)


def test_description_in_chinese():
    criteria = canonical_criteria({"topics": ["education"], "divisions": ["440303003001"], "keywords": ["学位"]})
    assert describe(criteria) == "主题：教育；关键词：学位；区域：440303003001"
    assert describe(canonical_criteria({"agencies": ["lhjyj"]}), agency_names={"lhjyj": "罗湖区教育局"}) \
        == "发布机构：罗湖区教育局"
    assert describe(Criteria()) == "全部公开信息"
