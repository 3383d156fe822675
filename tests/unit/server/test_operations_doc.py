"""docs/operations.md: linked from the README, and every setting it names is one server/config.py reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_readme_links_the_operations_guide():
    assert "(docs/operations.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_the_guide_names_exists_except_those_it_says_are_not_built():
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    read = set(re.findall(r'get\("(BIANMIN_[A-Z_]+)"\)', (ROOT / "server" / "config.py").read_text(encoding="utf-8")))
    named = set(re.findall(r"BIANMIN_[A-Z_]+[A-Z]", guide))
    missing = {name for name in named - read if not re.search(rf"`{name}`: \*\*not built", guide)}
    assert not missing, f"docs/operations.md names settings server/config.py does not read: {sorted(missing)}"
    for topic in ("nginx", "systemd", "BIANMIN_PII_KEY", "/readyz", "outbox", "rollback", "小程序备案",
                  "政务民生", "downloadFile", "隐私保护指引"):
        assert topic in guide
