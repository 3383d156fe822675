"""server/'s own outbox handlers and periodic jobs."""

from __future__ import annotations

from datetime import time, timedelta

from server import accounts, accounts_admin, audit, lockout, notify
from server.worker import Jobs


def register(jobs: Jobs) -> None:
    jobs.handler(notify.TOPIC, notify.send_push)
    jobs.every("purge_expired_sessions", timedelta(hours=1), accounts.purge_expired_sessions)
    jobs.every("purge_login_guards", timedelta(hours=1), lockout.purge_stale)
    jobs.daily("purge_audit_logs", time(3, 10), audit.purge)
    jobs.daily("disable_idle_accounts", time(3, 20), accounts_admin.disable_idle_accounts)
