"""docs/operations.md, held to the code: every setting, command, path, query, template field, folder and
mini-program list it names is one the code has, so the deploying engineer can type what it says."""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

import pytest
from sanic.exceptions import MethodNotAllowed, NotFound
from tortoise.models import Model

from server import cli, config

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
FENCED = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
TEMPLATE_KEY = r"(?:thing|time|date|character_string|phrase|number|amount|name|phone_number)\d+"


def fenced(language: str) -> list[str]:
    return [body for lang, body in FENCED.findall(GUIDE) if lang == language]


def code_spans() -> list[str]:
    """Inline code spans (which may wrap a line) and the lines of fenced blocks, without shell comments."""
    spans = re.findall(r"`([^`]+)`", FENCED.sub("", GUIDE))
    lines = [line.split(" #")[0] for _lang, body in FENCED.findall(GUIDE) for line in body.splitlines()]
    return [" ".join(s.split()) for s in spans + lines]


def test_the_readme_links_the_operations_guide():
    assert "(docs/operations.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_the_guide_names_is_one_config_reads():
    read = set(re.findall(r'get\("(BIANMIN_[A-Z_]+)"\)', (ROOT / "server" / "config.py").read_text(encoding="utf-8")))
    named = set(re.findall(r"BIANMIN_[A-Z_]+[A-Z]", GUIDE))
    assert named - read == set(), "docs/operations.md names settings server/config.py does not read"
    for topic in ("nginx", "systemd", "/readyz", "outbox", "rollback", "小程序备案", "政务民生", "隐私保护指引"):
        assert topic in GUIDE


def test_every_bianmin_command_the_guide_gives_parses(capsys):
    commands = [match.split() for span in code_spans()
                for match in re.findall(r"(?:^|bin/)bianmin ([a-z][\w-]*(?: (?:--?[\w-]+|[^\s-]\S*))*)", span)]
    assert {c[0] for c in commands} >= {"serve", "worker", "migrate", "createuser", "rotate-pii-key"}
    parser = cli.build_parser()
    for words in commands:
        args = [{"N": "4", "...": "clerk"}.get(w, w) for w in words]  # the guide's placeholders
        try:
            parser.parse_args(args)
        except SystemExit:
            pytest.fail(f"`bianmin {' '.join(words)}` in docs/operations.md: {capsys.readouterr().err}")


@pytest.fixture(scope="module")
def app():
    from server.app import create_app

    before = config._current
    application = create_app(config.Settings(secret_key="t" * 40, pii_key=b"k" * 32), name="bianmin_operations_doc")
    application.router.finalize()
    yield application
    config._current = before


def routed(app, path: str) -> bool:
    try:
        app.router.get(path, "GET", None)
    except MethodNotAllowed:
        return True
    except NotFound:
        return False
    return True


def test_every_http_path_the_guide_names_is_served(app):
    nginx = "".join(fenced("nginx"))
    prefixes = set(re.findall(r"location (/\S*) \{", nginx)) - {"/"}
    exact = re.findall(r"location [=~] (\S+) \{", nginx)
    exact += [s for s in code_spans() if re.fullmatch(r"/(?:api|d|console|healthz|readyz)\S*", s)]
    paths = {re.sub(r"\{\w+\}|\\d\+", "1", p).strip("^$") for p in exact}
    assert {"/console/", "/d/"} <= prefixes and {"/healthz", "/readyz", "/d/1"} <= paths
    assert [p for p in paths if not routed(app, p)] == []
    served = ["/" + route.path for route in app.router.routes]
    assert [p for p in prefixes if not any(s.startswith(p) for s in served)] == []


def test_nginx_lets_through_every_upload_the_app_accepts(app):
    nginx = "".join(fenced("nginx"))
    size = {"k": 1024, "m": 1024 * 1024}
    outer = re.search(r"^    client_max_body_size (\d+)([km]);", nginx, re.MULTILINE)
    assert int(outer[1]) * size[outer[2]] == config.Settings().max_body_bytes
    limits = {pattern: int(n) * size[unit] for pattern, n, unit in re.findall(
        r"location ~ (\S+) \{\s*client_max_body_size (\d+)([km]);", nginx)}
    checked = 0
    for route in app.router.routes:
        spec = getattr(route.handler, "__bianmin_endpoint__", None)  # API routes; console forms say it themselves
        accepts = spec.max_body if spec is not None else getattr(route.handler, "__bianmin_max_body__", None)
        if (accepts or 0) <= config.Settings().max_body_bytes:
            continue
        path = "/" + re.sub(r"<[^>]+>", "7", route.path)
        allowed = [limit for pattern, limit in limits.items() if re.search(pattern, path)]
        assert allowed and allowed[0] >= accepts, f"nginx would refuse uploads to {path} bianmin accepts"
        checked += 1
    assert checked >= 2  # gazette attachments: the API and the console form


