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
def demo_command(tmp_path_factory) -> dict:
    """One `zwgk demo` (the README's first command: serves the demo on its own loopback port,
    crawls, audits, reports) for every test that only reads what it wrote: its exit, its output
    and its folder (the store ``zwgk.sqlite`` beside report.html, findings.json, ...). A full demo
    run costs ~10 s; tests/test_e2e_demo.py and tests/test_inspection_demo.py share this one.
    Its readers only read (a WAL checkpoint aside)."""
    out = tmp_path_factory.mktemp("demo_command")
    db = out / "zwgk.sqlite"
    proc = run_zwgk("demo", "--db", str(db), "--out", str(out))
    return {"proc": proc, "out": out, "db": db}


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


# --- running in parallel (pytest-xdist, `-n 2` in pyproject's addopts) ----------------------------
#
# Whole files go to one worker (their module fixtures, e.g. one demo crawl read by a dozen tests,
# run once), files that share an expensive session fixture go to the same worker (so it is built
# once, not once per worker), and the slowest files are handed out first so that neither worker is
# left with a long file at the end while the other idles. The order only affects speed; every
# test runs, and runs the same, with or without xdist.

SAME_WORKER = {  # file -> the file whose worker also runs it (they share a session fixture)
    "test_console_browser": "test_console",    # console (a demo crawl, users, a serve process)
    "test_inspection_demo": "test_e2e_demo",   # demo_command (the one `zwgk demo` run)
}
SLOWEST_FIRST = (  # by --durations of the whole suite (README, under "run the tests")
    "test_cluster", "test_kill_loop", "test_newcomer", "test_e2e_demo", "test_console",
    "test_sites", "test_cli_errors", "test_crawl_politeness", "test_attachments",
    "test_crawl_resume", "test_render", "test_faults", "test_hostile_machine", "test_probe_homepage",
    "test_stored_results", "test_crawl_incremental", "test_check", "test_browser",
)


def _module(nodeid: str) -> str:
    """``tests/test_x.py::test_y[z]`` -> ``test_x``."""
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slowest files first (a stable sort: the order inside a file never changes)."""
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}

    def key(item: pytest.Item) -> int:
        module = _module(item.nodeid)
        return rank.get(SAME_WORKER.get(module, module), len(rank))

    items.sort(key=key)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    from xdist.scheduler import LoadFileScheduling

    class FileGroups(LoadFileScheduling):
        """--dist loadfile, with SAME_WORKER's files in one unit, in collection order."""

        def __init__(self, config: pytest.Config, log=None) -> None:
            super().__init__(config, log)
            config.option.loadscopereorder = False  # keep SLOWEST_FIRST, not "most tests first"

        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            module = _module(path)
            if module in SAME_WORKER:  # the partner file's path: one unit of work
                return path[: -len(module + ".py")] + SAME_WORKER[module] + ".py"
            return path

    return FileGroups(config, log)


# The console (a demo crawl, its users, a `zwgk serve` process) is one session fixture for every
# file that uses it. Imported here, not in each test file: a fixture imported into a test module is
# a fixture of that module, and was built once per importing module (twice a session).
from console_env import console  # noqa: E402,F401 - fixture
