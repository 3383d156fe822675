"""Every vocabulary a client picks from answers one shape, ``{value, label}``, so a picker is written once."""

from __future__ import annotations

from typing import Any

from geo.service_divisions import import_divisions
from tests.integration.geo.geo_support import ORIGIN, division, square

# Fields a vocabulary may add beside value and label (a division's level and parent, a category's state).
EXTRA = {"level", "parent", "is_active"}


def _choices(name: str, entries: Any) -> None:
    assert isinstance(entries, list) and entries, name
    for entry in entries:
        assert {"value", "label"} <= set(entry) <= {"value", "label"} | EXTRA, (name, entry)
        assert isinstance(entry["value"], str) and isinstance(entry["label"], str) and entry["label"], (name, entry)


async def test_every_vocabulary_answers_value_and_label(client):
    await import_divisions([division("440303", "罗湖区", "district", square(ORIGIN, 3000))])
    for url in ("/api/v1/gazette/agencies", "/api/v1/gazette/topics", "/api/v1/questions/categories"):
        answer = await client.get(url)
        assert answer.status_code == 200, url
        _choices(url, answer.json())
    options = (await client.get("/api/v1/subscriptions/options")).json()
    vocabularies = {name: entries for name, entries in options.items() if isinstance(entries, list) and entries}
    assert set(vocabularies) == {"topics", "agencies", "doc_types", "disclosures", "divisions", "industries", "sizes",
                                 "frequencies"}
    for name, entries in vocabularies.items():
        _choices(f"options.{name}", entries)
