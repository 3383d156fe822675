"""Guessing limits of the account controls, kept in the database so that they survive the loss of Redis.

Three secrets are guarded so, each in its own scope: the staff login (by the username typed),
the one-time code (``otp``, by account id: server/totp.py) and the current password asked when
changing it (``pwchange``, by account id: server/passwords.py). A 等保 assessment expects the
"登录失败处理" to hold at all times; a counter in Redis that is off while Redis is down would
let a guesser run free exactly then, and failing closed would lock every clerk out of the counter.

A guarded name has one row (``login_guards``, keyed by the SHA-256 of scope and name, so names
typed by strangers are not stored and no username can fall into another scope's row) holding the
times of the last :data:`GUESSES` guesses evaluated for it, oldest first. A guess takes a place *before* its password is checked, in one statement that
shifts the times along only when the oldest is more than :data:`WINDOW_S` old; the database
applies such statements to a row one at a time, so however many requests arrive together, at most
five guesses are evaluated for a name in any 15 minutes. A correct password gives its own place
back (staff who log in often are never locked); a wrong one keeps it. Unknown names are guarded
exactly like known ones: the answers say nothing about which names exist.
"""

from __future__ import annotations

import hashlib
import itertools
import math

from tortoise.expressions import Q

from server import clock, storage
from server.tables import LoginGuard

GUESSES = 5
LOGIN, OTP, PASSWORD_CHANGE = "login", "otp", "pwchange"  # the scopes
WINDOW_S = 15 * 60
_TABLE = LoginGuard._meta.db_table
_SLOTS = [f"t{i}" for i in range(1, GUESSES + 1)]  # t1 oldest .. t5 newest

# INSERT .. ON CONFLICT DO UPDATE .. WHERE .. RETURNING: the same text on PostgreSQL and SQLite (3.35+).
# Every SET expression reads the row as it was, so the times shift along by one.
_TAKE = (
    f"INSERT INTO {_TABLE} (name_hash, {', '.join(_SLOTS)}) VALUES ($1, {'NULL, ' * (GUESSES - 1)}$2) "
    f"ON CONFLICT (name_hash) DO UPDATE SET "
    + ", ".join(f"{a} = {_TABLE}.{b}" for a, b in itertools.pairwise(_SLOTS))
    + f", {_SLOTS[-1]} = excluded.{_SLOTS[-1]} "
    f"WHERE {_TABLE}.t1 IS NULL OR {_TABLE}.t1 <= $3 RETURNING name_hash"
)

# Give back the place taken at $2: the times before it move up one, the first becomes empty.
_POSITION = "(CASE " + " ".join(f"WHEN {s} = $2 THEN {i}" for i, s in reversed(list(enumerate(_SLOTS, 1)))) \
    + " ELSE 0 END)"
_GIVE_BACK = (
    f"UPDATE {_TABLE} SET "
    + ", ".join(f"{s} = CASE WHEN {_POSITION} >= {i} THEN {'NULL' if i == 1 else _SLOTS[i - 2]} ELSE {s} END"
                for i, s in enumerate(_SLOTS, 1))
    + " WHERE name_hash = $1"
)


def name_hash(username: str, scope: str = LOGIN) -> str:
    return hashlib.sha256(f"{scope}:{username}".encode()).hexdigest()


async def take_guess(username: str, *, scope: str = LOGIN) -> float | None:
    """Count one guess for ``username`` (in ``scope``) before it is checked.

    Returns its ticket (pass it to :func:`give_back` when the secret was right), or None when the
    name is locked: five guesses were already evaluated in the last 15 minutes.
    """
    now = clock.timestamp()
    rows = await storage.sql(_TAKE, [name_hash(username, scope), now, now - WINDOW_S])
    return now if rows else None


async def give_back(username: str, ticket: float, *, scope: str = LOGIN) -> None:
    """A correct secret: its guess no longer counts towards the lock-out."""
    await storage.sql(_GIVE_BACK, [name_hash(username, scope), ticket])


async def locked_for(username: str, *, scope: str = LOGIN) -> int:
    """Seconds until ``username`` may be tried again in ``scope`` (at least 1)."""
    guard = await LoginGuard.get_or_none(name_hash=name_hash(username, scope))
    oldest = guard.t1 if guard is not None else None
    if oldest is None:
        return 1
    return max(1, math.ceil(oldest + WINDOW_S - clock.timestamp()))


async def purge_stale() -> int:
    """Delete rows whose every guess is older than the window (names typed once and never again)."""
    stale = Q(t5__isnull=True) | Q(t5__lte=clock.timestamp() - WINDOW_S)
    return await LoginGuard.filter(stale).delete()


def _account_hashes(username: str, account_id: int) -> dict[str, str]:
    """The guard rows of one account: its login (by username), its one-time code and its password change (by id)."""
    return {name_hash(username, LOGIN): LOGIN, name_hash(str(account_id), OTP): OTP,
            name_hash(str(account_id), PASSWORD_CHANGE): PASSWORD_CHANGE}


async def locked_accounts(accounts: list[tuple[int, str]]) -> set[int]:
    """Which of ``accounts`` (id, username) are locked out now in any scope (five guesses in the last 15 minutes)."""
    by_hash = {h: account_id for account_id, username in accounts for h in _account_hashes(username, account_id)}
    since = clock.timestamp() - WINDOW_S
    rows = await LoginGuard.filter(name_hash__in=list(by_hash), t1__gt=since).values_list("name_hash", flat=True)
    return {by_hash[h] for h in rows}


async def unlock(username: str, account_id: int) -> None:
    """An administrator clears the lock-outs of an account (its login, one-time code and password change):
    its past guesses no longer count."""
    await LoginGuard.filter(name_hash__in=list(_account_hashes(username, account_id))).delete()
