"""The layering STYLE.md asks for, checked on the source: infrastructure (server/) knows no domain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOMAINS = ("geo", "appointments", "bulletin", "questions")


def imported_modules(source: Path) -> list[str]:
    """Every absolute module a file imports, at any depth (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.append(node.module)
    return found


def test_the_server_package_imports_no_domain():
    # Domains are reached through server/registry.py's "module:func" strings, never imported.
    found = [f"{source.relative_to(ROOT)}: {module}" for source in sorted((ROOT / "server").rglob("*.py"))
             for module in imported_modules(source) if module.split(".")[0] in DOMAINS]
    assert found == []
