"""Tests and benchmarks that start `bianmin serve` give it its own session: Sanic signals its whole
process group when a worker misses its start-up ack, which would otherwise kill pytest (and CI) too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def serve_lines_without_a_session(text: str) -> list[int]:
    """Lines of ``subprocess.Popen`` calls whose command names ``serve`` but not ``start_new_session=True``."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Popen"):
            continue
        words = [n.value for arg in node.args[:1] for n in ast.walk(arg) if isinstance(n, ast.Constant)]
        serves = any(isinstance(w, str) and (w == "serve" or w.endswith(".serve")) for w in words)
        own = any(k.arg == "start_new_session" and isinstance(k.value, ast.Constant) and k.value.value is True
                  for k in node.keywords)
        if serves and not own:
            found.append(node.lineno)
    return found


def test_every_served_subprocess_runs_in_its_own_session():
    found = [f"{source.relative_to(ROOT)}:{line}" for folder in ("tests", "bench")
             for source in sorted((ROOT / folder).rglob("*.py"))
             for line in serve_lines_without_a_session(source.read_text(encoding="utf-8"))]
    assert found == []


def test_the_check_tells_a_serve_in_pytests_group_from_one_in_its_own():
    bare = 'subprocess.Popen([sys.executable, "-m", "tests.browser.serve", "8000"], cwd=ROOT)\n'
    cli = 'subprocess.Popen([*CLI, "serve", "--port", "1"],\n    env=env, start_new_session=True)\n'
    other = 'subprocess.Popen(["redis-server", "--port", "1"])\n'
    assert [serve_lines_without_a_session(t) for t in (bare, cli, other)] == [[1], [], []]
