"""Demo accounts for the demo district (``bianmin seed-demo``). Labelled as demo data."""

from __future__ import annotations

import base64
import hashlib
import hmac

from server import config
from server.tables import User

DEMO_ACCOUNTS = (
    ("demo-staff", "staff"),
    ("demo-editor", "editor"),
    ("demo-admin", "admin"),
)


def demo_password(username: str) -> str:
    """A stable password per deployment, derived from the secret key, so re-seeding prints the same one."""
    digest = hmac.new(config.current().secret_key.encode(), f"demo-password:{username}".encode(), hashlib.sha256)
    # Upper and lower case, digits and a dash: three classes and more, as server/passwords.py asks.
    body = base64.b32encode(digest.digest()).decode()[:12].lower()
    return f"Bm-{body}"


async def seed() -> None:
    """Create (or reset) the demo staff, editor and admin accounts; never in production, where a
    known account name with a password derived from the secret key would be a standing way in."""
    from server import accounts

    settings = config.current()
    if settings.env == "production":
        print("  demo staff, editor and admin accounts are not created in production")
        return
    for username, role in DEMO_ACCOUNTS:
        existing = await User.get_or_none(username=username)
        halls = list(existing.halls) if existing else []
        await accounts.create_user(username=username, password=demo_password(username), role=role, halls=halls)
        print(f"  demo account {username:12} role {role:7} password {demo_password(username)}  [demo data]")
