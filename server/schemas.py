"""Request and response models of the account endpoints, and shared building blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server import errors

Coord = Literal["wgs84", "gcj02", "bd09"]


@dataclass(frozen=True, slots=True)
class Versioned:
    """A handler's answer with its own validator, for ``etag=True`` endpoints.

    ``version`` must change whenever the answer to the same URL could: the ETag is then a hash of
    the version, the path and the query string instead of the whole body (a map page is ~7 KB;
    hashing it cost more than the query behind it). With ``raw=True`` the value is the body itself,
    JSON already rendered to bytes (sent as is, unchecked).
    """

    value: Any
    version: str
    raw: bool = False


def not_null(value: Any) -> Any:
    """For PATCH fields that can be changed but not cleared: an explicit null is a 422, not a NULL column.

    Use as ``_set = field_validator("name", "windows")(not_null)``.
    """
    if value is None:
        raise ValueError("不能为 null")
    return value


class Strict(BaseModel):
    """Request bodies reject unknown fields, so a typo is a 422 rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LonLat(BaseModel):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class Me(BaseModel):
    id: int
    role: str
    nickname: str
    phone: str | None = Field(description="masked, e.g. 138****5678")
    home: LonLat | None = Field(description="in the coord system asked for (WGS-84 unless ?coord= or coord says)")
    coord: Coord = Field("wgs84", description="coordinate system of home")
    halls: list[int]


class MeQuery(BaseModel):
    coord: Coord = Field("wgs84", description="coordinate system of home (PATCH: given and answered in)")


class LoginResult(BaseModel):
    token: str
    expires_at: datetime
    user: Me
    state: Literal["ok", "password_change_required", "otp_enrolment_required"] = Field(
        "ok", description="staff: what the session may do; until ok, only change the password or enrol a "
                          "second factor (other routes answer 403 with this code)")


class WeChatLogin(Strict):
    code: str = Field(min_length=1, max_length=128, description="the code from wx.login()")


class DevLogin(Strict):
    openid: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    nickname: str | None = Field(default=None, max_length=32)


class StaffLogin(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    otp: str | None = Field(default=None, max_length=32,
                            description="accounts with a second factor: the 6-digit code, or a recovery code")


class PasswordChange(Strict):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256,
                              description="8+ characters, 3 of upper/lower/digit/other, not the username, "
                                          "none of the last 5")


class OtpEnrolment(BaseModel):
    secret: str = Field(description="base32, for apps that cannot scan")
    otpauth_uri: str
    qr_png_base64: str = Field(description="the otpauth URI as a QR code (PNG, base64)")


class OtpConfirm(Strict):
    otp: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$", description="the app's current code")


class RecoveryCodes(BaseModel):
    recovery_codes: list[str] = Field(description="10 one-time codes, shown only now")


class PhoneBind(Strict):
    code: str = Field(min_length=1, max_length=128, description="the code from open-type=getPhoneNumber")


class MeUpdate(Strict):
    nickname: str | None = Field(default=None, min_length=1, max_length=32)
    home: LonLat | None = None
    coord: Coord = Field(default="wgs84", description="coordinate system of home, in the request and the answer "
                                                      "(or ?coord=, as GET /me takes it)")
    clear_home: bool = False

    def system(self, query: MeQuery) -> Coord:
        """The system home is given and answered in: ``coord`` of the body or of the query, which must agree."""
        given = {model.coord for model in (self, query) if "coord" in model.model_fields_set}
        if len(given) > 1:
            raise errors.ValidationFailed.field("coord", "查询参数与请求体中的 coord 不一致", location="query",
                                                code="conflict")
        return given.pop() if given else "wgs84"


class Deleted(BaseModel):
    deleted: bool
