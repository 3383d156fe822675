"""The console's periodic job: forget sessions that ended a week ago."""

from __future__ import annotations

from datetime import timedelta

from console import sessions
from server.worker import Jobs


def register(jobs: Jobs) -> None:
    jobs.every("console.purge_sessions", timedelta(hours=1), sessions.purge_ended)
