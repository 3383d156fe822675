"""Tortoise models owned by server/: accounts, sessions and the transactional outbox."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

# answerer: a department's staff who answer letters and keep its 一号答 entries (scope in questions/)
ROLES = ("resident", "enterprise", "staff", "editor", "answerer", "admin")


class User(Model):
    id = fields.IntField(primary_key=True)
    role = fields.CharField(max_length=16, db_index=True)
    openid = fields.CharField(max_length=64, unique=True, null=True)
    unionid = fields.CharField(max_length=64, null=True, db_index=True)
    username = fields.CharField(max_length=64, unique=True, null=True)
    password_hash = fields.CharField(max_length=255, null=True)
    nickname = fields.CharField(max_length=64, default="")
    phone_enc = fields.TextField(null=True)
    phone_hash = fields.CharField(max_length=64, null=True, db_index=True)
    home_lon = fields.FloatField(null=True)
    home_lat = fields.FloatField(null=True)
    halls = fields.JSONField(default=list)  # staff scope: hall ids
    wechat_session_key_enc = fields.TextField(null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    last_login_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    # account controls (server/passwords.py, server/totp.py)
    password_changed_at = fields.DatetimeField(null=True)
    must_change_password = fields.BooleanField(default=False)
    disabled_reason = fields.CharField(max_length=32, null=True)  # e.g. idle: unused for 90 days
    totp_secret_enc = fields.TextField(null=True)  # PII vault token of the base32 secret
    totp_confirmed_at = fields.DatetimeField(null=True)
    totp_last_step = fields.BigIntField(null=True)  # the last time step accepted: a code is good once

    class Meta:
        table = "users"


class Session(Model):
    """An opaque bearer token, stored only as its SHA-256 hash."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user = fields.ForeignKeyField("server.User", related_name="sessions", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sessions"


class OutboxMessage(Model):
    """A side effect (a WeChat message, a fan-out) written in the same transaction as its cause."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=64)
    payload = fields.JSONField(default=dict)
    dedup_key = fields.CharField(max_length=160, unique=True, null=True)
    group_key = fields.CharField(max_length=64, null=True, db_index=True)
    status = fields.CharField(max_length=16, default="pending")  # pending|sent|failed|cancelled
    due_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    locked_by = fields.CharField(max_length=64, null=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox"
        indexes = (("status", "due_at"),)


class PushGrant(Model):
    """What wx.requestSubscribeMessage returned for one template: one-time grants are counted, spent per message."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="push_grants", on_delete=fields.CASCADE)
    template_id = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=16)  # one_time | long_term
    status = fields.CharField(max_length=16)  # accept | reject | ban
    remaining = fields.IntField(default=0)  # one-time messages still allowed
    updated_at = fields.DatetimeField()

    class Meta:
        table = "push_grants"
        unique_together = (("user", "template_id"),)


class PushLog(Model):
    """Anonymous-enough record of each send attempt: what was sent to whom, for audit and exactly-once checks."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    purpose = fields.CharField(max_length=32)
    template_id = fields.CharField(max_length=64)
    outcome = fields.CharField(max_length=24)  # reserved | sent | refused | no_grant | no_template | no_openid | failed
    outbox_id = fields.BigIntField(null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "push_log"


class LoginGuard(Model):
    """Staff login lock-out: the times (POSIX seconds, oldest first) of the last five guesses evaluated
    for one username, kept by its SHA-256 so that names typed by strangers are not stored."""

    name_hash = fields.CharField(max_length=64, primary_key=True)
    t1 = fields.FloatField(null=True)
    t2 = fields.FloatField(null=True)
    t3 = fields.FloatField(null=True)
    t4 = fields.FloatField(null=True)
    t5 = fields.FloatField(null=True)

    class Meta:
        table = "login_guards"


class OperationLog(Model):
    """操作日志: one write by staff, an editor or an admin, or one reveal of personal data. Append-only,
    hash-chained (server/audit.py); personal data in ``before``/``after`` is masked before it gets here."""

    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(db_index=True)
    kind = fields.CharField(max_length=16)  # write | reveal | purge
    actor_id = fields.IntField(null=True, db_index=True)
    actor_role = fields.CharField(max_length=16, default="")
    actor_halls = fields.JSONField(default=list)
    method = fields.CharField(max_length=8, default="")
    route = fields.CharField(max_length=200, default="")
    action = fields.CharField(max_length=120, db_index=True)
    target = fields.CharField(max_length=200, default="", db_index=True)
    before = fields.JSONField(null=True)
    after = fields.JSONField(null=True)
    ip = fields.CharField(max_length=64, default="")
    status = fields.IntField(default=0)
    result = fields.CharField(max_length=64, default="")  # ok, or the error code
    prev_hash = fields.CharField(max_length=80)
    hash = fields.CharField(max_length=80)

    class Meta:
        table = "audit_operations"


class LoginLog(Model):
    """登录日志: every staff, editor and admin login attempt. Append-only and hash-chained like OperationLog."""

    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(db_index=True)
    username = fields.CharField(max_length=64, db_index=True)
    user_id = fields.IntField(null=True, db_index=True)
    result = fields.CharField(max_length=64)  # ok, otp_required, or the error code
    ip = fields.CharField(max_length=64, default="")
    user_agent = fields.CharField(max_length=256, default="")
    prev_hash = fields.CharField(max_length=80)
    hash = fields.CharField(max_length=80)

    class Meta:
        table = "audit_logins"


class AuditChainStart(Model):
    """Where a log's chain starts after a retention purge: the first kept entry and the hash it links to,
    sealed with the chain key so that nobody without it can move the start forward."""

    log = fields.CharField(max_length=32, primary_key=True)
    first_id = fields.BigIntField()
    prev_hash = fields.CharField(max_length=80)
    purged_at = fields.DatetimeField()
    seal = fields.CharField(max_length=80)

    class Meta:
        table = "audit_chain_starts"


class PasswordHistory(Model):
    """Argon2 hashes of an account's recent passwords (a new one may not repeat the last five)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="password_history", on_delete=fields.CASCADE)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField()

    class Meta:
        table = "password_history"


class RecoveryCode(Model):
    """A one-time code that stands in for the authenticator app, kept only as its keyed hash."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="recovery_codes", on_delete=fields.CASCADE)
    code_hash = fields.CharField(max_length=80, db_index=True)
    created_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recovery_codes"


class ChangeStamp(Model):
    """A counter per kind of shared data (the map, the gazette, the calendar, sessions), bumped by
    every change, so that every process on this database sees that its copies are out of date."""

    name = fields.CharField(max_length=64, primary_key=True)
    version = fields.BigIntField()
    changed_at = fields.DatetimeField()

    class Meta:
        table = "change_stamps"


class SessionRevocation(Model):
    """A logout, a revocation or a change of role or halls, kept while a session cache may still
    hold what it revoked, so that no worker accepts such a copy (even one Redis kept through an outage)."""

    id = fields.BigIntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, null=True)  # one session
    user_id = fields.IntField(null=True)  # every session of an account
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "session_revocations"
