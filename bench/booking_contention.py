"""Booking under contention: the real server against the minimal raw transaction, in the same run.

Server: `bianmin serve --workers 2` on PostgreSQL + Redis, hundreds of concurrent httpx clients
posting bookings (a share on a few hot 10-seat slots, the rest on many cold ones), one 身份证 each.
Baseline: the same concurrency and slot layout (other rows of the same tables) through asyncpg,
one transaction per request: the conditional `UPDATE ... WHERE booked < capacity` and the INSERT.
Also, for context, the HTTP floor: GET /healthz on the same server at the same concurrency.
Prints requests/s, bookings/s, p50/p99 and the ratio (target >= 0.3), then asserts that no slot
is overbooked and no booking is lost. Run: ``.venv/bin/python bench/booking_contention.py``;
BIANMIN_DATABASE_URL / BIANMIN_REDIS_URL when set, else the local servers and a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import redis.asyncio as redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.booking_raw import check, run_raw
from bench.booking_runs import Run, drive, table
from bench.http_load import free_port
from bench.support import RAISED_RATE_LIMITS

LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
HOT_CAPACITY = 10
COLD_CAPACITY = 500
TARGET = 0.3
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
BENCH_RULES = {"max_persons_per_account_month": 1000, "max_account_bookings_per_day": 200}


def id_number(n: int) -> str:
    """A distinct valid 身份证 per n (罗湖区, births spread over 1950-2005)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=n // 900)
    body = f"440303{birth:%Y%m%d}{n % 900 + 100:03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def environment(database_url: str, redis_url: str, var_dir: Path) -> dict[str, str]:
    return {**os.environ, "BIANMIN_ENV": "dev", "BIANMIN_DATABASE_URL": database_url, "BIANMIN_REDIS_URL": redis_url,
            "BIANMIN_REDIS_PREFIX": f"bench{secrets.token_hex(4)}:", "BIANMIN_WORKERS": "2",
            "BIANMIN_SECRET_KEY": secrets.token_urlsafe(40), "BIANMIN_RUN_WORKER": "false",
            "BIANMIN_PII_KEY": base64.b64encode(secrets.token_bytes(32)).decode(), "BIANMIN_DEV_LOGIN": "true",
            "BIANMIN_VAR_DIR": str(var_dir), "BIANMIN_LOG_LEVEL": "WARNING",
            "BIANMIN_RATE_LIMITS": RAISED_RATE_LIMITS}


async def fetchval(url: str, statement: str) -> object:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetchval(statement)
    finally:
        await conn.close()


