"""The PostGIS side of bench/geo_nearby.py: the extension (installed from Debian when missing), the same
points in a geography column with a GiST index, and the nearest-neighbour query it is compared with."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time

import numpy as np


async def ensure_postgis(admin_url: str) -> None:
    """Install Debian's PostGIS package when the server does not offer the extension."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        found = await conn.fetchval("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
        major = (await conn.fetchval("SHOW server_version")).split(".")[0]
    finally:
        await conn.close()
    if found:
        return
    await asyncio.to_thread(apt_install, f"postgresql-{major}-postgis-3")


def apt_install(package: str) -> None:
    """apt-get install, refreshing the package lists once if the first attempt fails."""
    print(f"installing {package} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", package], env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", package], env=env, check=True)


async def load_postgis(url: str, features: list[dict]):
    """A geography column with a GiST index over the same points; returns the open connection."""
    import asyncpg

    conn = await asyncpg.connect(url)
    await conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    await conn.execute("CREATE TABLE pois (id int PRIMARY KEY, lon float8, lat float8, "
                       "geog geography(Point, 4326))")
    rows = [(i + 1, *f["geometry"]["coordinates"]) for i, f in enumerate(features)]
    await conn.copy_records_to_table("pois", records=rows, columns=["id", "lon", "lat"])
    await conn.execute("UPDATE pois SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography")
    await conn.execute("CREATE INDEX pois_geog ON pois USING gist (geog)")
    await conn.execute("VACUUM ANALYZE pois")
    return conn


POSTGIS_NEAREST = """
SELECT id, ST_Distance(geog, q) AS d FROM pois, (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS q) p
WHERE ST_DWithin(geog, q, $3) ORDER BY geog <-> q LIMIT $4"""


async def time_postgis(statement, points: np.ndarray, radius_m: float, limit: int) -> tuple[list[float], list[list[int]]]:
    """Seconds and ids of each nearest query, one point after another."""
    times, answers = [], []
    for lon, lat in points:
        started = time.perf_counter()
        rows = await statement.fetch(float(lon), float(lat), radius_m, limit)
        times.append(time.perf_counter() - started)
        answers.append([r["id"] for r in rows])
    return times, answers
