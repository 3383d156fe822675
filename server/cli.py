"""The ``bianmin`` command line: serve, migrate, seed-demo, worker, createuser, and domain commands."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from functools import partial

from server import config, logs, registry, storage
from server.config import ConfigError, Settings

Command = Callable[[argparse.Namespace], Awaitable[int | None]]


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "workers", None):
        overrides["BIANMIN_WORKERS"] = str(args.workers)
    served_at = config.served_url(args.host, args.port) if args.command == "serve" else None
    return config.install(config.load_settings(overrides=overrides, served_at=served_at))


def startup_lines(settings: Settings, *, host: str, port: int) -> list[str]:
    """What `bianmin serve` says once when it starts (Sanic's own banner is off: it says "production" in dev)."""
    database = settings.database_url.split("@")[-1] if settings.is_postgres else settings.database_url
    redis = settings.redis_url.split("@")[-1] if settings.redis_url else "embedded fakeredis (this process only)"
    worker = "inside this process" if settings.run_worker else "separate `bianmin worker` processes"
    return [
        f"bianmin ({settings.env}) listening on {config.served_url(host, port)}, {settings.workers} worker(s)",
        f"  public base URL {settings.public_base_url} (QR codes, reading pages, Atom links)",
        f"  database {database}; Redis {redis}; background jobs {worker}",
        f"  API docs {config.served_url(host, port)}/docs",
    ]


async def with_storage(args: argparse.Namespace, command: Command) -> int | None:
    """Open storage (and the WeChat client) around an async command."""
    from server import wechat

    settings = config.current()
    await storage.open_storage(settings)
    wechat.install(wechat.WeChat(settings=settings, storage=storage.current()))
    try:
        return await command(args)
    finally:
        await storage.close_storage()


def cmd_serve(args: argparse.Namespace) -> int:
    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from server.app import create_app

    settings = config.current()
    if settings.env != "production":
        # Sanic's documented switch for its "running in PRODUCTION mode" warning, which is wrong in dev
        # (written for Sanic, never read here: settings come from server/config.py alone).
        os.environ["SANIC_IGNORE_PRODUCTION_WARNING"] = "true"
    loader = AppLoader(factory=partial(create_app, settings))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=settings.workers, access_log=False,
                motd=False, single_process=settings.workers == 1)
    print("\n".join(startup_lines(settings, host=args.host, port=args.port)), flush=True)
    if settings.workers == 1:
        Sanic.serve_single(primary=app)
    else:
        Sanic.serve(primary=app, app_loader=loader)
    return 0


async def cmd_migrate(args: argparse.Namespace) -> int:
    settings = config.current()

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"  applied {app_label}.{name}")

    await storage.migrate(settings, progress=progress)
    await storage.close_storage()
    await storage.open_storage(settings)
    try:
        await storage.load_reference_data()
    finally:
        await storage.close_storage()
    print("migrations applied; reference data loaded")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Refuse in production unless --force: demo halls, POIs and documents are not the district's."""
    if config.current().env == "production" and not args.force:
        print("bianmin seed-demo: refusing to add demo data in production (BIANMIN_ENV=production); "
              "pass --force to add it anyway (no demo staff, editor or admin accounts are created there)",
              file=sys.stderr)
        return 2
    return asyncio.run(with_storage(args, _seed_demo)) or 0


async def _seed_demo(args: argparse.Namespace) -> int:
    for domain, seed in registry.each("demo"):
        print(f"seeding demo data: {domain.label}")
        await seed()
    return 0


async def cmd_createuser(args: argparse.Namespace) -> int:
    from server import accounts, passwords

    password = sys.stdin.readline().rstrip("\r\n")
    broken = passwords.problems(password, username=args.username)
    if broken:
        print(f"bianmin createuser: the password must have {'; '.join(passwords.RULES[r] for r in broken)}",
              file=sys.stderr)
        return 2
    try:
        # A first password is temporary: the first login can do nothing but change it.
        user = await accounts.create_user(username=args.username, password=password, role=args.role, halls=args.hall,
                                          must_change=True)
    except ValueError as exc:
        print(f"bianmin createuser: {exc}", file=sys.stderr)
        return 2
    print(f"user {user.username} (id {user.id}, role {user.role}, halls {user.halls}) saved")
    return 0


async def cmd_worker(args: argparse.Namespace) -> int:
    from server import worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await worker.run(stop)
    return 0


