"""Tortoise models of subscriptions, feeds, notices and enterprises (Tortoise app "feeds").

Documents live in the gazette (bulletin) and bookings in appointments: they are referred to
here by plain ids (``FeedItem.ref_id``), never by foreign keys. Users are server's.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SubscriberList(Model):
    """Canonical criteria shared by every subscription with exactly these criteria (GOV.UK's lists)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)  # sha256 of the canonical criteria
    criteria = fields.JSONField(default=dict)
    criteria_count = fields.SmallIntField(db_index=True)  # non-empty criteria; 0 matches everything
    created_at = fields.DatetimeField()

    class Meta:
        table = "feed_lists"


class ListTerm(Model):
    """One (criterion, value) of a list: the index that publish-time matching reads."""

    id = fields.IntField(primary_key=True)
    list = fields.ForeignKeyField("feeds.SubscriberList", related_name="terms", on_delete=fields.CASCADE)
    criterion = fields.CharField(max_length=16)
    value = fields.CharField(max_length=64)

    class Meta:
        table = "feed_list_terms"
        unique_together = (("criterion", "value", "list"),)


class Keyword(Model):
    """A keyword used by some list, with the words it needs, looked up by its anchor word."""

    keyword = fields.CharField(max_length=64, primary_key=True)
    anchor = fields.CharField(max_length=64, db_index=True)
    words = fields.TextField()  # required words, space-separated

    class Meta:
        table = "feed_keywords"


class Enterprise(Model):
    """A registered enterprise (企业): the contact person's name and phone are encrypted."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    credit_code = fields.CharField(max_length=18, db_index=True)
    # The code once verified: unique, so two verified enterprises of one code cannot exist. Pending
    # registrations do not hold it (several accounts may claim a code; an admin picks the real one).
    active_code = fields.CharField(max_length=18, null=True, unique=True)
    industry = fields.CharField(max_length=1)
    size = fields.CharField(max_length=8)
    district = fields.CharField(max_length=12)
    contact_name_enc = fields.TextField(null=True)
    contact_phone_enc = fields.TextField(null=True)
    status = fields.CharField(max_length=12, default="pending")  # pending | verified | rejected | expired
    expires_at = fields.DatetimeField(null=True)  # a pending registration lapses then, unless verified
    # A verified enterprise's new name, industry, size or district, waiting for an admin; the profile
    # (and the homepage built from it) stays as verified until then.
    pending_changes = fields.JSONField(null=True)
    changes_requested_at = fields.DatetimeField(null=True)
    reject_reason = fields.CharField(max_length=200, null=True)
    owner = fields.ForeignKeyField("server.User", related_name="owned_enterprises", null=True,
                                   on_delete=fields.SET_NULL)
    subscription_count = fields.SmallIntField(default=0)
    reviewed_by = fields.IntField(null=True)
    reviewed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "feed_enterprises"


class Membership(Model):
    """A person in an enterprise, the owner or a member, ``notify`` when they opted in to its messages."""

    id = fields.IntField(primary_key=True)
    enterprise = fields.ForeignKeyField("feeds.Enterprise", related_name="members", on_delete=fields.CASCADE)
    user = fields.ForeignKeyField("server.User", related_name="enterprise_memberships", on_delete=fields.CASCADE)
    role = fields.CharField(max_length=8)  # owner | member
    notify = fields.BooleanField(default=False)
    joined_at = fields.DatetimeField()

    class Meta:
        table = "feed_memberships"
        unique_together = (("enterprise", "user"),)
        indexes = (("user_id", "notify"),)


class Invitation(Model):
    """A one-time invitation code (only its hash is kept) an owner shares with a colleague."""

    id = fields.IntField(primary_key=True)
    enterprise = fields.ForeignKeyField("feeds.Enterprise", related_name="invitations", on_delete=fields.CASCADE)
    code_hash = fields.CharField(max_length=64, unique=True)
    created_by = fields.IntField(null=True)
    expires_at = fields.DatetimeField()
    used_by = fields.IntField(null=True)
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "feed_invitations"


class Subscription(Model):
    """A person's or an enterprise's subscription: a list and how often to hear about it."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="feed_subscriptions", null=True,
                                  on_delete=fields.CASCADE)
    enterprise = fields.ForeignKeyField("feeds.Enterprise", related_name="subscriptions", null=True,
                                        on_delete=fields.CASCADE)
    # Lists are never deleted while followed: CASCADE only lets tests empty tables in any order.
    list = fields.ForeignKeyField("feeds.SubscriberList", related_name="subscriptions", on_delete=fields.CASCADE)
    frequency = fields.CharField(max_length=10)
    rank = fields.SmallIntField()  # 0 immediate, 1 daily, 2 weekly, 3 feed
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "feed_subscriptions"
        # (list, account, rank) covers the fan-out's read: an index-only scan per matched list.
        indexes = (("list_id", "user_id", "rank"), ("list_id", "enterprise_id"), ("user_id",), ("enterprise_id",))


