"""Throw-away PostgreSQL and Redis servers for the tests: real servers, in temporary folders, on
free loopback ports, stopped afterwards.

Why real servers: the store's SQL, its locks and migrations, Celery's redelivery and Redis restarts
are what the tests are about; a mock would test nothing. When a server cannot start (packages
missing, see .ci/run) the test fails with the reason: it is never skipped.

PostgreSQL refuses to run as root: as root the cluster belongs to the ``postgres`` system user
(Debian's package creates it) and its commands run through ``runuser``.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("ZWGK_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Postgres:
    """A PostgreSQL cluster of its own; ``database(name)`` gives a fresh database's URL."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("running as root and there is no 'postgres' user to run PostgreSQL "
                            "(apt-get install postgresql)", pytrace=False)
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        initdb = PG_BIN / "initdb"
        if not initdb.exists():
            pytest.fail(f"{initdb} not found: install Debian's postgresql (see .ci/run)",
                        pytrace=False)
        self._run([str(initdb), "-D", str(self.data), "-A", "trust", "-U", "zwgk", "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        self.start()

    def _run(self, cmd: list[str]) -> None:
        proc = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            pytest.fail(f"PostgreSQL: {' '.join(cmd)} failed: {proc.stderr or proc.stdout}",
                        pytrace=False)

    def start(self) -> None:
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c max_connections=200")
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                   str(self.dir / "log"), "-w", "-t", "60", "start"])

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                        "-w", "stop"], capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://zwgk@127.0.0.1:{self.port}/{database}"

    def database(self, name: str) -> str:
        """A new empty database: one per test, so tests share the server but not the data."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A redis-server of its own, persisting every write (append-only file), so a restart keeps
    the queued jobs as a production Redis with persistence does."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="zwgk-redis-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server not found: install Debian's redis-server (see .ci/run)",
                        pytrace=False)
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=open(self.dir / "log", "ab"), stderr=subprocess.STDOUT)
        if not _wait_port(self.port):
            pytest.fail(f"redis-server did not start: {(self.dir / 'log').read_text()[-2000:]}",
                        pytrace=False)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