async def cmd_rotate_pii_key(args: argparse.Namespace) -> int:
    """Re-encrypt personal data under BIANMIN_PII_KEY and re-key its lookup hashes (see server/pii_rotation.py)."""
    from tqdm import tqdm

    left = 0
    for domain, rekey in registry.each("rekey"):
        with tqdm(desc=f"rotating {domain.label}", unit=" rows", disable=args.check, leave=False) as bar:
            counts = await rekey(check=args.check, progress=bar.update)
        for table, rows in counts.items():
            print(f"{table}: {rows} rows {'still under an older key' if args.check else 're-encrypted'}")
            left += rows
    if args.check:
        print("nothing left to rotate: the previous keys can be removed" if not left else
              "run `bianmin rotate-pii-key` to rotate them")
        return 1 if left else 0
    return 0


async def cmd_audit(args: argparse.Namespace) -> int:
    """``bianmin audit verify``: check both logs' hash chains; ``bianmin audit purge``: the retention job now."""
    from server import audit

    if args.audit_command == "purge":
        for log_name, removed in (await audit.purge()).items():
            print(f"{log_name}: {removed} entries older than the retention period removed")
        return 0
    problems = await audit.verify()
    for problem in problems:
        print(f"BROKEN {problem}")
    print("audit logs intact" if not problems else f"{len(problems)} problem(s) found")
    return 1 if problems else 0


def cmd_makemigrations(args: argparse.Namespace) -> int:
    """Developers: write migrations for model changes with Tortoise's autodetector.

    The autodetector always sees every app (apps reference ``server.User``), and only the labels
    asked for get new migration files.
    """
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector

    from server._migration_config import TORTOISE_ORM

    async def run() -> int:
        apps = {label: dict(app) for label, app in TORTOISE_ORM["apps"].items()}
        unknown = set(args.app_labels) - set(apps)
        if unknown:
            print(f"bianmin makemigrations: unknown app {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        async with tortoise_cli_context(TORTOISE_ORM) as ctx:
            writers = await MigrationAutodetector(ctx.apps, apps).changes()
        wanted = [w for w in writers if not args.app_labels or w.app_label in args.app_labels]
        for writer in wanted:
            print(f"  created {writer.app_label}.{writer.name}: {writer.write()}")
        if not wanted:
            print("no changes detected")
        return 0

    return asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bianmin", description="便民: the district's service backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default BIANMIN_WORKERS)")
    serve.set_defaults(sync=cmd_serve)
    sub.add_parser("migrate", help="apply migrations and load reference data").set_defaults(run=cmd_migrate, raw=True)
    seed = sub.add_parser("seed-demo", help="create the demo district (idempotent)")
    seed.add_argument("--force", action="store_true", help="seed even in production (never demo staff accounts)")
    seed.set_defaults(sync=cmd_seed_demo)
    sub.add_parser("worker", help="send notifications and run periodic jobs").set_defaults(run=cmd_worker)
    create = sub.add_parser("createuser", help="create a staff, editor or admin account; password on stdin")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=["staff", "editor", "answerer", "admin"])
    create.add_argument("--hall", type=int, action="append", default=[], help="hall id (staff scope), repeatable")
    create.set_defaults(run=cmd_createuser)
    rotate = sub.add_parser("rotate-pii-key", help="re-encrypt personal data under BIANMIN_PII_KEY")
    rotate.add_argument("--check", action="store_true",
                        help="only count rows still under an older key (exit status 1 if any)")
    rotate.set_defaults(run=cmd_rotate_pii_key)
    audit_cmd = sub.add_parser("audit", help="operation and login logs: verify the hash chains, purge old entries")
    audit_cmd.add_argument("audit_command", choices=["verify", "purge"])
    audit_cmd.set_defaults(run=cmd_audit)
    mk = sub.add_parser("makemigrations", help="(developers) write migrations for model changes")
    mk.add_argument("app_labels", nargs="*")
    mk.set_defaults(sync=cmd_makemigrations)
    for _domain, register in registry.each("cli"):
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(f"bianmin: configuration error: {exc}", file=sys.stderr)
        return 2
    logs.setup(settings.log_level)
    if hasattr(args, "sync"):
        return args.sync(args) or 0
    if getattr(args, "raw", False):
        return asyncio.run(args.run(args)) or 0
    return asyncio.run(with_storage(args, args.run)) or 0


if __name__ == "__main__":
    sys.exit(main())
