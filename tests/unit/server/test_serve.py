"""`bianmin serve` as a developer sees it start: the address it serves, said once, and never "production" in dev."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from sanic import Sanic
from sanic.mixins import startup

from server import cli, config


@pytest.fixture
def started(monkeypatch, tmp_path, capsys):
    """Run `bianmin serve --port 8123` up to the point where Sanic would start serving; return its output."""
    for name in list(os.environ):
        if name.startswith(("BIANMIN_", "SANIC_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SANIC_IGNORE_PRODUCTION_WARNING", "")  # recorded, so what `serve` sets is undone after
    monkeypatch.delenv("SANIC_IGNORE_PRODUCTION_WARNING")
    monkeypatch.setenv("BIANMIN_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(startup, "is_atty", lambda: True)  # Sanic warns about "PRODUCTION mode" only on a terminal
    monkeypatch.setattr(config, "_current", config._current)
    served = []
    monkeypatch.setattr(Sanic, "serve_single", classmethod(lambda cls, primary=None: served.append(primary)))
    loggers = [logging.getLogger(), logging.getLogger("bianmin.access")]
    saved = [(lg, list(lg.handlers), lg.propagate, lg.level) for lg in loggers]
    try:
        assert cli.main(["serve", "--port", "8123"]) == 0
    finally:
        for lg, handlers, propagate, level in saved:
            for handler in lg.handlers:
                handler.flush()
            lg.handlers[:] = handlers
            lg.propagate, lg.level = propagate, level
    out = capsys.readouterr()
    return served, out.out + out.err


def test_dev_serve_says_where_it_serves_once_and_never_production(started):
    served, output = started
    assert served and served[0].ctx.settings.public_base_url == "http://127.0.0.1:8123"
    assert output.count("listening on http://127.0.0.1:8123") == 1
    assert output.count("public base URL http://127.0.0.1:8123") == 1
    assert "production" not in output.lower()


def test_sanic_lines_go_through_our_log_handler_alone(started):
    # Sanic's own handlers on its loggers would print each of its lines a second time beside our JSON line.
    for name in ("sanic.root", "sanic.error", "sanic.server"):
        assert not logging.getLogger(name).handlers and logging.getLogger(name).propagate


def test_make_run_serves_on_the_port_and_host_the_readme_says_it_takes():
    root = Path(__file__).resolve().parents[3]
    assert "`make run PORT=8080` (and `HOST=0.0.0.0`)" in (root / "README.md").read_text(encoding="utf-8")
    planned = subprocess.run(["make", "-n", "-C", str(root), "run", "PORT=8080", "HOST=0.0.0.0"],
                             capture_output=True, text=True, check=True).stdout  # -n: says what it would run
    assert [line for line in planned.splitlines() if " serve " in line] == [
        ".venv/bin/bianmin serve --host 0.0.0.0 --port 8080"]
