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


def cross_domain_imports(source: Path, home: str) -> list[str]:
    """Imports of another domain that do not go through its public ``service`` module."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            parts = node.module.split(".")
            targets = ([f"{node.module}.{alias.name}" for alias in node.names] if len(parts) == 1
                       else [node.module])
        else:
            continue
        found += [t for t in targets
                  if t.split(".")[0] in DOMAINS and t.split(".")[0] != home and t.split(".")[:2] != [t.split(".")[0], "service"]]
    return found


def test_domains_reach_each_other_only_through_their_service_module():
    found = [f"{source.relative_to(ROOT)}: {module}" for domain in DOMAINS if (ROOT / domain).is_dir()
             for source in sorted((ROOT / domain).rglob("*.py"))
             for module in cross_domain_imports(source, domain)]
    assert found == []


def test_no_domain_imports_modules_by_name_at_run_time():
    # importlib strings hide a dependency from readers and from the check above.
    found = [str(source.relative_to(ROOT)) for domain in DOMAINS if (ROOT / domain).is_dir()
             for source in sorted((ROOT / domain).rglob("*.py")) if "import_module(" in source.read_text("utf-8")]
    assert found == []
