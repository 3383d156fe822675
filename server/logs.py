"""Structured logs: one JSON object per line, with the request id, and personal data masked."""

from __future__ import annotations

import atexit
import contextvars
import logging
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

import orjson

_PID = os.getpid()
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
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": _PID,
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


class AccessFormatter(logging.Formatter):
    """One JSON line per request from the fields the app passes; cheap, because it runs for every request."""

    def format(self, record: logging.LogRecord) -> str:
        from server.pii import mask_text

        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": "info", "logger": record.name, "pid": _PID,
            **record.access,  # type: ignore[attr-defined]
        }
        entry["path"] = mask_text(entry["path"])  # our URLs carry no personal data, but a client's typo might
        return orjson.dumps(entry).decode()


class BufferedStreamHandler(logging.StreamHandler):
    """Writes lines in batches: at 64 KiB, or when the oldest waiting line is 0.5 s old (checked on each line
    and by :func:`flush_periodically`), and at exit. A write per request line costs more than the request."""

    MAX_BUFFER = 64 * 1024
    MAX_DELAY_S = 0.5

    def __init__(self, stream: Any = None):
        super().__init__(stream)
        self._pending: list[str] = []
        self._size = 0
        self._oldest = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except Exception:  # noqa: BLE001 - logging must never raise into the request
            self.handleError(record)
            return
        with self.lock:  # type: ignore[union-attr]
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.append(line)
            self._size += len(line)
            due = self._size >= self.MAX_BUFFER or time.monotonic() - self._oldest >= self.MAX_DELAY_S
        if due:
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            pending, self._pending, self._size = self._pending, [], 0
            try:
                if pending:
                    self.stream.write("".join(pending))
                if self.stream and hasattr(self.stream, "flush"):
                    self.stream.flush()
            except ValueError:  # the stream was closed under us (interpreter shutdown, test capture)
                pass


async def flush_periodically(stop: Any) -> None:
    """Flush buffered access lines every half second until ``stop`` (an asyncio.Event) is set."""
    import asyncio

    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=BufferedStreamHandler.MAX_DELAY_S)
        except TimeoutError:
            pass
        for handler in logging.getLogger("bianmin.access").handlers:
            handler.flush()


def setup(level: str = "INFO") -> None:
    """Route every logger through one JSON handler that masks 身份证 and phone numbers."""
    global _PID
    _PID = os.getpid()  # once per process: the JSON lines need it, LogRecord's own lookup is a syscall
    # The logging HOWTO's optimisations: our lines use neither the caller's file and line nor thread names.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
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
    access = logging.getLogger("bianmin.access")
    access.propagate = False
    for old in list(access.handlers):
        access.removeHandler(old)
    access_handler = BufferedStreamHandler(sys.stderr)
    access_handler.setFormatter(AccessFormatter())
    access.addHandler(access_handler)
    for noisy in ("sanic.access", "tortoise", "aiosqlite", "asyncpg", "jieba", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


_factory_installed = False


@atexit.register
def _flush_access_log() -> None:
    for handler in logging.getLogger("bianmin.access").handlers:
        handler.flush()


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
