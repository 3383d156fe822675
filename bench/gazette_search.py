"""Benchmark of gazette search (issue 5), through the service layer, with the ILIKE scan as baseline.

1. Generates N documents (default 100 000, about 1 500 characters each) from a government
   vocabulary (bulletin/corpus.py), tokenises them in worker processes, and loads them in
   bulk into a scratch PostgreSQL database and a scratch SQLite file: indexing throughput.
2. Runs a query mix (two-character words, four-character terms, 文号 in random bracket
   styles, multi-word queries), one query at a time, through
   ``bulletin.service_search.search_documents`` with limit=20, default sort and facets,
   the Redis result cache bypassed (cold-cache numbers); database caches are warmed by one
   untimed pass. p50 / p95 per backend.
3. In the same run, the baseline ``ILIKE '%q%'`` scan on title, 文号, summary and body
   returning the same answer (total, facets, newest 20) on a sample of the same queries.
4. Recall and precision on a labelled set of two-character words (truth: every document
   whose text contains the word, found by Python substring search).

Targets: p95 <= 50 ms on PostgreSQL, >= 20x faster than the scan, recall 100 %.
Run from the repository root: ``.venv/bin/python bench/gazette_search.py [--documents N]``.
The PostgreSQL server comes from BIANMIN_DATABASE_URL when it is a postgres:// URL, else
the local server (postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulletin import corpus, search_tokens
from bulletin.docnumber import normalize_doc_number

BRACKETS = (("〔", "〕"), ("[", "]"), ("【", "】"), ("（", "）"), ("(", ")"))
MULTI_WORD = ("养老 补贴", "营商环境 企业", "学校 安全", "就业 培训 补贴", "住房 物业", "食品安全 检查",
              "医保 异地就医", "垃圾分类 社区", "科技创新 人才", "政务公开 审批", "预算 审计", "消防 街道")


def _fields(doc: corpus.GeneratedDocument) -> search_tokens.SearchFields:
    return search_tokens.search_fields(title=doc.title, doc_number=doc.doc_number, summary=doc.summary,
                                     body_text=doc.body_text)


def generate(count: int, workers: int) -> tuple[list[corpus.GeneratedDocument], list[Any], float]:
    """The documents, their search fields, and the seconds tokenising took."""
    stream = corpus.Corpus()
    documents = [stream.document(n) for n in range(count)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        fields = pool.map(_fields, documents, chunksize=500)
    return documents, fields, time.perf_counter() - started


COMMON = ("工作", "推进", "管理", "服务")  # officialese found in nearly every document
ISSUE_MIX = ("2-char", "4-char", "文号", "multi")


def query_mix(documents: list[corpus.GeneratedDocument], seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs: 2-character words, 4-character terms, 文号, multi-word; plus the extremes."""
    r = random.Random(seed)
    mix = [("2-char", w) for w in r.sample(corpus.subject_words(), 24)]
    mix += [("4-char", t) for t in r.sample(corpus.four_character_terms(), 24)]
    for doc in r.sample(documents, 24):
        opening, closing = r.choice(BRACKETS)
        mix.append(("文号", doc.doc_number.replace("〔", opening).replace("〕", closing)))
    mix += [("multi", q) for q in MULTI_WORD]
    mix += [("common", w) for w in COMMON] + [("browse", "")] * 4
    return mix


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def load(documents: list[corpus.GeneratedDocument], fields: list[Any]) -> float:
    """Bulk insert through the repository; seconds."""
    from bulletin import reference, repository_bulk
    from bulletin.tables import Agency, Document
    from server import clock, storage

    agencies = {a.code: a.id for a in await Agency.all()}
    agency_ids = [agencies[code] for code, _name in reference.AGENCIES]
    now = clock.now()
    rows = [Document(kind="document", title=d.title, doc_number=d.doc_number,
                     doc_number_norm=normalize_doc_number(d.doc_number), index_number=d.index_number,
                     agency_id=agency_ids[d.agency_index], topic=d.topic, doc_type=d.doc_type,
                     disclosure=d.disclosure, validity=d.validity, published_on=d.published_on,
                     summary=d.summary, body=d.body_text, body_format="markdown", body_html="",
                     body_text=d.body_text, status="published", published_at=now, created_at=now, updated_at=now)
            for d in documents]
    started = time.perf_counter()
    await repository_bulk.insert_published(rows, fields=fields)
    if storage.dialect() == "postgres":
        for table in ("gazette_search", "gazette_documents"):
            await storage.db().execute_script(f"VACUUM ANALYZE {table}")
    else:
        await storage.db().execute_script("ANALYZE")
    return time.perf_counter() - started


