"""Request and response bodies of the administrators' account API (/api/v1/admin/users)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.schemas import Strict

Role = Literal["staff", "editor", "answerer", "admin"]
USERNAME = r"^[A-Za-z][A-Za-z0-9._-]{2,63}$"


class AccountIn(Strict):
    username: str = Field(pattern=USERNAME, description="3–64 letters, digits, . _ -; starts with a letter; "
                                                         "kept in lower case")
    role: Role
    halls: list[int] = Field(default_factory=list, max_length=100, description="hall ids (staff only)")


class AccountPatch(Strict):
    role: Role | None = None
    halls: list[int] | None = Field(default=None, max_length=100,
                                    description="the whole hall scope (staff only); the account's sessions end")


class AccountOut(BaseModel):
    id: int
    username: str | None
    role: str
    halls: list[int]
    otp_enrolled: bool
    is_active: bool
    disabled_reason: str | None = Field(description="admin, or idle (unused for BIANMIN_ACCOUNT_IDLE_DAYS)")
    locked: bool = Field(description="locked out after five wrong passwords in 15 minutes")
    last_login_at: datetime | None
    password_changed_at: datetime | None
    password_age_days: int | None
    must_change_password: bool
    created_at: datetime


class AccountCreated(BaseModel):
    account: AccountOut
    temporary_password: str = Field(description="shown once; the first login must change it")


class PasswordResetOut(BaseModel):
    temporary_password: str = Field(description="shown once; the next login must change it")