class Notice(Model):
    """A short announcement (通知公告) by an editor or a hall's staff, tagged like documents."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=60)
    body = fields.TextField()
    hall_id = fields.IntField(null=True, db_index=True)  # appointments' hall
    source = fields.CharField(max_length=64, default="")  # the hall's or the agency's name, as shown
    facts = fields.JSONField(default=dict)  # topic, agency, divisions, industries, sizes
    status = fields.CharField(max_length=12, default="published")  # published | withdrawn
    author_id = fields.IntField(null=True)
    published_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_reason = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "feed_notices"


class FeedItem(Model):
    """Something that can appear in feeds: a gazette document, a notice, or one account's booking."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=10)  # document | notice | booking
    ref_id = fields.IntField()
    owner = fields.ForeignKeyField("server.User", related_name="feed_booking_items", null=True,
                                   on_delete=fields.CASCADE)  # booking items only
    title = fields.CharField(max_length=300)
    summary = fields.CharField(max_length=300, default="")
    source = fields.CharField(max_length=64, default="")  # agency or hall name
    facts = fields.JSONField(default=dict)
    words = fields.TextField(null=True)  # keyword tokens, kept while backfills may need them
    # For enterprise homepages: comma-framed tag lists (",C,F,") and whether any enterprise tag is set.
    topic = fields.CharField(max_length=32, null=True)
    industries = fields.CharField(max_length=64, default="")
    sizes = fields.CharField(max_length=64, default="")
    targeted = fields.BooleanField(default=False)
    status = fields.CharField(max_length=12, default="published")  # published | withdrawn
    notify = fields.BooleanField(default=True)
    published_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "feed_items"
        unique_together = (("kind", "ref_id"),)
        indexes = (("kind", "status", "targeted", "published_at"), ("status", "published_at"))


class ItemList(Model):
    """An item matched a list (written once at publish, or by a backfill)."""

    id = fields.BigIntField(primary_key=True)
    list = fields.ForeignKeyField("feeds.SubscriberList", related_name="items", on_delete=fields.CASCADE)
    item = fields.ForeignKeyField("feeds.FeedItem", related_name="lists", on_delete=fields.CASCADE)

    class Meta:
        table = "feed_item_lists"
        unique_together = (("list", "item"),)
        indexes = (("item_id",),)


class Entry(Model):
    """One delivery: an item in one account's feed (unique per account and item), read or not."""

    id = fields.BigIntField(primary_key=True)
    # Plain ids, no foreign keys: checking two per row was half the cost of a fan-out's inserts.
    # Entries are deleted with their item (withdrawal, erasure) and their account (erasure) in code.
    user_id = fields.IntField()
    item_id = fields.IntField()
    published_at = fields.DatetimeField()
    channel = fields.SmallIntField(default=3)  # the most urgent matching frequency (RANK)
    pending_digest = fields.SmallIntField(null=True)  # the channel, until a digest covered it
    read = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "feed_entries"
        unique_together = (("user_id", "item_id"),)
        # Plus a partial index on (pending_digest, user_id) for digests (migration 0002): most entries
        # never wait for a digest, so only those that do are indexed.
        indexes = (("user_id", "published_at", "item_id"), ("user_id", "read"), ("item_id",))


class FanOut(Model):
    """Progress of one item's fan-out: accounts up to ``cursor`` are done, so a restart resumes."""

    item_id = fields.IntField(primary_key=True, generated=False)
    cursor = fields.IntField(default=0)
    delivered = fields.IntField(default=0)
    done = fields.BooleanField(default=False)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "feed_fanouts"


class Digest(Model):
    """One digest message sent to an account (at most one a day), with the items it listed."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="feed_digests", on_delete=fields.CASCADE)
    period = fields.CharField(max_length=10)
    item_ids = fields.JSONField(default=list)
    created_at = fields.DatetimeField()

    class Meta:
        table = "feed_digests"
        unique_together = (("user", "period"),)


class Account(Model):
    """Per-account feed state: subscriptions counted (at most 20) and bookings synced up to when."""

    user_id = fields.IntField(primary_key=True, generated=False)
    subscription_count = fields.SmallIntField(default=0)
    bookings_synced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "feed_accounts"