async def run_queries(mix: list[tuple[str, str]]) -> dict[str, list[float]]:
    from bulletin.service_search import SearchParams, search_documents

    times: dict[str, list[float]] = {}
    for kind, q in mix:
        started = time.perf_counter()
        await search_documents(SearchParams(q=q, limit=20), use_cache=False)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return times


def _ilike_sql(q: str, dialect: str) -> tuple[str, list[str]]:
    from bulletin.docnumber import looks_like_doc_number
    from bulletin.query import query_terms

    words = [normalize_doc_number(q)] if looks_like_doc_number(q) else [t.text for t in query_terms(q)]
    like = "ILIKE" if dialect == "postgres" else "LIKE"
    marks = [f"${i + 1}" if dialect == "postgres" else f"?{i + 1}" for i in range(len(words))]
    conditions = " AND ".join(
        f"(d.title {like} {m} OR d.doc_number {like} {m} OR d.summary {like} {m} OR d.body_text {like} {m})"
        for m in marks)
    year = "EXTRACT(YEAR FROM d.published_on)" if dialect == "postgres" else "substr(d.published_on, 1, 4)"
    sql = f"""WITH m AS MATERIALIZED (SELECT d.id, d.agency_id, d.topic, d.doc_type, d.disclosure,
        {year} AS year, d.published_on FROM gazette_documents d WHERE d.status = 'published' AND {conditions})
    SELECT 'i', id, NULL FROM (SELECT id FROM m ORDER BY published_on DESC, id DESC LIMIT 20) page
    UNION ALL SELECT 'a', agency_id, count(*) FROM m GROUP BY agency_id
    UNION ALL SELECT 't', topic, count(*) FROM m GROUP BY topic
    UNION ALL SELECT 'd', doc_type, count(*) FROM m GROUP BY doc_type
    UNION ALL SELECT 'p', disclosure, count(*) FROM m GROUP BY disclosure
    UNION ALL SELECT 'y', year, count(*) FROM m GROUP BY year
    UNION ALL SELECT 'n', NULL, count(*) FROM m"""
    if dialect == "postgres":
        sql = sql.replace("'i', id,", "'i', id::text,").replace("'a', agency_id,", "'a', agency_id::text,")
        sql = sql.replace("'y', year,", "'y', year::text,")
    return sql, [f"%{w}%" for w in words]


async def run_baseline(mix: list[tuple[str, str]]) -> list[float]:
    from server import storage

    db = storage.db()
    times = []
    for _kind, q in mix:
        sql, values = _ilike_sql(q, db.capabilities.dialect)
        started = time.perf_counter()
        async with storage.transaction() as conn:
            if db.capabilities.dialect == "postgres":
                await conn.execute_script("SET LOCAL jit = off")
            await conn.execute_query(sql, values)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def recall(documents: list[corpus.GeneratedDocument], ids: list[int], words: list[str]) -> tuple[float, float]:
    from bulletin.query import to_fts5_match, to_pg_tsquery
    from bulletin.repository_search import match
    from server import storage

    hits = misses = extra = 0
    for word in words:
        truth = {i for i, d in zip(ids, documents)
                 if word in d.title or word in d.doc_number or word in d.summary or word in d.body_text}
        query = search_tokens.parse_query(word)
        assert query is not None
        expression = to_pg_tsquery(query.terms) if storage.dialect() == "postgres" else to_fts5_match(query.terms)
        found = {int(i) for i in (await match(expression, tiers=False)).ids}
        hits += len(truth & found)
        misses += len(truth - found)
        extra += len(found - truth)
    return hits / (hits + misses), hits / (hits + extra)


