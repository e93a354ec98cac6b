"""One writer per store, or per site of a shared store: a lock any process can take.

Why here: whether a lock is a file or a server-side lock depends on where the store lives. A
SQLite store is locked with ``flock`` on a file beside it (``<db>.lock``, as every earlier zwgk
did, or ``<db>.<name>.lock`` for one site of it); a PostgreSQL store with a session advisory lock
held on a connection of its own, which the server releases when the holder dies — a SIGKILLed
worker never leaves a site locked.
"""
from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zwgk.store.store import StoreUnavailable, display_url, engine_url, is_url


class Locked(Exception):
    """Another process holds the lock; ``where`` names it for the operator."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


@contextmanager
def hold(db: str, name: str = "") -> Iterator[None]:
    """Hold the lock ``name`` ("" = the whole store) of the store ``db`` or raise Locked at once."""
    if is_url(db):
        with _advisory(db, name):
            yield
        return
    base = Path(db)
    suffix = f".{_file_name(name)}.lock" if name else ".lock"
    lock_path = base.with_name(base.name + suffix)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise Locked(f"lock {lock_path}") from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


@contextmanager
def _advisory(db: str, name: str) -> Iterator[None]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.pool import NullPool

    engine = create_engine(engine_url(db), poolclass=NullPool, connect_args={"connect_timeout": 10})
    key = f"zwgk:{name}"
    try:
        conn = engine.connect()
    except OperationalError as exc:
        engine.dispose()
        raise StoreUnavailable(f"{display_url(db)}: cannot connect to the store "
                               f"({str(exc.orig).strip().splitlines()[0]}); nothing was written") from None
    try:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        got = conn.execute(text("SELECT pg_try_advisory_lock(hashtextextended(:k, 0))"),
                           {"k": key}).scalar()
        if not got:
            raise Locked(f"advisory lock {key!r} on {display_url(db)}")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"), {"k": key})
    finally:
        conn.close()
        engine.dispose()
