"""Shared fixtures: the real-pages folder, the demo site on a loopback port, running the CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the checkout (CI lays it there); ZWGK_SHARED overrides."""
    path = Path(os.environ.get("ZWGK_SHARED") or ROOT.parent / "shared")
    if not (path / "realpages" / "manifest.tsv").exists():
        pytest.fail(f"shared folder not found at {path} (set ZWGK_SHARED): the real-page tests "
                    "cannot run without it", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def demo_server():
    from zwgk.demosite.server import start

    with start() as server:
        yield server


def run_zwgk(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess (Twisted's reactor cannot restart in one process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "zwgk.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL 15 cluster on a free loopback port (tests/servers.py)."""
    from servers import Postgres

    server = Postgres()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture()
def redis_server():
    """A real redis-server of its own per test (a test may restart it)."""
    from servers import Redis

    server = Redis()
    try:
        yield server
    finally:
        server.close()
