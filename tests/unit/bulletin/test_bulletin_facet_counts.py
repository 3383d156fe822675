"""In-memory facets, totals, ranking keys and keyset pages over a small hand-made snapshot."""

from datetime import date

import numpy as np

from bulletin.facet_counts import Filters, Snapshot, Tiers, pack, select, unpack

DAY = (date(2024, 1, 1) - date(1970, 1, 1)).days
ROWS = [  # id, agency, days since 1970, topic, doc_type, disclosure, validity
    (10, 1, DAY, "education", "notice", "decision", "valid"),
    (11, 1, DAY + 400, "education", "opinion", "execution", "valid"),
    (12, 2, DAY + 400, "health_sports", "notice", "decision", "expired"),
    (13, 2, DAY - 400, "", "notice", "", "valid"),
    (14, 3, DAY + 10, "education", "notice", "service", "valid"),
]


def _snapshot() -> Snapshot:
    columns = list(zip(*ROWS))
    text = {"kind": ["document"] * 5, "topic": columns[3], "doc_type": columns[4], "disclosure": columns[5],
            "validity": columns[6]}
    return Snapshot.build("t", ids=columns[0][::-1], agency=columns[1][::-1], days=columns[2][::-1],
                          text={k: list(v)[::-1] for k, v in text.items()})


def _ids(selection) -> list[int]:
    return [key[2] for key in selection.keys]


def test_each_facet_counts_under_the_other_filters_only() -> None:
    result = select(_snapshot(), matched=np.array([10, 11, 12, 14, 99]), tiers=None,
                    filters=Filters(agency=(1,), doc_type=("notice",)), sort="newest", after=None, limit=10)
    assert _ids(result) == [10] and result.total == 1
    assert result.facets == {
        "agency": {"1": 1, "2": 1, "3": 1},      # notices of every agency
        "topic": {"education": 1},                # agency 1's notices
        "doc_type": {"notice": 1, "opinion": 1},  # agency 1's documents
        "disclosure": {"decision": 1},
        "year": {"2024": 1},
    }


def test_browsing_without_a_query_sees_every_document_and_non_facet_filters_apply() -> None:
    everything = select(_snapshot(), matched=None, tiers=None, filters=Filters(), sort="oldest", after=None, limit=10)
    assert _ids(everything) == [13, 10, 14, 11, 12]
    assert everything.facets["year"] == {"2022": 1, "2024": 2, "2025": 2}  # DAY + 400 is in 2025
    valid = select(_snapshot(), matched=None, tiers=None,
                   filters=Filters(validity=("valid",), published_from=date(2024, 1, 1)), sort="newest",
                   after=None, limit=10)
    assert _ids(valid) == [11, 14, 10]


def test_relevance_puts_doc_number_then_title_then_head_matches_first() -> None:
    tiers = Tiers(exact=np.array([13]), title=np.array([10]), head=np.array([10, 12]))
    result = select(_snapshot(), matched=np.array([10, 11, 12, 13, 14]), tiers=tiers, filters=Filters(),
                    sort="relevance", after=None, limit=10)
    assert [(k[0], k[2]) for k in result.keys] == [(3, 13), (2, 10), (1, 12), (0, 11), (0, 14)]


def test_keyset_pages_continue_after_the_last_key_with_id_breaking_date_ties() -> None:
    snapshot = _snapshot()
    first = select(snapshot, matched=None, tiers=None, filters=Filters(), sort="newest", after=None, limit=2)
    assert _ids(first) == [12, 11]  # same day: higher id first
    second = select(snapshot, matched=None, tiers=None, filters=Filters(), sort="newest",
                    after=pack(*first.keys[-1]), limit=2)
    assert _ids(second) == [14, 10] and second.total == 5


def test_order_keys_round_trip() -> None:
    assert unpack(pack(2, date(2031, 12, 31), 2_000_000_000)) == (2, date(2031, 12, 31), 2_000_000_000)
    assert pack(1, date(1999, 1, 1), 5) > pack(0, date(2030, 1, 1), 9)


def test_an_empty_snapshot_answers_nothing() -> None:
    empty = Snapshot.build(None, ids=[], agency=[], days=[], text={k: [] for k in
                                                                   ("kind", "topic", "doc_type", "disclosure", "validity")})
    result = select(empty, matched=np.array([1, 2]), tiers=None, filters=Filters(topic=("education",)),
                    sort="relevance", after=None, limit=5)
    assert result.keys == [] and result.total == 0 and result.facets["topic"] == {}