async def scratch_database() -> tuple[str, str | None]:
    """(database URL, scratch name to drop) from BIANMIN_DATABASE_URL or the local server."""
    given = os.environ.get("BIANMIN_DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return given, None
    name = f"bianmin_bench_{secrets.token_hex(4)}"
    await fetchval(LOCAL_PG, f'CREATE DATABASE "{name}"')
    return LOCAL_PG.rsplit("/", 1)[0] + f"/{name}", name


async def drop_database(name: str) -> None:
    await fetchval(LOCAL_PG, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def forget_redis_keys(url: str, prefix: str) -> None:
    """The run's sessions and counters live under its own prefix: remove them."""
    client = redis.Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def seed(env: dict[str, str], hot: int) -> dict[str, list[int]]:
    """One hall, two identical service items (server and baseline); a few slots made hot."""
    from appointments import service_halls, service_slots
    from appointments.tables import Slot
    from server import config, storage

    settings = config.install(config.load_settings(environ=env))
    await storage.open_storage(settings)
    try:
        # Each client books for 20 or more people, many on one day: the anti-scalping limits are lifted
        # (they are still checked, under the account's lock, on every request), as seats are under test.
        hall = await service_halls.create_hall({"name": "罗湖区行政服务大厅（压测）", "windows": 40}, rules=BENCH_RULES)
        every_day = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        layout: dict[str, list[int]] = {}
        for side in ("server", "raw", "wrk"):
            item = await service_halls.add_service(hall["id"], {"name": f"社保卡补办（{side}）"})
            await service_slots.put_schedule(hall["id"], item["id"], {"periods": every_day, "slot_minutes": 30,
                                                                      "capacity": COLD_CAPACITY})
            ids = list(await Slot.filter(service_id=item["id"], status="open").order_by("start_at")
                       .values_list("id", flat=True))
            await Slot.filter(id__in=ids[:hot]).update(capacity=HOT_CAPACITY)
            layout[f"{side}_hot"], layout[f"{side}_cold"] = ids[:hot], ids[hot:]
            layout[f"{side}_service"] = [item["id"]]
        return layout
    finally:
        await storage.close_storage()


def plan(requests: int, hot_share: float, hot: list[int], cold: list[int], *, first: int) -> list[tuple[int, int]]:
    """(slot id, person number) per request: the same shape for both sides."""
    rng = random.Random(20260309)
    return [(rng.choice(hot) if rng.random() < hot_share else rng.choice(cold), first + n) for n in range(requests)]


def http_client(base: str, clients: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=base, limits=limits, timeout=60)


async def run_server(base: str, work: list[tuple[int, int]], clients: int, service_id: int) -> tuple[Run, list[str]]:
    result = Run("server (2 workers, HTTP)")
    async with http_client(base, clients) as http:
        logins = [await http.post("/api/v1/auth/dev", json={"openid": f"bench-{i}"}) for i in range(clients)]
        tokens = [{"Authorization": f"Bearer {login.json()['token']}"} for login in logins]

        async def one(index: int, slot: int, person: int) -> None:
            body = {"slot_id": slot, "service_id": service_id, "name": "王芳", "id_number": id_number(person),
                    "phone": "13600136000"}
            started = time.perf_counter()
            response = await http.post("/api/v1/bookings", json=body, headers=tokens[index])
            if response.status_code == 201:
                result.record(started, "booked", response.json()["id"])
            else:
                result.record(started, response.json()["error"]["code"] if response.status_code < 500 else "error")

        result.seconds = await drive(work, clients, one)
    return result, [token["Authorization"].split()[1] for token in tokens]


async def run_floor(base: str, requests: int, clients: int) -> Run:
    """The HTTP floor: GET /healthz at the same concurrency (no database), for context."""
    result = Run("HTTP floor (GET /healthz)")
    async with http_client(base, clients) as http:
        async def one(index: int, slot: int, person: int) -> None:
            started = time.perf_counter()
            await http.get("/healthz")
            result.record(started, "ok")

        result.seconds = await drive([(0, n) for n in range(requests)], clients, one)
    return result


# wrk (a C load generator) shows what the server itself sustains, beyond what one httpx process can send.
WRK_SCRIPT = """
local hot, cold, share = {%(hot)s}, {%(cold)s}, %(share)f
local tokens = {%(tokens)s}  -- the httpx run's accounts, each request from the next one in turn
local weights, threads, counter = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}, {}, 0
codes = {}
function setup(thread) thread:set("base", #threads * 200000); table.insert(threads, thread) end
local function id_number(k)  -- births from 1970 on: never one of the httpx run's people
  local body = "440303" .. os.date("!%%Y%%m%%d", math.floor(k / 900) * 86400) .. string.format("%%03d", k %% 900 + 100)
  local total = 0
  for i = 1, 17 do total = total + tonumber(body:sub(i, i)) * weights[i] end
  return body .. ("10X98765432"):sub(total %% 11 + 1, total %% 11 + 1)
end
function request()
  counter = counter + 1
  local pool = math.random() < share and hot or cold
  local body = string.format('{"slot_id": %%d, "service_id": %(service)d, "name": "王芳", "id_number": "%%s", '
    .. '"phone": "13600136000"}', pool[math.random(#pool)], id_number(base + counter))
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. tokens[(base + counter) %% #tokens + 1]}
  return wrk.format("POST", "/api/v1/bookings", headers, body)
end
function response(status) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do for code, n in pairs(t:get("codes")) do io.write("status ", code, " ", n, "\\n") end end
  io.write(string.format("latency %%f %%f %%f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         summary.duration / 1e6))
end
"""


async def run_wrk(base: str, layout: dict[str, list[int]], args: argparse.Namespace, tokens: list[str]) -> Run:
    """The same workload from wrk for `--seconds`, on its own slots and from the httpx run's accounts (one
    account for everything would be the one scalper the per-account rules serialise and refuse)."""
    script = WRK_SCRIPT % {"hot": ", ".join(map(str, layout["wrk_hot"])), "cold": ", ".join(map(str, layout["wrk_cold"])),
                           "share": args.hot_share, "tokens": ", ".join(f'"{t}"' for t in tokens),
                           "service": layout["wrk_service"][0]}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as handle:
        handle.write(script)
        handle.flush()
        out = await asyncio.to_thread(subprocess.run, ["wrk", "-t2", f"-c{args.clients}", f"-d{args.seconds}s",
                                                       "-s", handle.name, base], capture_output=True, text=True)
    result = Run("server (2 workers, wrk)")
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["status"]:
            outcome = {"201": "booked", "409": "slot_full"}.get(parts[1], "error")
            result.outcomes[outcome] = result.outcomes.get(outcome, 0) + int(parts[2])
        elif parts[:1] == ["latency"]:
            p50, p99, result.seconds = map(float, parts[1:])
            result.percentiles = (p50, p99)
    result.requests = sum(result.outcomes.values())
    return result


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--workers", "2", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


async def wait_ready(base: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=2) as http:
        for _ in range(120):
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError("server did not become ready")


async def measure(args: argparse.Namespace, env: dict[str, str], database_url: str) -> tuple[list[Run], list[str]]:
    """Seed, serve, drive every side; returns the runs (server, raw, floor, wrk?) and any broken invariant."""
    await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "server.cli", "migrate"], cwd=ROOT, env=env,
                            check=True, stdout=subprocess.DEVNULL)
    layout = await seed(env, args.hot_slots)
    port = free_port()
    server = start_server(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base, server)
        floor = await run_floor(base, args.requests, args.clients)
        work = plan(args.requests, args.hot_share, layout["server_hot"], layout["server_cold"], first=0)
        served, tokens = await run_server(base, work, args.clients, layout["server_service"][0])
        driven = [await run_wrk(base, layout, args, tokens)] if shutil.which("wrk") else []
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    account = int(await fetchval(database_url, "SELECT min(id) FROM users"))
    # The baseline is short (a couple of seconds) and swings with what the server run left behind
    # (autovacuum, page cache): several rounds, the median reported, every round checked.
    raws = []
    for round_ in range(args.raw_rounds):
        work = plan(args.requests, args.hot_share, layout["raw_hot"], layout["raw_cold"],
                    first=args.requests * (1 + round_))
        raws.append(await run_raw(database_url, work, args.clients, account))
    raw = sorted(raws, key=lambda run: run.rate(run.bookings))[len(raws) // 2]
    every_raw = Run(raw.name, booked_ids=[i for run in raws for i in run.booked_ids],
                    outcomes={k: sum(run.outcomes.get(k, 0) for run in raws) for k in raw.outcomes})
    problems = []
    for run, side in ((served, "server"), (every_raw, "raw"), *((run, "wrk") for run in driven)):
        problems += await check(database_url, run, layout[f"{side}_hot"] + layout[f"{side}_cold"], args.clients)
    raw.name = f"raw asyncpg (UPDATE+INSERT), median of {len(raws)}"
    return [served, raw, floor, *driven], problems


async def main(args: argparse.Namespace) -> int:
    database_url, scratch = await scratch_database()
    redis_url = os.environ.get("BIANMIN_REDIS_URL") or LOCAL_REDIS
    var_dir = Path(tempfile.mkdtemp(prefix="bianmin-bench-"))
    env = environment(database_url, redis_url, var_dir)
    try:
        runs, problems = await measure(args, env, database_url)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        await forget_redis_keys(redis_url, env["BIANMIN_REDIS_PREFIX"])
        if scratch:
            await drop_database(scratch)
    served, raw, floor, *driven = runs
    print(f"\n{args.requests} booking requests, {args.clients} concurrent clients, {args.hot_slots} hot slots of "
          f"{HOT_CAPACITY} seats ({args.hot_share:.0%} of requests), cold slots of {COLD_CAPACITY}\n")
    print(table(runs))
    raw_rate = raw.rate(raw.bookings)
    print(f"\nbookings/s against raw (target >= {TARGET}): "
          + ", ".join(f"{run.name} {run.rate(run.bookings) / raw_rate:.2f}" for run in (served, *driven))
          + f"; the httpx client's own ceiling (GET /healthz) is {floor.rate(floor.requests) / raw.rate(raw.requests):.2f}")
    print(f"server outcomes: {served.outcomes}")
    assert not problems, "\n".join(problems)
    print("checked: no slot overbooked, every booking answered 201 is stored and counted")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--hot-slots", type=int, default=4)
    parser.add_argument("--hot-share", type=float, default=0.3)
    parser.add_argument("--seconds", type=int, default=10, help="duration of the wrk run (when wrk is installed)")
    parser.add_argument("--raw-rounds", type=int, default=3, help="rounds of the raw baseline (median reported)")
    sys.exit(asyncio.run(main(parser.parse_args())))
