"""The map's periodic job: import reports are kept 90 days."""

from __future__ import annotations

from datetime import time

from geo import service_import
from server.worker import Jobs


def register(jobs: Jobs) -> None:
    jobs.daily("geo.purge_import_jobs", time(3, 40), service_import.purge_old_jobs)
