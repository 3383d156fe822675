"""Periodic jobs of hall booking, run by `bianmin worker` (each tick by one worker only)."""

from __future__ import annotations

from datetime import time, timedelta

from appointments import service_privacy, service_slots, service_tickets
from server.worker import Jobs

GENERATE_EVERY = timedelta(hours=1)
NO_SHOWS_EVERY = timedelta(minutes=5)
FORGET_AT = time(3, 30)


def register(jobs: Jobs) -> None:
    """Slot generation for every hall's booking window, automatic no-shows, and forgetting the 身份证
    hashes kept after account deletion once the rules no longer look back that far (daily, 03:30).

    The no-show block needs no job: it is computed from the no-show history at booking time
    and ends by itself.
    """
    jobs.every("appointments.generate_slots", GENERATE_EVERY, service_slots.generate_all_windows)
    jobs.every("appointments.mark_no_shows", NO_SHOWS_EVERY, service_tickets.mark_no_shows)
    jobs.daily("appointments.forget_erased", FORGET_AT, service_privacy.forget_erased)
