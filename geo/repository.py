"""Queries of the service map. Only this module (and the migrations) touch geo's tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from geo.categories import Category as CategoryNode
from geo.tables import Category, Division, Poi
from server import clock, storage

# Columns the in-memory index needs, in the order geo.snapshot reads them.
INDEX_COLUMNS = ("id", "lon", "lat", "category", "status", "name", "address", "phone", "hall_id",
                 "opening_hours", "search_key")
PAGE_IDS = 1000
POI_COLUMNS = ("name", "category", "address", "phone", "lon", "lat", "opening_hours", "status",
               "accessibility", "tags", "source_id", "search_key")


async def sync_categories(nodes: Sequence[CategoryNode]) -> None:
    """Make the categories table match the code's tree (insert new nodes, rename changed ones)."""
    existing = {c.code: c for c in await Category.all()}
    fresh = []
    for position, node in enumerate(nodes):
        row = existing.get(node.code)
        if row is None:
            fresh.append(Category(code=node.code, name=node.name, parent_code=node.parent_code, position=position))
        elif (row.name, row.parent_code, row.position) != (node.name, node.parent_code, position):
            await Category.filter(code=node.code).update(name=node.name, parent_code=node.parent_code,
                                                         position=position)
    if fresh:
        await Category.bulk_create(fresh)


async def index_rows(*, after_id: int, limit: int) -> list[Sequence[Any]]:
    """One page of POIs for the in-memory index, by ascending id (raw rows, columns as INDEX_COLUMNS)."""
    # Raw SQL: model instances for 100k rows would cost seconds and a lot of transient memory.
    sql = (f"SELECT {', '.join(INDEX_COLUMNS)} FROM geo_pois WHERE id > {int(after_id)} "
           f"ORDER BY id LIMIT {int(limit)}")
    _, rows = await storage.db().execute_query(sql)
    return list(rows)


async def index_rows_by_ids(ids: Iterable[int]) -> list[Sequence[Any]]:
    """The index rows (as :func:`index_rows`) of these POIs, by ascending id; missing ids are skipped."""
    wanted = sorted({int(i) for i in ids})
    rows: list[Sequence[Any]] = []
    for start in range(0, len(wanted), PAGE_IDS):
        listed = ", ".join(str(i) for i in wanted[start:start + PAGE_IDS])  # ints: nothing to escape
        sql = f"SELECT {', '.join(INDEX_COLUMNS)} FROM geo_pois WHERE id IN ({listed}) ORDER BY id"
        _, page = await storage.db().execute_query(sql)
        rows.extend(page)
    return rows


async def all_divisions() -> list[Division]:
    """Every division (there are tens to a few hundred in a district)."""
    return await Division.all().order_by("code")


async def get_poi(poi_id: int, *, using_db: BaseDBAsyncClient | None = None, lock: bool = False) -> Poi | None:
    """One POI by id."""
    query = Poi.filter(id=poi_id)
    if lock:
        query = query.select_for_update()
    return await query.using_db(using_db).first()


async def find_pois(*, name: str | None, categories: Iterable[str] | None, limit: int) -> list[Poi]:
    """POIs whose name contains ``name`` (exact matches first) within the categories, by id."""
    query = Poi.all()
    if name:
        query = query.filter(name__contains=name)
    if categories is not None:
        query = query.filter(category__in=list(categories))
    rows = await query.order_by("id").limit(limit)
    return sorted(rows, key=lambda row: row.name != name)


async def names_of(ids: Iterable[int]) -> dict[int, str]:
    """Names of some POIs by id."""
    rows = await Poi.filter(id__in=list(ids)).values_list("id", "name")
    return dict(rows)


async def by_source_ids(source_ids: Sequence[str], *, using_db: BaseDBAsyncClient | None = None) -> dict[str, Poi]:
    """Existing POIs among the given source ids."""
    if not source_ids:
        return {}
    rows = await Poi.filter(source_id__in=list(source_ids)).using_db(using_db)
    return {row.source_id: row for row in rows if row.source_id is not None}


async def ids_of_sources(source_ids: Sequence[str], *, using_db: BaseDBAsyncClient | None = None) -> list[int]:
    """Ids of the POIs holding these source ids."""
    if not source_ids:
        return []
    return list(await Poi.filter(source_id__in=list(source_ids)).using_db(using_db).values_list("id", flat=True))


async def source_id_owner(source_id: str, *, using_db: BaseDBAsyncClient | None = None) -> int | None:
    """Id of the POI holding a source id, if any."""
    row = await Poi.filter(source_id=source_id).using_db(using_db).values_list("id", flat=True)
    return row[0] if row else None


async def insert_pois(values: Sequence[dict[str, Any]], *, using_db: BaseDBAsyncClient | None = None) -> None:
    """Create POIs from column values (timestamps set here)."""
    now = clock.now()
    await Poi.bulk_create([Poi(**v, created_at=now, updated_at=now) for v in values], batch_size=500,
                          using_db=using_db)


async def create_poi(values: dict[str, Any], *, using_db: BaseDBAsyncClient | None = None) -> Poi:
    """Create one POI and return it with its id."""
    now = clock.now()
    return await Poi.create(**values, created_at=now, updated_at=now, using_db=using_db)


async def update_poi(poi_id: int, values: dict[str, Any], *, using_db: BaseDBAsyncClient | None = None) -> int:
    """Change some columns of one POI (and its updated_at); returns the number of rows changed."""
    return await Poi.filter(id=poi_id).using_db(using_db).update(**values, updated_at=clock.now())


async def export_page(*, after_id: int, limit: int, statuses: Sequence[str]) -> list[Poi]:
    """One page of POIs for the GeoJSON export, by ascending id."""
    return await Poi.filter(Q(id__gt=after_id), Q(status__in=list(statuses))).order_by("id").limit(limit)


async def divisions_by_code(codes: Sequence[str], *, using_db: BaseDBAsyncClient | None = None) -> dict[str, Division]:
    """Existing divisions among the given codes."""
    rows = await Division.filter(code__in=list(codes)).using_db(using_db)
    return {row.code: row for row in rows}


async def save_division(values: dict[str, Any], existing: Division | None, *,
                        using_db: BaseDBAsyncClient | None = None) -> None:
    """Insert a division or overwrite the one with the same code."""
    now = clock.now()
    if existing is None:
        await Division.create(**values, created_at=now, updated_at=now, using_db=using_db)
    else:
        await Division.filter(id=existing.id).using_db(using_db).update(**values, updated_at=now)
