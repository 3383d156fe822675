"""Re-encrypting personal data under a new PII key or cipher, and re-keying its lookup hashes (``bianmin rotate-pii-key``).

Rotation on a live system: put the new key in ``BIANMIN_PII_KEY`` and the old one in
``BIANMIN_PII_PREVIOUS_KEYS``, restart, run ``bianmin rotate-pii-key``; when it reports nothing
left to rotate, drop the old key. Moving to SM4 (``BIANMIN_PII_CIPHER=sm4-gcm``) or HMAC-SM3 lookup
hashes (``BIANMIN_HASH=hmac-sm3``) works the same way without downtime: change the setting, restart,
run the command; until it is done, both ciphers are read and lookups try both hashes. Meanwhile every value stays readable (the vault decrypts
under any known key) and lookups by 身份证 match under every key (quotas keep counting).

Each domain declares its encrypted columns (``rekey`` in server/registry.py). A row is
rewritten only if one of its tokens is not under the current key, with one conditional UPDATE
on the tokens and hashes it read: a row changed meanwhile (erased under PIPL, say) is left alone
and picked up by the next run, never overwritten with personal data it no longer holds. Running
it again rewrites nothing. Rows keyed by a lookup hash (appointments' per-person lock rows) need
no move: they are created on demand under the current key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.models import Model

from server import pii_vault

log = logging.getLogger("bianmin.pii")
BATCH = 500


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding a vault token, and the lookup-hash column kept beside it, if any."""

    column: str
    context: str  # the encryption context the domain uses for it
    hash_column: str | None = None
    hash_kind: str | None = None


Progress = Callable[[int], object]


async def rekey(model: type[Model], columns: Sequence[EncryptedColumn], *, check: bool,
                progress: Progress | None = None) -> int:
    """Rows rewritten under the current key, or with ``check`` the rows that still need it."""
    if check:
        return await count_stale(model, columns)
    return await rekey_table(model, columns, progress=progress)


async def rekey_table(model: type[Model], columns: Sequence[EncryptedColumn], *,
                      progress: Progress | None = None) -> int:
    """Rewrite every row of ``model`` holding a token not under the current key; returns the rows rewritten."""
    vault = pii_vault.vault()
    names = [c.column for c in columns] + [c.hash_column for c in columns if c.hash_column]
    last, rewritten = 0, 0
    while True:
        rows = await model.filter(id__gt=last).order_by("id").limit(BATCH).values("id", *names)
        if not rows:
            return rewritten
        last = rows[-1]["id"]
        for row in rows:
            try:
                new_values = _rotated(vault, row, columns)
            except pii_vault.PiiDecryptError as exc:
                # A token no known key opens (a key dropped too early, a damaged value): say which row.
                log.error("%s row %s left as it is: %s", model._meta.db_table, row["id"], exc)
                continue
            if new_values is None:
                continue
            old_values = {name: row[name] for name in names}
            rewritten += await model.filter(id=row["id"], **old_values).update(**new_values)
        if progress is not None:
            progress(len(rows))


def _rotated(vault: pii_vault.PiiVault, row: dict[str, Any], columns: Sequence[EncryptedColumn]) -> dict[str, str] | None:
    """The row's columns re-encrypted (and re-hashed) under the current key, cipher and hash, or None
    when all are current. A lookup hash is compared with what it should be now, so a change of
    ``BIANMIN_HASH`` alone is carried out too."""
    stale = any(row[c.column] and vault.needs_rotation(row[c.column]) for c in columns)
    hashed = [c for c in columns if c.hash_column and c.hash_kind and row[c.column]]
    if not stale and not hashed:
        return None
    values: dict[str, str] = {}
    for col in columns:
        token = row[col.column]
        if not token or (not stale and col not in hashed):
            continue
        plain = vault.decrypt(token, context=col.context)
        if stale:
            values[col.column] = vault.encrypt(plain, context=col.context)
        if col.hash_column is not None and col.hash_kind is not None:
            fresh = vault.lookup_hash(plain, kind=col.hash_kind)
            if stale or fresh != row[col.hash_column]:
                values[col.hash_column] = fresh
    return values or None


async def count_stale(model: type[Model], columns: Sequence[EncryptedColumn]) -> int:
    """Rows of ``model`` still holding a token not under the current key."""
    vault = pii_vault.vault()
    names = [c.column for c in columns] + [c.hash_column for c in columns if c.hash_column]
    stale, last = 0, 0
    while True:
        rows = await model.filter(id__gt=last).order_by("id").limit(BATCH * 4).values("id", *names)
        if not rows:
            return stale
        last = rows[-1]["id"]
        stale += sum(1 for row in rows if _still_stale(vault, row, columns))


def _still_stale(vault: pii_vault.PiiVault, row: dict[str, Any], columns: Sequence[EncryptedColumn]) -> bool:
    try:
        return _rotated(vault, row, columns) is not None
    except pii_vault.PiiDecryptError:
        return True  # no known key opens it: it needs attention (rekey_table logs which row)
