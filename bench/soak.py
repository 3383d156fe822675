"""Soak: mixed traffic at a fixed rate for minutes, with Redis restarted in the middle.

`bianmin serve --workers 2` and `bianmin worker` on PostgreSQL (a scratch database) and a private
redis-server on a free port (never the shared one), seeded with the demo district, a fake WeChat on
loopback. Open-loop traffic at ``--rate`` requests/s (a request is started on schedule whether or not
the earlier ones have answered): the map nearby, availability, bookings (each account books at most
twice, each person once), gazette search, the feed, /me, WeChat logins; /readyz once a second. At
half time Redis is killed and started again (empty) ``--outage`` seconds later.

Prints p50/p99 per route, refusals (409/429: seats gone, rules) and errors (5xx other than /readyz,
transport failures, unexpected 4xx), and each process's resident memory after the warm-up and at the
end. Targets: no error; /readyz 503 only while Redis is down; memory growth under 5 %.
Run: ``.venv/bin/python bench/soak.py --minutes 10`` (CI does not run it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.booking_contention import drop_database, environment, id_number, scratch_database
from bench.http_load import free_port, rss_mb
from tests.fake_wechat import FakeWeChat
from tests.faults.support import PrivateRedis

MIX = {"map_nearby": 25, "availability": 20, "gazette_search": 15, "feed": 10, "me": 5, "login_wechat": 13,
       "booking": 12}
WORDS = ["学位", "养老", "社保", "通知", "公报", "住房", "就业", "医疗"]
LUOHU = (114.09, 22.53, 114.17, 22.59)  # west, south, east, north
GROWTH_TARGET = 0.05


@dataclass
class Route:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


@dataclass
class World:
    slots: list[tuple[int, int, int]]  # (hall, service, slot)
    accounts: list[list] = field(default_factory=list)  # [token, bookings made]
    people: int = 0


class Soak:
    def __init__(self, base: str, wx: FakeWeChat, world: World, rng: random.Random):
        self.base, self.wx, self.world, self.rng = base, wx, world, rng
        self.routes: dict[str, Route] = defaultdict(Route)
        self.redis_down = False
        self.ready_503_outside_outage = 0

    async def call(self, http: httpx.AsyncClient, route: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.routes[route].errors.append(type(exc).__name__)
            return None
        record = self.routes[route]
        record.latencies.append((time.perf_counter() - started) * 1000)
        record.statuses[response.status_code] += 1
        if route == "readyz":
            if response.status_code != 200 and not self.redis_down:
                self.ready_503_outside_outage += 1
        elif response.status_code >= 500 or response.status_code in (400, 401, 403, 404, 422):
            record.errors.append(f"{response.status_code} {response.text[:160]}")
        return response

    def token(self) -> tuple[dict[str, str], list] | None:
        usable = [a for a in self.world.accounts if a[1] < 2]
        if not usable:
            return None
        account = self.rng.choice(usable[-50:])
        return {"Authorization": f"Bearer {account[0]}"}, account

    async def one(self, http: httpx.AsyncClient, route: str) -> None:
        rng = self.rng
        if route == "map_nearby":
            lon, lat = rng.uniform(LUOHU[0], LUOHU[2]), rng.uniform(LUOHU[1], LUOHU[3])
            await self.call(http, route, "GET", "/api/v1/map/pois", params={"lon": lon, "lat": lat, "radius": 2000})
        elif route == "availability":
            hall, service, _ = rng.choice(self.world.slots)
            await self.call(http, route, "GET", f"/api/v1/halls/{hall}/availability", params={"service_id": service})
        elif route == "gazette_search":
            await self.call(http, route, "GET", "/api/v1/gazette/documents", params={"q": rng.choice(WORDS)})
        elif route == "login_wechat":
            answer = await self.call(http, route, "POST", "/api/v1/auth/wechat", json={"code": self.wx.login_code()})
            if answer is not None and answer.status_code == 200:
                self.world.accounts.append([answer.json()["token"], 0])
        elif route in ("feed", "me", "booking"):
            picked = self.token()
            if picked is None:
                return
            headers, account = picked
            if route == "feed":
                await self.call(http, route, "GET", "/api/v1/feed", headers=headers)
            elif route == "me":
                await self.call(http, route, "GET", "/api/v1/me", headers=headers)
            else:
                account[1] += 1
                self.world.people += 1
                _, service, slot = rng.choice(self.world.slots)
                body = {"slot_id": slot, "service_id": service, "name": "陈静", "phone": "13900139000",
                        "id_number": id_number(500_000 + self.world.people)}
                await self.call(http, route, "POST", "/api/v1/bookings", json=body, headers=headers)

    async def traffic(self, seconds: float, rate: float) -> None:
        names, weights = zip(*MIX.items())
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=30) as http:
            tasks: set[asyncio.Task] = set()
            started = time.perf_counter()
            n = 0
            while time.perf_counter() - started < seconds:
                due = started + n / rate
                if due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())
                route = self.rng.choices(names, weights)[0]
                task = asyncio.create_task(self.one(http, route))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                if n % max(1, int(rate)) == 0:
                    ready = asyncio.create_task(self.call(http, "readyz", "GET", "/readyz"))
                    tasks.add(ready)
                    ready.add_done_callback(tasks.discard)
                n += 1
            await asyncio.gather(*tasks)


def serve(env: dict[str, str], port: int, workers: int) -> tuple[subprocess.Popen, float]:
    """`bianmin serve --workers N` in a session of its own: Sanic's manager kills its whole process group
    when a worker misses its 30 s start-up deadline, which must not take this script with it."""
    started = time.perf_counter()
    log = Path(env["BIANMIN_VAR_DIR"]) / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--workers", str(workers), "--port", str(port)],
                                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    while time.perf_counter() - started < 300:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start within 300 s")


def children(pid: int) -> list[int]:
    """The process and its descendants (Sanic's main process and its workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += children(int(child))
    return found


def memory(processes: dict[str, int]) -> dict[str, float]:
    return {f"{name} pid {pid}": rss_mb(pid) for name, root in processes.items() for pid in children(root)}


async def discover(base: str) -> World:
    """Bookable slots of the demo halls (the first days of each service's window)."""
    slots = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for hall in (await http.get("/api/v1/halls")).json():
            for service in (await http.get(f"/api/v1/halls/{hall['id']}/services")).json():
                days = (await http.get(f"/api/v1/halls/{hall['id']}/availability",
                                       params={"service_id": service["id"]})).json()["days"]
                slots += [(hall["id"], service["id"], s["id"]) for d in days for s in d["slots"] if s["bookable"]]
    if not slots:
        raise RuntimeError("the demo halls have no bookable slot")
    return World(slots=slots)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(soak: Soak, before: dict[str, float], after: dict[str, float], args: argparse.Namespace) -> bool:
    print(f"\nsoak: {args.minutes:g} min at {args.rate:g} requests/s, {args.workers} server worker(s) + bianmin worker, "
          f"PostgreSQL + a private Redis killed at half time and restarted {args.outage:g} s later\n")
    print(f"{'route':<16}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'refused':>9}{'errors':>8}   statuses")
    errors = 0
    for name, route in sorted(soak.routes.items()):
        refused = sum(c for s, c in route.statuses.items() if s in (409, 429))
        errors += len(route.errors)
        statuses = " ".join(f"{s}:{c}" for s, c in sorted(route.statuses.items()))
        print(f"{name:<16}{sum(route.statuses.values()):>9}{percentile(route.latencies, .5):>9.1f}"
              f"{percentile(route.latencies, .99):>9.1f}{refused:>9}{len(route.errors):>8}   {statuses}")
    for name, route in soak.routes.items():
        for sample in sorted(set(route.errors))[:3]:
            print(f"  error on {name}: {sample}")
    print(f"\n{'process':<28}{'RSS after warm-up':>18}{'RSS at end':>12}{'growth':>9}")
    worst = 0.0
    for name, start in before.items():
        end = after.get(name, float("nan"))
        growth = (end - start) / start
        worst = max(worst, growth)
        print(f"{name:<28}{start:>15.1f} MB{end:>9.1f} MB{growth:>8.1%}")
    ok = errors == 0 and soak.ready_503_outside_outage == 0 and worst < GROWTH_TARGET
    print(f"\nerrors: {errors}; /readyz not ready outside the outage: {soak.ready_503_outside_outage}; "
          f"worst memory growth {worst:.1%} (target < {GROWTH_TARGET:.0%}): {'PASS' if ok else 'FAIL'}")
    return ok


async def soak(args: argparse.Namespace) -> bool:
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"bianmin-soak-{secrets.token_hex(4)}"
    work.mkdir(parents=True)
    wx = FakeWeChat().start()
    redis_server = PrivateRedis(work).start()
    database_url, scratch = await scratch_database()
    env = {**environment(database_url, redis_server.url, work),  # rate limits raised, still counted
           "BIANMIN_WECHAT_API_BASE": wx.base_url, "BIANMIN_WECHAT_APPID": wx.state.appid,
           "BIANMIN_WECHAT_SECRET": wx.state.secret}
    cli = [sys.executable, "-m", "server.cli"]
    processes: list[subprocess.Popen] = []
    try:
        for command in ("migrate", "seed-demo"):
            print(f"bianmin {command}", flush=True)
            await asyncio.to_thread(subprocess.run, [*cli, command], env=env, cwd=ROOT, check=True,
                                    capture_output=True, timeout=600)
        port = free_port()
        for attempt in range(3):
            try:
                server, took = serve(env, port, args.workers)
                break
            except RuntimeError as exc:  # a loaded machine can miss Sanic's 30 s start-up deadline
                print(f"start-up attempt {attempt + 1} failed: {str(exc)[-300:]}", flush=True)
        else:
            raise RuntimeError("the server did not start")
        processes.append(server)
        worker = await asyncio.to_thread(subprocess.Popen, [*cli, "worker"], env=env, cwd=ROOT,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(worker)
        print(f"server up in {took:.0f} s on port {port}", flush=True)
        base = f"http://127.0.0.1:{port}"
        world = await discover(base)
        soak_run = Soak(base, wx, world, random.Random(20261207))
        total = args.minutes * 60
        warmup = min(60.0, total * 0.2)
        await soak_run.traffic(warmup, args.rate)  # warm-up: its figures are dropped
        soak_run.routes.clear()
        watched = {"serve": server.pid, "worker": worker.pid}
        before = memory(watched)
        half = (total - warmup) / 2
        await soak_run.traffic(half, args.rate)
        redis_server.stop()
        soak_run.redis_down = True
        await soak_run.traffic(args.outage, args.rate)
        redis_server.start()
        await soak_run.traffic(2, args.rate)  # the clients' reconnect: /readyz may say down for a moment
        soak_run.redis_down = False
        await soak_run.traffic(max(0.0, half - args.outage - 2), args.rate)
        after = memory(watched)
        return report(soak_run, before, after, args)
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        redis_server.stop()
        wx.stop()
        if scratch:
            await drop_database(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=40, help="requests per second, all routes together")
    parser.add_argument("--outage", type=float, default=10, help="seconds Redis stays down")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(soak(args)) else 1)


if __name__ == "__main__":
    main()
