"""PIPL account deletion for feeds: subscriptions, feed state, memberships and personal fields go.

Enterprises keep existing without the person: an owner's enterprise loses its owner and the
contact person's name and phone (which that person gave); notices and reviews keep their
text but no longer say who wrote or reviewed them. Subscriber lists hold no personal data
and stay, shared by others.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from bulletin.feeds.tables import (
    Account,
    Digest,
    Enterprise,
    Entry,
    FeedItem,
    Invitation,
    Membership,
    Notice,
    Subscription,
)
from server import storage


async def erase(user_id: int, *, using_db: BaseDBAsyncClient | None = None) -> None:
    """Delete a person's subscriptions, feed, digests and memberships; unlink them from the rest."""
    if using_db is None:
        async with storage.transaction() as conn:
            await _erase(user_id, conn)
    else:
        await _erase(user_id, using_db)


async def _erase(user_id: int, conn: BaseDBAsyncClient) -> None:
    await Subscription.filter(user_id=user_id).using_db(conn).delete()
    await Entry.filter(user_id=user_id).using_db(conn).delete()
    await FeedItem.filter(kind="booking", owner_id=user_id).using_db(conn).delete()
    await Digest.filter(user_id=user_id).using_db(conn).delete()
    await Account.filter(user_id=user_id).using_db(conn).delete()
    await Membership.filter(user_id=user_id).using_db(conn).delete()
    await Enterprise.filter(owner_id=user_id).using_db(conn).update(
        owner_id=None, contact_name_enc=None, contact_phone_enc=None)
    await Enterprise.filter(reviewed_by=user_id).using_db(conn).update(reviewed_by=None)
    await Invitation.filter(created_by=user_id).using_db(conn).update(created_by=None)
    await Invitation.filter(used_by=user_id).using_db(conn).update(used_by=None)
    await Notice.filter(author_id=user_id).using_db(conn).update(author_id=None)
