"""The list of domain packages and what each contributes to the assembled system.

Entries name modules by string so that importing the registry imports no domain code;
the app factory, the command line and storage resolve them when they need them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Domain:
    label: str                          # Tortoise app label
    tables: str                         # module with the Tortoise models
    migrations: str                     # package with the committed migrations
    blueprints: tuple[str, ...] = ()    # "module:attr" Sanic blueprints
    reference: str | None = None        # "module:func": async, idempotent reference data (run by migrate)
    demo: str | None = None             # "module:func": async part of `bianmin seed-demo`
    cli: str | None = None              # "module:func": registers extra sub-commands on an argparse subparsers
    worker: str | None = None           # "module:func": registers outbox handlers and periodic jobs
    startup: str | None = None          # "module:func": async, run once per server process after storage opens
    started: str | None = None          # "module:func": async, run once per server process once it serves
    erase: str | None = None            # "module:func": async (user_id, *, using_db), PIPL account deletion
    rekey: str | None = None            # "module:func": async (*, check, progress) -> {table: rows}, for
                                        # `bianmin rotate-pii-key` (see server/pii_rotation.py)
    forget: str | tuple[str, ...] | None = None  # "module:func": drops this process's copies of stored
                                                 # data (tests call it after emptying the database)
    revoke: str | None = None           # "module:func": async (user_id), ends the sessions a domain keeps
                                        # itself (the console's), when an admin changes or disables an account
    halls: str | None = None            # "module:func": async (*, include_inactive) -> [{"id", "name", ..}],
                                        # the halls staff accounts can serve (one domain provides it)
    coords: str | None = None           # "module:func": convert((lon, lat), src, dst) between wgs84, gcj02 and
                                        # bd09, for the accounts' home location (one domain provides it)


DOMAINS: tuple[Domain, ...] = (
    Domain(
        label="server",
        tables="server.tables",
        migrations="server.migrations",
        blueprints=("server.health:bp", "server.account_views:bp", "server.push_views:bp", "server.docs:bp",
                    "server.audit_views:bp", "server.accounts_admin_views:bp"),
        demo="server.demo:seed",
        worker="server.jobs:register",
        erase="server.notify:erase",
        rekey="server.accounts:rekey",
        forget=("server.auth:forget_local", "server.stamps:forget"),
    ),
    Domain(
        label="geo",
        tables="geo.tables",
        migrations="geo.migrations",
        blueprints=("geo.views:bp", "geo.views_admin:bp"),
        reference="geo.service:load_reference",
        demo="geo.demo:seed",
        cli="geo.cli:register",
        worker="geo.jobs:register",
        startup="geo.service:startup",
        started="geo.service:started",
        forget="geo.snapshot_cache:forget",
        coords="geo.coords:convert",
    ),
    Domain(
        label="appointments",
        tables="appointments.tables",
        migrations="appointments.migrations",
        blueprints=("appointments.views_public:bp", "appointments.views_bookings:bp",
                    "appointments.views_staff:bp", "appointments.views_desk:bp", "appointments.views_admin:bp"),
        demo="appointments.demo:seed",
        cli="appointments.cli:register",
        worker="appointments.jobs:register",
        erase="appointments.service_privacy:erase",
        rekey="appointments.service_privacy:rekey",
        forget=("appointments.service_calendar:forget", "appointments.full_slots:forget"),
        halls="appointments.service_halls:list_halls",
    ),
    Domain(
        label="bulletin",
        tables="bulletin.tables",
        migrations="bulletin.migrations",
        blueprints=("bulletin.views:bp", "bulletin.views_editor:bp", "bulletin.views_me:bp", "bulletin.web:bp"),
        reference="bulletin.reference:load",
        demo="bulletin.demo:seed",
        cli="bulletin.cli:register",
        startup="bulletin.snapshots:warm",
        erase="bulletin.service_reading:erase",
        forget="bulletin.related:forget_cache",
    ),
    Domain(
        label="feeds",
        tables="bulletin.feeds.tables",
        migrations="bulletin.feeds.migrations",
        blueprints=("bulletin.feeds.views:bp", "bulletin.feeds.views_notices:bp",
                    "bulletin.feeds.views_enterprises:bp", "bulletin.feeds.views_admin:bp"),
        demo="bulletin.feeds.demo:seed",
        worker="bulletin.feeds.jobs:register",
        erase="bulletin.feeds.service_privacy:erase",
        rekey="bulletin.feeds.service_enterprises:rekey",
    ),
    Domain(
        label="console",
        tables="console.tables",
        migrations="console.migrations",
        blueprints=("console.views:bp", "console.hall:bp", "console.hall_slots:bp", "console.display:bp",
                    "console.editor:bp", "console.notices:bp", "console.admin_logs:bp",
                    "console.admin_enterprises:bp", "console.admin_map:bp", "console.questions:bp",
                    "console.questions_kb:bp", "console.questions_stats:bp", "console.questions_admin:bp", "console.admin_accounts:bp",
                    "console.admin_calendar:bp", "console.admin_halls:bp"),
        worker="console.jobs:register",
        revoke="console.sessions:end_all",
    ),
    Domain(
        label="questions",
        tables="questions.tables",
        migrations="questions.migrations",
        blueprints=("questions.views:bp", "questions.views_editor:bp", "questions.views_letters:bp",
                    "questions.views_handling:bp"),
        reference="questions.reference:load",
        demo="questions.demo:seed",
        worker="questions.jobs:register",
        erase="questions.service_privacy:erase",
        rekey="questions.service_privacy:rekey",
    ),
)


def resolve(target: str) -> Any:
    """Import "package.module:attr" and return the attribute."""
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr) if attr else module


def each(field: str) -> Iterator[tuple[Domain, Any]]:
    """Yield (domain, resolved object) for every domain that sets ``field``."""
    for domain in DOMAINS:
        targets = getattr(domain, field)
        if targets is None:
            continue
        for target in targets if isinstance(targets, tuple) else (targets,):
            yield domain, resolve(target)
