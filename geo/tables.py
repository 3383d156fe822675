"""Tortoise models of the service map: the category tree, service points (POIs) and divisions.

No PostGIS: coordinates are plain WGS-84 lon/lat columns and division outlines GeoJSON text, so the
same schema runs on SQLite and PostgreSQL. Geometry work happens in Python (shapely) and in the
per-worker in-memory snapshot (geo/snapshot.py, kept current by geo/snapshot_cache.py).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    """One node of the category tree (reference data from geo/categories.py)."""

    code = fields.CharField(max_length=64, primary_key=True)  # e.g. "elderly.canteen"
    name = fields.CharField(max_length=64)
    parent_code = fields.CharField(max_length=64, null=True)
    position = fields.IntField(default=0)  # display order

    class Meta:
        table = "geo_categories"


class Poi(Model):
    """A service point (服务点). Closed points stay, so imports and halls keep their ids."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    # A plain code checked against the tree (geo/categories.py) on every write, not a foreign key:
    # the tree is code, and a key to reference data would stop tables being emptied in any order.
    category = fields.CharField(max_length=64, db_index=True)
    address = fields.CharField(max_length=256, default="")
    phone = fields.CharField(max_length=64, default="")
    lon = fields.FloatField()  # WGS-84
    lat = fields.FloatField()
    opening_hours = fields.JSONField(null=True)  # geo.hours wire form; null: unknown
    status = fields.CharField(max_length=24, default="open", db_index=True)
    accessibility = fields.JSONField(default=dict)  # {"wheelchair": true, ...}
    tags = fields.JSONField(default=list)
    source_id = fields.CharField(max_length=128, unique=True, null=True)
    hall_id = fields.IntField(null=True, db_index=True)  # appointments' hall id; no cross-domain key
    search_key = fields.TextField(default="")  # geo.textmatch.search_key, kept so rebuilds skip pinyin
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "geo_pois"


class Division(Model):
    """An administrative area: district (区), street (街道) or community (社区)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=64)
    level = fields.CharField(max_length=16)
    parent_code = fields.CharField(max_length=32, null=True, db_index=True)
    geometry = fields.TextField()  # GeoJSON (Multi)Polygon, WGS-84, RFC 7946 winding
    min_lon = fields.FloatField()
    min_lat = fields.FloatField()
    max_lon = fields.FloatField()
    max_lat = fields.FloatField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "geo_divisions"


class ImportJob(Model):
    """A GeoJSON import started from the console: its state and counts, read by every worker's progress page."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)  # server.User who started it; no cross-domain key
    filename = fields.CharField(max_length=200, default="")
    coord = fields.CharField(max_length=8, default="wgs84")
    status = fields.CharField(max_length=16, default="queued")  # queued | running | done | failed
    total = fields.IntField(default=0)
    created = fields.IntField(default=0)
    updated = fields.IntField(default=0)
    unchanged = fields.IntField(default=0)
    rejected = fields.IntField(default=0)
    error = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()  # the running job's heartbeat: a stale one has lost its process
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "geo_import_jobs"


class ImportItem(Model):
    """One feature's line of an import job's report: its index in the file, name, result and why it was refused."""

    id = fields.BigIntField(primary_key=True)
    job_id = fields.IntField()
    index = fields.IntField()
    name = fields.CharField(max_length=128, default="")
    result = fields.CharField(max_length=16)  # created | updated | unchanged | rejected
    reason = fields.CharField(max_length=300, default="")

    class Meta:
        table = "geo_import_items"
        unique_together = (("job_id", "index"),)
