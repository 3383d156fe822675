"""What each side of bench/booking_contention.py measured, how load is driven, and the printed table."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Run:
    """What one side of the comparison measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    booked_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    requests: int = 0
    percentiles: tuple[float, float] | None = None  # (p50, p99) ms, when only those are known

    def record(self, started: float, outcome: str, booking_id: int | None = None) -> None:
        self.latencies.append(time.perf_counter() - started)
        self.requests += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if booking_id is not None:
            self.booked_ids.append(booking_id)

    @property
    def bookings(self) -> int:
        return self.outcomes.get("booked", 0)

    def rate(self, what: int) -> float:
        return what / self.seconds

    def row(self) -> list[str]:
        ms = sorted(x * 1000 for x in self.latencies)
        p50, p99 = self.percentiles or (statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))])
        booking = "ok" not in self.outcomes  # the HTTP floor books nothing
        return [self.name, f"{self.rate(self.requests):,.0f}", f"{self.rate(self.bookings):,.0f}" if booking else "-",
                f"{p50:.1f}", f"{p99:.1f}", str(self.bookings) if booking else "-",
                str(self.outcomes.get("slot_full", 0)) if booking else "-"]


async def drive(work: list[tuple[int, int]], clients: int, one) -> float:
    """Run `one(slot, person)` for every item with `clients` concurrent clients; returns seconds."""
    queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)

    async def client(index: int) -> None:
        while not queue.empty():
            slot, person = queue.get_nowait()
            await one(index, slot, person)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return time.perf_counter() - started


def table(runs: list[Run]) -> str:
    head = ["", "requests/s", "bookings/s", "p50 ms", "p99 ms", "booked", "slot_full"]
    rows = [head, *(r.row() for r in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
                     for row in rows)
