"""What clients see of halls, service items, slots, bookings and tickets: personal data masked."""

from __future__ import annotations

from typing import Any

from appointments.model import parse_rules, rating_closes
from appointments.tables import Booking, Hall, Rating, ServiceItem, Slot, Ticket
from server import config, pii, pii_vault

CONTEXTS = {"name": "booking.name", "id_number": "booking.id_number", "phone": "booking.phone"}


def hall(row: Hall) -> dict[str, Any]:
    """A hall as residents and admins see it."""
    return {"id": row.id, "name": row.name, "address": row.address, "phone": row.phone, "poi_id": row.poi_id,
            "timezone": row.timezone, "windows": row.windows, "rules": parse_rules(row.rules or {}).to_dict(),
            "is_active": row.is_active}


def service(row: ServiceItem) -> dict[str, Any]:
    """A service item (事项)."""
    return {"id": row.id, "hall_id": row.hall_id, "name": row.name, "department": row.department,
            "materials": list(row.materials or []), "average_minutes": row.average_minutes,
            "real_name_required": row.real_name_required, "is_active": row.is_active,
            "has_schedule": row.schedule is not None}


def slot(row: Slot) -> dict[str, Any]:
    """A slot for staff: seats, bookings and status."""
    return {"id": row.id, "hall_id": row.hall_id, "service_id": row.service_id, "date": row.day,
            "start": row.start_at, "end": row.end_at, "capacity": row.capacity, "booked": row.booked,
            "remaining": max(0, row.capacity - row.booked), "status": row.status}


def person(row: Booking) -> dict[str, str | None]:
    """The booked person, masked; None for what was erased (PIPL account deletion)."""
    vault = pii_vault.vault()
    name = vault.decrypt(row.name_enc, context=CONTEXTS["name"]) if row.name_enc else None
    id_number = vault.decrypt(row.id_number_enc, context=CONTEXTS["id_number"]) if row.id_number_enc else None
    phone = vault.decrypt(row.phone_enc, context=CONTEXTS["phone"]) if row.phone_enc else None
    return {"name": pii.mask_name(name) if name else None,
            "id_number": pii.mask_id_number(id_number) if id_number else None,
            "phone": pii.mask_phone(phone) if phone else None}


def ticket(row: Ticket | None, *, service: ServiceItem | None) -> dict[str, Any] | None:
    """A queue ticket: its label (A001), its service item (None for a walk-in without one), status, window."""
    if row is None:
        return None
    return {"id": row.id, "label": row.label, "kind": row.kind, "status": row.status, "window": row.window,
            "hall_id": row.hall_id, "service": {"id": service.id, "name": service.name} if service else None,
            "booking_id": row.booking_id, "date": row.day, "created_at": row.created_at,
            "called_at": row.called_at}


def qr_url(booking_id: int) -> str:
    """Where the booking's check-in QR code is served (owner only)."""
    return f"{config.current().public_base_url}/api/v1/bookings/{booking_id}/qr.png"


def rating(row: Rating | None) -> dict[str, Any] | None:
    """The 好差评 a booking was given, as its booking shows it (None until rated)."""
    if row is None:
        return None
    return {"id": row.id, "score": row.score, "comment": row.comment, "created_at": row.created_at}


def booking(row: Booking, *, ticket_row: Ticket | None = None, rating_row: Rating | None = None) -> dict[str, Any]:
    """A booking with its hall, service, slot and masked person (hall, service, slot prefetched)."""
    return {
        "id": row.id, "code": row.code, "status": row.status,
        "hall": {"id": row.hall.id, "name": row.hall.name, "address": row.hall.address},
        "service": {"id": row.service.id, "name": row.service.name},
        "slot": {"id": row.slot.id, "date": row.day, "start": row.slot.start_at, "end": row.slot.end_at},
        "person": person(row),
        "checkin_qr": qr_url(row.id),
        "checkin_deadline": row.checkin_deadline,
        "ticket": ticket(ticket_row, service=row.service),
        "rating": rating(rating_row),
        "rating_until": rating_closes(row.completed_at) if row.completed_at is not None else None,
        "created_at": row.created_at,
        "cancelled_at": row.cancelled_at, "cancelled_by": row.cancelled_by, "cancel_reason": row.cancel_reason,
        "checked_in_at": row.checked_in_at, "completed_at": row.completed_at,
    }
