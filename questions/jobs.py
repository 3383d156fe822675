"""Periodic jobs of asking the district, run by ``bianmin worker`` (each tick by one worker only)."""

from __future__ import annotations

from datetime import timedelta

from questions import service_letter_jobs
from server.worker import Jobs


def register(jobs: Jobs) -> None:
    """Held letters re-checked every five minutes; overdue letters and automatic closing hourly."""
    jobs.every("questions.check_held", timedelta(minutes=5), service_letter_jobs.check_held)
    jobs.every("questions.mark_overdue", timedelta(hours=1), service_letter_jobs.mark_overdue)
    jobs.every("questions.auto_close", timedelta(hours=1), service_letter_jobs.auto_close)
