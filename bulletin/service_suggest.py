"""Search-as-you-type (GET /gazette/suggest): government terms and document titles."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bulletin import repository_search
from bulletin.query import to_fts5_match, to_pg_tsquery
from bulletin.search_tokens import text_query
from bulletin.tables import Document
from bulletin.text import USER_DICT_PATH, normalize
from server import storage

MAX_TERMS = 5


@lru_cache(maxsize=1)
def dictionary_terms() -> tuple[str, ...]:
    """The user dictionary's government terms (营商环境, 一网通办, ...), in file order."""
    lines = USER_DICT_PATH.read_text("utf-8").splitlines()
    return tuple(dict.fromkeys(line.split()[0] for line in lines if line.strip()))


def matching_terms(prefix: str, *, limit: int = MAX_TERMS) -> list[str]:
    """Dictionary terms starting with the prefix, shortest first."""
    folded = normalize(prefix.strip())
    if not folded:
        return []
    found = [t for t in dictionary_terms() if normalize(t).startswith(folded) and normalize(t) != folded]
    return sorted(found, key=len)[:limit]


async def suggest(q: str, *, limit: int = 8) -> dict[str, Any]:
    """Completions for a partial query: terms from the dictionary, titles of published documents."""
    q = q.strip()
    if not q:
        return {"terms": [], "titles": []}
    prefixed = await Document.filter(status="published", title__startswith=q).order_by(
        "-published_on", "-id").limit(limit).values_list("id", flat=True)
    ids = list(prefixed)
    query = text_query(q)
    if query is not None and len(ids) < limit:
        expression = (to_pg_tsquery(query.terms) if storage.dialect() == "postgres"
                      else to_fts5_match(query.terms))
        for doc_id in await repository_search.title_matches(expression, limit=limit):
            if doc_id not in ids and len(ids) < limit:
                ids.append(doc_id)
    titles = {d.id: d.title for d in await Document.filter(id__in=ids)}
    return {"terms": matching_terms(q), "titles": [{"id": i, "title": titles[i]} for i in ids]}
