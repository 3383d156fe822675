"""The world the fuzzer runs in: the demo district, one account per role, and ids that exist.

Randomly generated path ids almost never name a row, so every other example of an operation
with ids in its path takes them from :class:`World` instead: the fuzz then reaches the code
behind the 404s (availability of a real hall, the enterprise its owner manages, ...).
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from tortoise import Tortoise

from questions import demo as questions_demo
from server import accounts, auth, registry
from server.tables import User

# Which accounts call an operation, from the roles its @endpoint declares (admin passes every check).
PERSONAS: dict[tuple[str, ...] | None, tuple[str, ...]] = {
    None: ("anonymous", "resident"),
    ("user",): ("resident", "enterprise"),
    ("staff",): ("staff", "admin"),
    ("editor",): ("editor", "admin"),
    ("admin",): ("admin",),
    ("staff", "editor"): ("staff", "editor"),
    ("editor", "answerer"): ("editor", "answerer"),
}
# Operations on one's own letters: sent as the demo resident who wrote the demo's letters, so that every other
# example (whose letter id is a real one) reaches a letter of the caller's, not only the 404 of someone else's.
OWN_LETTERS = "/api/v1/questions/me/letters/{letter_id}"
# Operations that end the caller's account or session: a fresh resident each time, so the others keep theirs.
SELF_ENDING = {("DELETE", "/api/v1/me"), ("POST", "/api/v1/auth/logout")}
# Path parameter -> (Tortoise app label, model) whose ids it names.
ROWS: dict[str, tuple[str, str]] = {
    "hall_id": ("appointments", "Hall"), "service_id": ("appointments", "ServiceItem"),
    "booking_id": ("appointments", "Booking"), "slot_id": ("appointments", "Slot"),
    "ticket_id": ("appointments", "Ticket"), "rating_id": ("appointments", "Rating"),
    "document_id": ("bulletin", "Document"), "issue_id": ("bulletin", "Issue"),
    "attachment_id": ("bulletin", "Attachment"), "poi_id": ("geo", "Poi"),
    "enterprise_id": ("feeds", "Enterprise"), "subscription_id": ("feeds", "Subscription"),
    "notice_id": ("feeds", "Notice"),
    "entry_id": ("questions", "Entry"), "department_id": ("questions", "Department"),
    "letter_id": ("questions", "Letter"), "photo_id": ("questions", "Photo"), "campaign_id": ("questions", "Campaign"),
}
# Path parameters naming an account an example may disable, reset or remove (the admin's /admin/users/{user_id}/...,
# an enterprise's /members/{member_id}): every example whose value would route sends the throwaway account's id,
# never a persona's or a demo account's (removing the enterprise persona from its enterprise would change what
# every later example of that persona reaches).
THROWAWAY = ("user_id", "member_id")
# String keys: the category and column codes of /questions/categories/{code} and /questions/columns/{code}.
CODES: tuple[tuple[str, str], ...] = (("questions", "Category"), ("questions", "Column"))


@dataclass
class World:
    """The demo district's accounts and ids, on one backend."""

    users: dict[str, User]
    ids: dict[str, list[Any]]
    _turn: dict[str, itertools.cycle] = field(default_factory=dict)

    async def headers(self, persona: str) -> dict[str, str]:
        """A fresh session for the persona (fresh: an earlier example may have logged it out)."""
        if persona == "anonymous":
            return {}
        if persona == "resident":
            token = (await accounts.login_dev("fuzz-" + secrets.token_hex(6), None))["token"]
        else:
            token, _ = await auth.issue_session(self.users[persona])
        return {"Authorization": f"Bearer {token}"}

    def fill(self, parameters: dict[str, Any], *, index: int) -> None:
        """Point an example's path parameters at real rows: every other example, and always for THROWAWAY ones."""
        for name, value in list(parameters.items()):
            if index % 2 == 0 or (name in THROWAWAY and _routes_as_id(value)):
                known = self.known(name)
                if known is not None:
                    parameters[name] = known

    def known(self, name: str) -> int | str | None:
        """An id of a row that exists, taking turns through those the demo made."""
        values = self.ids.get(name)
        if not values:
            return None
        turn = self._turn.setdefault(name, itertools.cycle(values))
        return next(turn)


async def build_world() -> World:
    """Seed the demo district and give each role an account of its own."""
    for _domain, seed in registry.each("demo"):
        await seed()
    users = {
        "staff": await User.get(username="demo-staff"), "editor": await User.get(username="demo-editor"),
        "admin": await User.get(username="demo-admin"), "enterprise": await User.get(openid="dev-demo-merchant"),
        "resident": await User.get(openid="dev-demo-parent"),
        "answerer": await User.get(username="demo-answerer"),
        "letter_writer": await User.get(openid=questions_demo.RESIDENT[0]),
    }
    ids: dict[str, list[Any]] = {}
    for name, (label, model) in ROWS.items():
        table = Tortoise.apps[label][model]
        key = table._meta.pk_attr
        ids[name] = list(await table.all().order_by("-" + key).limit(4).values_list(key, flat=True))
    ids["year"] = [2026, 2027]
    throwaway = await accounts.create_user(username="fuzz-throwaway", password="Fuzz-" + secrets.token_hex(8),
                                           role="staff")
    ids["user_id"] = ids["member_id"] = [throwaway.id]
    return World(users=users, ids=ids)


def _routes_as_id(value: Any) -> bool:
    """Whether a generated path value would reach an ``<...:int>`` route (a negative example may be "7")."""
    try:
        int(str(value))
    except ValueError:
        return False
    return True


def persona_for(method: str, path: str, roles: tuple[str, ...] | None, index: int) -> str:
    """Who sends example ``index`` of an operation: the roles it allows, in turn."""
    if (method, path) in SELF_ENDING:
        return "resident"
    if path.startswith(OWN_LETTERS):
        return "letter_writer"
    personas = PERSONAS.get(roles) or ("admin",)
    return personas[index % len(personas)]


def request_of(kwargs: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """httpx keyword arguments from schemathesis' (requests-style) transport arguments."""
    sent = {k: v for k, v in (kwargs.get("headers") or {}).items()
            if k.lower() not in ("connection", "accept-encoding", "user-agent")}
    if headers:
        sent = {k: v for k, v in sent.items() if k.lower() != "authorization"} | headers
    request: dict[str, Any] = {"method": kwargs["method"], "url": kwargs["url"], "headers": sent,
                               "params": kwargs.get("params") or None}
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        request["content"] = data.encode() if isinstance(data, str) else data
    return request
