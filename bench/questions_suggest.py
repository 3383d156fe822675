"""Benchmark of 一号答 suggestions (issue 16): ``service_answers.suggest`` over N entries on PostgreSQL,
against a raw SQL ``ILIKE '%q%'`` on question and answer returning the best five, in the same run.

1. Loads N published entries (default 10 000) into a scratch PostgreSQL database: the demo's ~100
   questions and answers, each repeated with a place, a year and a serial so that questions differ;
   then ANALYZE (what autovacuum does after such a load).
2. Times a mix of what residents type (prefixes and words of demo questions: 1 to 6 characters),
   one query at a time, after one untimed warm-up pass: p50 / p95 / max.
3. Times the ILIKE baseline on the same queries.

Target: p95 <= 30 ms on PostgreSQL. Run from the repository root:
``.venv/bin/python bench/questions_suggest.py [--entries N]``. The PostgreSQL server comes from
BIANMIN_DATABASE_URL when it is a postgres:// URL, else the local server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = ("东门", "桂园", "黄贝", "翠竹", "笋岗", "清水河", "莲塘", "东湖", "南湖", "东晓")
BASELINE = """
SELECT id, question FROM questions_entries
WHERE status = 'published' AND (question ILIKE $1 OR answer_text ILIKE $1)
ORDER BY (question ILIKE $1) DESC, solved DESC, id DESC LIMIT 5
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def load(count: int) -> float:
    from bulletin import service as gazette
    from questions import repository
    from questions.demo_data import ENTRIES
    from questions.tables import Entry
    from server import clock

    started = time.perf_counter()
    now = clock.now()
    rng = random.Random(7)
    for n in range(count):
        category, question, answer = ENTRIES[n % len(ENTRIES)]
        place = PLACES[rng.randrange(len(PLACES))]
        text = f"{answer}（{place}街道，{2020 + n % 7}年，第{n}号）"
        html = gazette.markdown_to_html(text)
        entry = await Entry.create(question=f"{place}：{question}", answer=text, answer_html=html,
                                   answer_text=gazette.plain_text(html), category=category, status="published",
                                   solved=rng.randrange(100), created_at=now, updated_at=now, published_at=now)
        await repository.index_entry(entry.id, question=entry.question, answer_text=entry.answer_text)
    return time.perf_counter() - started


def typed_queries() -> list[str]:
    from questions.demo_data import ENTRIES

    rng = random.Random(11)
    queries = []
    for _category, question, _answer in rng.sample(ENTRIES, 40):
        core = question.rstrip("？?")
        queries.append(core[: rng.randint(1, min(6, len(core)))])
    return queries


async def timed(run, queries: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for q in queries:
        started = time.perf_counter()
        await run(q)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def bench(url: str, entries: int) -> None:
    from bench.support import open_backend
    from questions import service_answers
    from server import storage

    await open_backend(url, Path(tempfile.mkdtemp(prefix="questions-bench-")), redis_prefix="questions-bench:")
    try:
        load_s = await load(entries)
        # As autovacuum would soon after such a load: without statistics the planner takes "published"
        # for a rare status and walks every entry instead of the GIN index (~40 ms a query at 10 000).
        await storage.db().execute_script("ANALYZE")
        queries = typed_queries()

        async def ours(q: str) -> None:
            await service_answers.suggest(q, limit=5)

        async def baseline(q: str) -> None:
            await storage.db().execute_query_dict(BASELINE, [f"%{q}%"])

        await timed(ours, queries)
        await timed(baseline, queries)  # warm-up, untimed
        mine, base = await timed(ours, queries), await timed(baseline, queries)
    finally:
        await storage.close_storage()
    print(f"{entries} entries loaded in {load_s:.1f} s; {len(queries)} typed queries, one at a time")
    for name, ts in (("suggest", mine), ("ILIKE", base)):
        print(f"{name:8} p50 {statistics.median(ts):6.1f} ms  p95 {percentile(ts, 95):6.1f} ms  max {max(ts):6.1f} ms")
    print(f"p95 ratio ILIKE / suggest: {percentile(base, 95) / percentile(mine, 95):.1f}x; target p95 <= 30 ms")


async def main_async(args: argparse.Namespace) -> None:
    import asyncpg

    from server.config import _database_url

    admin = os.environ.get("BIANMIN_DATABASE_URL", "")
    admin = admin if admin.startswith(("postgres://", "postgresql://")) else "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"questions_bench_{os.getpid()}"
    conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        await bench(_database_url("pg", admin.rsplit("/", 1)[0] + f"/{name}"), args.entries)
    finally:
        conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
