"""The error model: every failure a client sees is a :class:`DomainError`.

A domain error has a stable English ``code``, an HTTP ``status`` and a Chinese ``message``;
the app renders every one as ``{"error": {"code", "message", "details"}}``. Domain packages
subclass these in their own ``errors.py``::

    class SlotFull(Conflict):
        code = "slot_full"
        message = "该时段已约满"
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    message: str = "请求有误"
    headers: Mapping[str, str] = MappingProxyType({})  # read-only: instances set their own

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None, **extra: Any):
        self.message = message or type(self).message
        self.details: dict[str, Any] = {**(details or {}), **extra}
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(DomainError):
    status = 400
    code = "bad_request"
    message = "请求有误"


class MalformedJSON(BadRequest):
    code = "malformed_json"
    message = "请求体不是有效的 JSON"


class ValidationFailed(DomainError):
    """422 with per-field details: ``{"fields": [{"field", "in", "code", "message"}]}``."""

    status = 422
    code = "validation_error"
    message = "请求参数有误"

    @classmethod
    def field(cls, field: str, message: str, *, location: str = "body", code: str = "invalid") -> ValidationFailed:
        return cls(details={"fields": [{"field": field, "in": location, "code": code, "message": message}]})


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    message = "请先登录"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message = "无权进行此操作"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "资源不存在"


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"
    message = "不支持该请求方法"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = "与现有数据冲突"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    message = "请求体过大"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    message = "不支持的内容类型"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"
    message = "请求过于频繁，请稍后再试"

    def __init__(self, message: str | None = None, *, retry_after: int = 60, **kwargs: Any):
        super().__init__(message, retry_after=retry_after, **kwargs)
        self.headers = {"Retry-After": str(max(1, int(retry_after)))}


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"
    message = "服务暂时不可用，请稍后再试"


class DatabaseUnavailable(ServiceUnavailable):
    """The database connection was lost under the request. Its transaction committed or rolled back
    whole (a lost COMMIT may have gone through): a retry with the same Idempotency-Key is safe."""

    code = "database_unavailable"
    message = "数据库暂时不可用，请稍后重试"
    headers = MappingProxyType({"Retry-After": "1"})


class InternalError(DomainError):
    status = 500
    code = "internal_error"
    message = "服务器内部错误"
