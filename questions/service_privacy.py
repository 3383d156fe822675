"""Personal data in letters: erasing a deleted account's (PIPL), and re-encrypting phones under a new key."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from questions.present_letters import PHONE_CONTEXT
from questions.tables import Ask, Letter, Photo
from server import pii_rotation, storage

LETTER_PII = (pii_rotation.EncryptedColumn("phone_enc", PHONE_CONTEXT, hash_column="phone_hash",
                                           hash_kind="phone"),)


async def erase(user_id: int, *, using_db: BaseDBAsyncClient | None = None) -> None:
    """A deleted account's letters lose their phone and their link to the person; what the district
    answered stays (anonymous) for the statistics; photos not yet sent with a letter are deleted."""
    if using_db is None:
        async with storage.transaction() as conn:
            await _erase(user_id, conn)
    else:
        await _erase(user_id, using_db)


async def _erase(user_id: int, conn: BaseDBAsyncClient) -> None:
    await Letter.filter(user_id=user_id).using_db(conn).update(phone_enc=None, phone_hash=None, user_id=None)
    await Photo.filter(user_id=user_id, letter_id__isnull=True).using_db(conn).delete()
    await Ask.filter(user_id=user_id).using_db(conn).update(user_id=None)


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: the contact phones of letters."""
    return {"questions_letters": await pii_rotation.rekey(Letter, LETTER_PII, check=check, progress=progress)}