async def bench_backend(name: str, url: str, documents: list[Any], fields: list[Any], mix: list[tuple[str, str]],
                        baseline_mix: list[tuple[str, str]], recall_words: list[str], var_dir: Path) -> dict[str, Any]:
    from bench.support import open_backend
    from server import storage

    await open_backend(url, var_dir, redis_prefix="gazette-bench:")
    try:
        load_s = await load(documents, fields)
        from bulletin.tables import Document

        by_number = dict(await Document.all().values_list("index_number", "id"))
        ids = [by_number[d.index_number] for d in documents]
        await run_queries(mix)  # warm-up, untimed
        times = await run_queries(mix)
        baseline = await run_baseline(baseline_mix)
        ours_on_baseline = await run_queries(baseline_mix)
        rec, precision = await recall(documents, ids, recall_words)
    finally:
        await storage.close_storage()
    return {"name": name, "load_s": load_s, "times": times, "baseline": baseline,
            "ours_on_baseline": [t for ts in ours_on_baseline.values() for t in ts], "recall": rec,
            "precision": precision}


def report(results: list[dict[str, Any]], *, count: int, tokenise_s: float, workers: int) -> None:
    print(f"\n{count} documents; tokenising with {workers} processes: {tokenise_s:.1f} s "
          f"({count / tokenise_s:.0f} docs/s)")
    print("search through the service layer, limit=20, default sort, facets, Redis cache bypassed")
    print("issue mix = 2-char subject words, 4-char terms, 文号, multi-word; common = words in ~100% of "
          "documents; browse = no query\n")
    header = f"{'backend':10} {'query kind':10} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        issue_mix = [t for kind in ISSUE_MIX for t in r["times"][kind]]
        everything = [t for ts in r["times"].values() for t in ts]
        for kind, ts in [*r["times"].items(), ("issue mix", issue_mix), ("everything", everything)]:
            print(f"{r['name']:10} {kind:10} {len(ts):4d} {statistics.median(ts):8.1f} {percentile(ts, 95):8.1f} "
                  f"{max(ts):8.1f}")
    print()
    for r in results:
        base, ours = r["baseline"], r["ours_on_baseline"]
        print(f"{r['name']:10} load {r['load_s']:.1f} s ({count / r['load_s']:.0f} docs/s); "
              f"ILIKE scan p50 {statistics.median(base):.0f} ms p95 {percentile(base, 95):.0f} ms on {len(base)} "
              f"queries; ours p50 {statistics.median(ours):.1f} ms -> {statistics.median(base) / statistics.median(ours):.0f}x "
              f"(p95 {percentile(base, 95) / percentile(ours, 95):.0f}x); "
              f"2-char recall {r['recall']:.2%}, precision {r['precision']:.2%}")


async def main_async(args: argparse.Namespace) -> None:
    from server.config import _database_url

    documents, fields, tokenise_s = generate(args.documents, args.workers)
    mix = query_mix(documents)
    baseline_mix = random.Random(3).sample([m for m in mix if m[0] in ISSUE_MIX], args.baseline_queries)
    recall_words = random.Random(5).sample(corpus.two_character_words(), 12)
    results = []
    var_dir = Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    admin = os.environ.get("BIANMIN_DATABASE_URL", "")
    admin = admin if admin.startswith(("postgres://", "postgresql://")) else "postgres://postgres@127.0.0.1:5432/postgres"
    import asyncpg

    name = f"gazette_bench_{os.getpid()}"
    conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        url = _database_url("pg", admin.rsplit("/", 1)[0] + f"/{name}")
        results.append(await bench_backend("postgres", url, documents, fields, mix, baseline_mix, recall_words, var_dir))
    finally:
        conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
    if not args.skip_sqlite:
        url = f"sqlite://{var_dir}/bench.sqlite3"
        results.append(await bench_backend("sqlite", url, documents, fields, mix, baseline_mix, recall_words, var_dir))
    report(results, count=args.documents, tokenise_s=tokenise_s, workers=args.workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--baseline-queries", type=int, default=12)
    parser.add_argument("--skip-sqlite", action="store_true")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
