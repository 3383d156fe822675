"""Driving a real server from a benchmark: start it, load it with wrk (or httpx without it), read its memory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str], env: dict[str, str], port: int) -> tuple[subprocess.Popen, float]:
    """Run ``python args...`` from the repository root until ``/`` answers; (process, seconds to start).

    The server leads a process group of its own (stop it with :func:`stop_server`, which reaches its workers too),
    and writes its log to a file in the temporary directory (kept, to read after a run): a pipe nobody reads would
    stall a chatty server once it filled."""
    import httpx

    started = time.perf_counter()
    fd, log_name = tempfile.mkstemp(prefix="bianmin-bench-", suffix=".log")
    with os.fdopen(fd, "wb") as log:
        proc = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=log, start_new_session=True)
    while time.perf_counter() - started < 300:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {Path(log_name).read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code < 500:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("server did not start within 300 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by :func:`start_server` and every worker it forked."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def load_test(port: int, paths: list[str], *, seconds: float, connections: int) -> float:
    """Requests per second over ``seconds``, cycling through ``paths`` (wrk if installed, else httpx)."""
    if shutil.which("wrk"):
        return _wrk(port, paths, seconds=seconds, connections=connections)
    return asyncio.run(_httpx_load(port, paths, seconds=seconds, connections=connections))


def _wrk(port: int, paths: list[str], *, seconds: float, connections: int) -> float:
    script = "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\nlocal i = 0\n" \
             "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "-s", handle.name,
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    if "Non-2xx" in out:
        raise RuntimeError(f"errors during the load test:\n{out}")
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec:")))


async def _httpx_load(port: int, paths: list[str], *, seconds: float, connections: int) -> float:
    import httpx

    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as http:
        async def worker(k: int) -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                response = await http.get(paths[(done + k) % len(paths)])
                response.raise_for_status()
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(connections)))
    return done / (time.perf_counter() - started)
