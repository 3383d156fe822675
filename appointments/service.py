"""Appointments' one public door: what other domains may call, and nothing else.

Feeds name halls in notices and show a resident's booking changes; the gazette names the service
items its documents link to; questions count reply deadlines in the district's working days.
Everything here is re-exported from the use-case modules, which stay private to this package.
"""

from __future__ import annotations

from appointments.errors import HallNotFound
from appointments.service_calendar import working_calendar
from appointments.service_changes import booking_events
from appointments.service_halls import STAMP as HALLS_STAMP
from appointments.service_halls import get_hall, list_halls, list_services

# HALLS_STAMP: the change stamp (server/stamps.py) every change of a hall or service item bumps.
__all__ = ["HALLS_STAMP", "HallNotFound", "booking_events", "get_hall", "list_halls", "list_services",
           "working_calendar"]
