"""`bianmin seed-demo --force` in production adds the demo district but no demo staff accounts."""

from __future__ import annotations

import dataclasses

from server import config, demo
from server.tables import User


async def test_no_privileged_demo_accounts_in_production(db):
    config.install(dataclasses.replace(db.settings, env="production"))
    try:
        await demo.seed()
    finally:
        config.install(db.settings)
    assert not await User.filter(username__startswith="demo-").exists()


async def test_demo_accounts_outside_production(db):
    await demo.seed()
    roles = set(await User.filter(username__startswith="demo-").values_list("role", flat=True))
    assert roles == {"staff", "editor", "admin"}
