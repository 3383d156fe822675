"""Structured logs: one JSON object per line, with the request id, and personal data masked."""

from __future__ import annotations

import contextvars
import logging
import sys
from datetime import datetime, timezone
from typing import Any

import orjson

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            from server.pii import mask_text

            entry["exc"] = record.exc_text or mask_text(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


def setup(level: str = "INFO") -> None:
    """Route every logger through one JSON handler that masks 身份证 and phone numbers."""
    from server.pii import PiiLogFilter

    mask_every_record()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PiiLogFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_bianmin", False):
            root.removeHandler(old)
    handler._bianmin = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("sanic.access", "tortoise", "aiosqlite", "asyncpg", "jieba", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


_factory_installed = False


def mask_every_record() -> None:
    """Mask personal data when any log record is created, whatever handler later formats it."""
    global _factory_installed
    if _factory_installed:
        return
    from server.pii import PiiLogFilter

    pii_filter = PiiLogFilter()
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        pii_filter.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True
