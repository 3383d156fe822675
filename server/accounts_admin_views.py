"""Administrators' account endpoints (/api/v1/admin/users): 账号与角色. The console calls the same services."""

from __future__ import annotations

from sanic import Blueprint, Request

from server import accounts_admin as admin
from server import auth, errors
from server.accounts_schemas import (
    AccountCreated,
    AccountIn,
    AccountOut,
    AccountPatch,
    PasswordResetOut,
)
from server.api import endpoint

bp = Blueprint("accounts_admin", url_prefix="/api/v1/admin/users")
TAGS = ["admin"]
ADMIN = "admin"
GUARDED = [admin.UserNotFound, admin.LastAdmin, admin.OwnAccount]


@bp.get("")
@endpoint("Every staff, editor, answerer and admin account", tags=TAGS, response=list[AccountOut], auth_roles=ADMIN)
async def list_users(request: Request, *, user: auth.CurrentUser):
    return await admin.list_accounts()


@bp.post("")
@endpoint("Create an account; answers its temporary first password once", tags=TAGS, body=AccountIn,
          response=AccountCreated, status=201, auth_roles=ADMIN, raises=[admin.UsernameTaken, errors.ValidationFailed])
async def create_user(request: Request, *, body: AccountIn, user: auth.CurrentUser):
    return await admin.create_account(username=body.username, role=body.role, halls=body.halls)


@bp.get("/<user_id:int>")
@endpoint("One account", tags=TAGS, response=AccountOut, auth_roles=ADMIN, raises=[admin.UserNotFound])
async def get_user(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.get_account(user_id)


@bp.patch("/<user_id:int>")
@endpoint("Change an account's role or halls (its sessions end)", tags=TAGS, body=AccountPatch, response=AccountOut,
          auth_roles=ADMIN, raises=[*GUARDED, errors.ValidationFailed])
async def update_user(request: Request, user_id: int, *, body: AccountPatch, user: auth.CurrentUser):
    return await admin.update_account(user_id, actor_id=user.id, role=body.role, halls=body.halls)


@bp.post("/<user_id:int>/disable")
@endpoint("Disable an account (its sessions end)", tags=TAGS, response=AccountOut, auth_roles=ADMIN, raises=GUARDED)
async def disable_user(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.disable_account(user_id, actor_id=user.id)


@bp.post("/<user_id:int>/enable")
@endpoint("Enable a disabled account", tags=TAGS, response=AccountOut, auth_roles=ADMIN, raises=[admin.UserNotFound])
async def enable_user(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.enable_account(user_id)


@bp.post("/<user_id:int>/unlock")
@endpoint("Clear a lock-out after wrong passwords", tags=TAGS, response=AccountOut, auth_roles=ADMIN,
          raises=[admin.UserNotFound])
async def unlock_user(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.unlock_account(user_id)


@bp.post("/<user_id:int>/password-reset")
@endpoint("A new temporary password, answered once (sessions end, lock-out cleared)", tags=TAGS,
          response=PasswordResetOut, auth_roles=ADMIN, raises=[admin.UserNotFound])
async def reset_password(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.reset_password(user_id)


@bp.post("/<user_id:int>/otp-reset")
@endpoint("Remove the account's second factor (a lost phone); sessions end", tags=TAGS, response=AccountOut,
          auth_roles=ADMIN, raises=[admin.UserNotFound])
async def reset_otp(request: Request, user_id: int, *, user: auth.CurrentUser):
    return await admin.reset_second_factor(user_id)
