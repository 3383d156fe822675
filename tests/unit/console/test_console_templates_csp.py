"""The console's strict Content-Security-Policy (no 'unsafe-inline') holds only if no page carries inline
code or style: every template and every piece of HTML written in console/*.py is checked here, and the
browser tests fail on any CSP violation a real page reports (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = ROOT / "console"
TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
INLINE = {
    "style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.IGNORECASE),
    "event handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code(text: str) -> list[str]:
    """What in an HTML text the policy would refuse: inline <script> or <style>, style=, on*=, javascript:."""
    found = [f"inline <{m.group(1).lower()}>" for m in TAG.finditer(text)
             if m.group(1).lower() == "style" or "src=" not in m.group(2).lower()]
    return found + [name for name, pattern in INLINE.items() if pattern.search(text)]


def sources() -> list[Path]:
    return sorted(CONSOLE.rglob("*.html")) + sorted(CONSOLE.glob("*.py"))


def test_no_console_template_or_page_module_has_inline_script_or_style():
    assert len(sources()) > 50
    found = {str(path.relative_to(ROOT)): problems for path in sources()
             if (problems := inline_code(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_check_finds_each_kind_of_inline_code():
    assert inline_code('<script src="/console/static/console.js" defer></script>') == []
    assert inline_code('<p class="ok">已保存</p>') == []
    assert inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert inline_code("<style>p {}</style>") == ["inline <style>"]
    assert inline_code('<div style="color: red">') == ["style attribute"]
    assert inline_code("<button onclick='go()'>") == ["event handler attribute"]
    assert inline_code('<a href="javascript:void(0)">') == ["javascript: URL"]
