"""Migration feeds.0003 on a database that already has pending registrations (both backends)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from bulletin.feeds.tables import Enterprise
from server import accounts, storage
from tests.support.ids import make_credit_code

migration = importlib.import_module("bulletin.feeds.migrations.0003_enterprise_review")


async def test_pending_registrations_release_their_code_and_lapse_14_days_after_they_were_made(db):
    owner = (await accounts.login_dev("o-migration", None))["user"]["id"]
    made = datetime(2026, 11, 30, 8, 0, 0, 123456, tzinfo=UTC)
    rows = {}
    for status in ("pending", "verified", "rejected"):
        code = make_credit_code()
        rows[status] = await Enterprise.create(
            name=f"{status} 公司", credit_code=code, active_code=None if status == "rejected" else code,
            industry="F", size="small", district="440303", status=status, owner_id=owner,
            created_at=made, updated_at=made)
    await migration.release_pending_codes(None, SimpleNamespace(client=storage.db()))
    pending = await Enterprise.get(id=rows["pending"].id)
    assert pending.active_code is None and pending.expires_at == made + timedelta(days=14)
    verified = await Enterprise.get(id=rows["verified"].id)
    assert verified.active_code == verified.credit_code and verified.expires_at is None
    await migration.release_pending_codes(None, SimpleNamespace(client=storage.db()))  # a second run changes nothing
    assert (await Enterprise.get(id=rows["pending"].id)).expires_at == made + timedelta(days=14)
