"""The tree's layers, read from the code's own imports (not from a diagram that can drift):

- audit/ judges records: no HTTP, SQL, subprocess, browser, and none of crawler/, store/, report/
  or the application modules;
- crawler/ fetches and extracts: it knows nothing of the rules (audit/) or the report;
- report/ renders: it neither fetches (crawler/) nor queries (store/);
- grammar/ is shared by crawler and audit and imports neither.
Only the application (cli, usecases, sites, jobs, inspection, console …) wires them together.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "zwgk"
APPLICATION = ("zwgk.cli", "zwgk.usecases", "zwgk.sites", "zwgk.jobs", "zwgk.inspection",
               "zwgk.stored_results", "zwgk.nightly", "zwgk.catalog_import", "zwgk.console")
FORBIDDEN = {
    "audit": ("zwgk.crawler", "zwgk.store", "zwgk.report", "zwgk.demosite", *APPLICATION,
              "scrapy", "sqlalchemy", "sqlite3", "subprocess", "httpx", "socket", "requests",
              "urllib.request", "playwright", "scrapy_playwright", "celery", "redis"),
    "crawler": ("zwgk.audit", "zwgk.report", *APPLICATION),
    "report": ("zwgk.crawler", "zwgk.store", "sqlalchemy", "sqlite3", "scrapy", "httpx",
               *APPLICATION),
    "grammar": ("zwgk.crawler", "zwgk.audit", "zwgk.store", "zwgk.report", *APPLICATION),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (at any depth: a lazy import inside a function counts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _hits(module: str, banned: tuple[str, ...]) -> bool:
    return any(module == b or module.startswith(b + ".") for b in banned)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer):
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, layer
    bad = [f"{path.relative_to(ROOT)}:{line} imports {module}"
           for path in files for line, module in _imports(path)
           if _hits(module, FORBIDDEN[layer])]
    assert bad == []


def test_the_rule_catches_a_forbidden_import(tmp_path):
    """The check itself can fail: a file importing the store from audit/ is caught."""
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from zwgk.store import Store\n    import subprocess\n",
                   encoding="utf-8")
    modules = [m for _, m in _imports(bad)]
    assert _hits(modules[0], FORBIDDEN["audit"]) and "subprocess" in modules
