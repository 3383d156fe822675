"""Bulk loading of published documents (generated sets for paging tests and the benchmark)."""

from __future__ import annotations

from collections.abc import Sequence

from bulletin import repository, repository_search
from bulletin.repository_search import IndexEntry
from bulletin.search_tokens import SearchFields
from bulletin.tables import Document

CHUNK = 1000


async def insert_published(documents: Sequence[Document], *,
                           fields: Sequence[SearchFields] | None = None) -> list[int]:
    """Insert published documents (each with a unique index_number) and their search rows; their ids.

    ``fields`` may carry the search tokens computed elsewhere (e.g. in worker processes);
    otherwise they are computed here. No outbox events: this is for loading archives and
    generated sets, not for publishing to subscribers.
    """
    if fields is not None and len(fields) != len(documents):
        raise ValueError("fields must match documents one to one")
    ids: list[int] = []
    for start in range(0, len(documents), CHUNK):
        chunk = documents[start:start + CHUNK]
        await Document.bulk_create(list(chunk), batch_size=CHUNK)
        numbers = [d.index_number for d in chunk]
        by_number = dict(await Document.filter(index_number__in=numbers).values_list("index_number", "id"))
        entries = []
        for offset, document in enumerate(chunk):
            document.id = by_number[document.index_number]
            ids.append(document.id)
            if fields is None:
                entries.append(repository.index_entry(document))
            else:
                entries.append(IndexEntry(document.id, fields[start + offset]))
        await repository_search.upsert(entries)
    return ids
