"""The operation and login logs' hash chain on both backends: edits and removals are found, parallel
appends do not fork it, the retention purge keeps it verifiable, PostgreSQL refuses edits outright."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from server import audit, audit_chain, cli, clock, config, storage
from server.auth import CurrentUser
from server.tables import AuditChainStart, LoginLog, OperationLog

CLERK = CurrentUser(id=7, role="staff", halls=(3,))


async def write_entries(count: int) -> list[int]:
    for n in range(count):
        await audit.record_operation(actor=CLERK, action="appointments.add_closure", target=f"hall_id={n}",
                                     after={"reason": f"设备检修 {n}", "phone": "13812345678"})
    return list(await OperationLog.all().order_by("id").values_list("id", flat=True))


async def tamper(sql: str) -> None:
    """What someone with database access does; on PostgreSQL they must first switch the guard off."""
    conn = storage.db()
    if storage.dialect() == "postgres":
        await conn.execute_script("ALTER TABLE audit_operations DISABLE TRIGGER audit_operations_append_only;"
                                  + sql + ";ALTER TABLE audit_operations ENABLE TRIGGER audit_operations_append_only")
    else:
        await conn.execute_script(sql)


async def test_an_intact_chain_verifies_and_masks_what_it_keeps(db):
    ids = await write_entries(3)
    await audit.record_login(username="Clerk-Li", user_id=7, result="ok", ip="10.0.0.8", user_agent="Firefox")
    assert await audit.verify() == []
    entries = await OperationLog.filter(id__in=ids).order_by("id")
    assert entries[0].prev_hash == audit_chain.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert entries[0].after == {"reason": "设备检修 0", "phone": "138****5678"}
    assert (await LoginLog.first()).username == "clerk-li"


async def test_an_entry_edited_in_the_database_is_named(db):
    ids = await write_entries(4)
    await tamper(f"UPDATE audit_operations SET target = 'hall_id=99' WHERE id = {ids[2]}")
    problems = await audit.verify()
    assert [(p.entry_id, "edited" in p.reason) for p in problems] == [(ids[2], True)]
    assert f"audit_operations #{ids[2]}" in str(problems[0])


async def test_a_removed_entry_is_found_at_the_next_one(db):
    ids = await write_entries(4)
    await tamper(f"DELETE FROM audit_operations WHERE id = {ids[1]}")
    problems = await audit.verify()
    assert [p.entry_id for p in problems] == [ids[2]]
    assert "removed" in problems[0].reason


async def test_the_cli_exits_non_zero_on_a_broken_chain(db, capsys):
    ids = await write_entries(2)
    assert await cli.cmd_audit(argparse.Namespace(audit_command="verify")) == 0
    await tamper(f"UPDATE audit_operations SET after = NULL WHERE id = {ids[0]}")
    assert await cli.cmd_audit(argparse.Namespace(audit_command="verify")) == 1
    assert f"BROKEN audit_operations #{ids[0]}" in capsys.readouterr().out


async def test_a_chain_sealed_with_hmac_sm3_verifies_and_finds_an_edit(db):
    # 密评 deployments set BIANMIN_HASH=hmac-sm3: entries from then on carry SM3 seals, earlier ones keep SHA-256.
    await write_entries(1)
    original = config.current()
    config.install(dataclasses.replace(original, hash_alg="hmac-sm3"))
    try:
        ids = await write_entries(2)
        hashes = await OperationLog.all().order_by("id").values_list("hash", flat=True)
        assert [h.split(":")[0] for h in hashes] == ["sha256", "sm3", "sm3"]
        assert await audit.verify() == []
        await tamper(f"UPDATE audit_operations SET target = 'hall_id=99' WHERE id = {ids[2]}")
        assert [p.entry_id for p in await audit.verify()] == [ids[2]]
    finally:
        config.install(original)


async def test_postgres_refuses_updates_and_deletes_of_entries(db):
    if not db.is_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the chain alone")
    ids = await write_entries(1)
    with pytest.raises(Exception, match="append-only"):
        await storage.db().execute_query(f"UPDATE audit_operations SET target = 'x' WHERE id = {ids[0]}")
    with pytest.raises(Exception, match="append-only"):
        await storage.db().execute_query(f"DELETE FROM audit_operations WHERE id = {ids[0]}")
    assert await OperationLog.filter(id=ids[0], target="hall_id=0").exists()


async def test_parallel_appends_keep_one_chain(db):
    # On PostgreSQL these run on separate pooled connections: without the advisory lock several would read
    # the same last hash and the chain would fork.
    await asyncio.gather(*(audit.record_operation(actor=CLERK, action="parallel", target=str(n)) for n in range(24)))
    entries = await OperationLog.all().order_by("id").values("prev_hash", "hash")
    assert len(entries) == 24
    assert len({e["prev_hash"] for e in entries}) == 24
    assert await audit.verify() == []


async def test_the_purge_keeps_recent_entries_and_a_verifiable_start(db):
    clock.freeze(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    await write_entries(3)
    await audit.record_login(username="old", user_id=None, result="invalid_credentials")
    clock.advance(timedelta(days=170))
    recent = await write_entries(1)
    clock.advance(timedelta(days=20))  # the first three are now 190 days old, the fourth 20
    removed = await audit.purge()
    assert removed == {"operations": 3, "logins": 0}  # the newest entry of a log always stays
    kept = await OperationLog.all().order_by("id")
    assert kept[0].id == recent[-1] and kept[-1].kind == "purge" and kept[-1].after["operations"] == 3
    assert await audit.verify() == []
    start = await AuditChainStart.get(log="operations")
    start.first_id += 1  # claiming the chain starts later would hide a removal
    await start.save()
    assert any("start" in p.reason for p in await audit.verify())
