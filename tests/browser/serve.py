"""The demo district served for the browser tests: ``python -m tests.browser.serve PORT PASSWORD``.

Migrates a fresh file database (BIANMIN_VAR_DIR), seeds the demo, adds the tests' accounts (a clerk
of the first demo hall only, a clerk of the second, an editor, the housing bureau's answerer, an admin;
the first clerk and the admin with known authenticator secrets), then serves on 127.0.0.1:PORT with a
test-only blueprint the production app never has: move the clock, and read a demo booking's QR
token (what the resident's phone would show the scanner).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from sanic import Blueprint, Request
from sanic.response import json, text

from server import accounts, clock, config, registry, storage, wechat

ACCOUNTS = (("clerk-a", "staff", 0), ("clerk-b", "staff", 1), ("editor-a", "editor", None),
            ("answerer-a", "answerer", None), ("admin-a", "admin", None))
ADMIN_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # admin-a's authenticator (admins must have one): tests only
# Accounts enrolled with an authenticator (admins must have one; clerk-a logs in to the morning with it): tests only.
AUTHENTICATORS = {"admin-a": ADMIN_TOTP, "clerk-a": "MNWGK4TLFVQS2Y3POVXHIZLSFVYGGIJB"}


async def prepare(password: str) -> None:
    settings = config.current()
    await storage.migrate(settings)
    await storage.close_storage()
    await storage.open_storage(settings)
    wechat.install(wechat.WeChat(settings=settings, storage=storage.current()))
    await storage.load_reference_data()
    for _domain, seed in registry.each("demo"):
        await seed()
    from appointments.tables import Hall

    halls = [h.id for h in await Hall.all().order_by("id")]
    for username, role, hall in ACCOUNTS:
        user = await accounts.create_user(username=username, password=password, role=role,
                                          halls=[halls[hall]] if hall is not None else [])
        if username in AUTHENTICATORS:
            await _enrol_totp(user.id, AUTHENTICATORS[username])
    await _housing_answerer()
    await storage.close_storage()


async def _housing_answerer() -> None:
    """answerer-a answers for the demo's 住房和建设局 (the demo's housing letter goes there)."""
    from questions import service_departments
    from questions.tables import Department
    from server.tables import User

    housing = await Department.get(code="zjj")
    user = await User.get(username="answerer-a")
    await service_departments.set_members(housing.id, [(user.id, True)])


async def _enrol_totp(user_id: int, secret: str) -> None:
    from server import pii_vault, totp
    from server.tables import User

    await User.filter(id=user_id).update(totp_secret_enc=pii_vault.vault().encrypt(secret, context=totp.CONTEXT),
                                         totp_confirmed_at=clock.now())


def test_routes() -> Blueprint:
    bp = Blueprint("browser_tests", url_prefix="/__test__")

    @bp.post("/clock")
    async def move_clock(request: Request):
        clock.advance(timedelta(minutes=int(request.args.get("minutes", "0"))))
        return json({"now": clock.now().isoformat()})

    @bp.get("/token/<code:str>")
    async def checkin_token(request: Request, code: str):
        from appointments import service_checkin
        from appointments.tables import Booking

        booking = await Booking.get(code=code).select_related("hall")
        return text(service_checkin.checkin_token(booking))

    return bp


def main() -> None:
    port, password = int(sys.argv[1]), sys.argv[2]
    settings = config.install(config.load_settings())
    asyncio.run(prepare(password))
    from sanic import Sanic

    from server.app import create_app

    app = create_app(settings, name="bianmin_browser")
    app.blueprint(test_routes())
    app.prepare(host="127.0.0.1", port=port, access_log=False, motd=False, single_process=True)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