def models_by_table() -> dict[str, type[Model]]:
    for tables in sorted(ROOT.glob("*/tables.py")) + sorted(ROOT.glob("*/*/tables.py")):
        importlib.import_module(".".join(tables.relative_to(ROOT).with_suffix("").parts))
    found, todo = {}, list(Model.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if not model._meta.abstract:
            found[model._meta.db_table] = model
    return found


def test_the_monitoring_queries_name_real_tables_columns_and_values():
    models = models_by_table()
    written = {  # the values the code writes into the columns the queries filter on
        ("outbox", "status"): set(re.findall(r'status="(\w+)"', (ROOT / "server/outbox.py").read_text())) | {"pending"},
        ("push_log", "outcome"): set(re.findall(r'outcome="(\w+)"', (ROOT / "server/notify.py").read_text())),
    }
    queries = [q for block in fenced("sql") for q in block.split(";") if q.strip()]
    assert queries
    for query in queries:
        table = re.search(r"FROM (\w+)", query)[1]
        columns = set(models[table]._meta.fields_db_projection.values())
        words = set(re.findall(r"\b[a-z_]+\b", re.sub(r"'[^']*'", "", query))) - {table, "now", "interval", "count",
                                                                                   "min", "max"}
        assert words <= columns, f"{table} has no column {sorted(words - columns)}"
        for column, value in re.findall(r"(\w+) = '(\w+)'", query):
            assert value in written[(table, column)], f"the code never writes {column} = {value!r}"
    outcomes = re.search(r"`push_log` records each send by outcome \(([^)]*)\)", GUIDE)[1]
    assert set(re.findall(r"`(\w+)`", outcomes)) == written[("push_log", "outcome")] - {"reserved"}


# Where each purpose's message data is written (a new purpose fails the test until it is added here and in the guide).
MESSAGE_SOURCES = {
    "booking_confirmed": "appointments/notices.py", "booking_reminder": "appointments/notices.py",
    "booking_rescheduled": "appointments/notices.py", "booking_cancelled": "appointments/notices.py",
    "document_published": "bulletin/feeds/digest.py", "letter_replied": "questions/service_handling.py",
    "letter_overdue": "questions/service_letter_jobs.py",
}


def test_the_template_table_gives_each_purpose_the_fields_the_code_sends():
    rows = dict(re.findall(r"^\s*\| `(\w+)` \|(.*)\|\s*$", GUIDE, re.MULTILINE))
    assert set(rows) == set(config.TEMPLATE_PURPOSES) == set(MESSAGE_SOURCES)
    for purpose, source in MESSAGE_SOURCES.items():
        sent = set(re.findall(rf'"({TEMPLATE_KEY})":', (ROOT / source).read_text(encoding="utf-8")))
        assert set(re.findall(rf"`({TEMPLATE_KEY})`", rows[purpose])) == sent, purpose


def test_the_mini_program_lists_match_what_it_calls():
    privacy = (ROOT / "miniprogram/utils/privacy.js").read_text(encoding="utf-8")
    guide_items = re.findall(r"info: '([^']+)'", privacy.split("const COLLECTED")[0])
    assert guide_items and [item for item in guide_items if item not in GUIDE] == []
    sources = "".join(p.read_text(encoding="utf-8") for folder in ("pages", "components", "utils")
                      for p in (ROOT / "miniprogram" / folder).rglob("*.js"))
    domain_lists = {"request": "request合法域名", "uploadFile": "uploadFile合法域名",
                    "downloadFile": "downloadFile合法域名", "connectSocket": "socket合法域名"}
    called = set(re.findall(r"\bwx\.(request|uploadFile|downloadFile|connectSocket)\(", sources))
    assert {"request", "downloadFile"} <= called
    assert [domain_lists[c] for c in called if domain_lists[c] not in GUIDE] == []


def test_the_folders_to_share_and_back_up_are_the_ones_files_are_written_to():
    folders = {m for p in ROOT.glob("*/*.py") for m in re.findall(r'ContentStore\("([^"]+)"\)', p.read_text())}
    assert folders and [f for f in folders if f"`BIANMIN_VAR_DIR/{f}/`" not in GUIDE] == []


def test_the_environment_file_reads_the_same_in_a_shell_and_the_settings_accept_it(tmp_path):
    block = next(body for body in fenced("sh") if body.startswith("BIANMIN_ENV=production"))
    env_file = tmp_path / "bianmin.env"
    env_file.write_text(block)
    shown = subprocess.run(["sh", "-c", f"set -a; . {env_file}; env"], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin"}, check=True).stdout
    environ = dict(line.split("=", 1) for line in shown.splitlines() if line.startswith("BIANMIN_"))
    assert set(environ) == set(re.findall(r"^(BIANMIN_\w+)=", block, re.MULTILINE))
    environ.update(BIANMIN_SECRET_KEY="s" * 48, BIANMIN_PII_KEY="a2V5" * 10 + "a2s=")  # the guide's "..." placeholders
    settings = config.load_settings(environ)
    assert settings.env == "production" and settings.is_postgres
    assert set(settings.wechat_templates) == {"booking_confirmed", "booking_reminder", "document_published"}


def test_production_refuses_to_start_without_each_setting_the_guide_says_it_needs(tmp_path):
    needed = re.search(r"refuses to start without (.*?), and refuses", " ".join(GUIDE.split()))[1]
    names = re.findall(r"`(BIANMIN_\w+)`", needed)
    complete = {"BIANMIN_ENV": "production", "BIANMIN_VAR_DIR": str(tmp_path), "BIANMIN_REDIS_URL": "redis://r:6379/0",
                "BIANMIN_SECRET_KEY": "s" * 48, "BIANMIN_PII_KEY": "a2V5" * 10 + "a2s=",
                "BIANMIN_WECHAT_APPID": "wx1234567890abcdef", "BIANMIN_WECHAT_SECRET": "w" * 32}
    assert config.load_settings(complete).env == "production" and names
    for name in names:
        with pytest.raises(config.ConfigError, match=name):
            config.load_settings({k: v for k, v in complete.items() if k != name})
