"""Shared fixtures: the real-pages folder, the demo site on a loopback port, running the CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SHARED_NEEDS = ("seed/catalog.txt", "realpages/manifest.tsv")


def shared_problem() -> str | None:
    """Why the shared folder cannot serve the tests, or None when it can."""
    path = Path(os.environ.get("ZWGK_SHARED") or ROOT.parent / "shared")
    missing = [need for need in SHARED_NEEDS if not (path / need).is_file()]
    if not missing:
        return None
    return (f"shared folder not usable at {path}: missing {', '.join(missing)}. The tests need "
            "../shared beside the checkout holding seed/ (the 责任分工 catalog) and realpages/ "
            "(real government pages with their gold data), or ZWGK_SHARED=/path/to/shared")


def shared_dir() -> Path:
    """../shared beside the checkout (CI lays it there); ZWGK_SHARED overrides."""
    problem = shared_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    return Path(os.environ.get("ZWGK_SHARED") or ROOT.parent / "shared")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, before minutes of crawling, when the shared data is missing: a run
    without it used to fail 17 tests after four minutes."""
    problem = shared_problem()
    if problem:
        pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


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
