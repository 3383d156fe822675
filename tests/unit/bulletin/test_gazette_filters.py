"""One filter type for the gazette: the API's query, the search and the facets agree on it."""

from __future__ import annotations

import dataclasses
from datetime import date

from bulletin.facet_counts import Filters
from bulletin.schemas import SearchQuery


def test_every_filter_is_a_query_parameter_and_nothing_else_is_a_filter():
    names = {f.name for f in dataclasses.fields(Filters)}
    assert names <= set(SearchQuery.model_fields)
    assert set(SearchQuery.model_fields) - names == {"q", "sort", "limit", "cursor"}


def test_a_query_gives_its_filters_as_tuples():
    query = SearchQuery.model_validate({"q": "补贴", "agency": "lhjyj,罗湖区人民政府", "year": "2024,2025",
                                        "topic": "education", "published_from": "2024-01-01"})
    assert query.filters() == Filters(agency=("lhjyj", "罗湖区人民政府"), topic=("education",), year=(2024, 2025),
                                      published_from=date(2024, 1, 1))
