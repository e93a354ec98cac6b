"""Issue 17: what a hostile machine (symlinks, unwritable folders, a full disk, signals, stores
refused at start) can make zwgk do — and must not."""
from __future__ import annotations

import sqlite3

import pytest

from zwgk.cli import EXIT_LOCKED, CliError, run_lock


def test_symlinked_db_shares_the_lock_of_the_real_file(tmp_path):
    real = tmp_path / "data" / "zwgk.sqlite"
    real.parent.mkdir()
    real.touch()
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "alias.sqlite"
    link.symlink_to(real)
    with run_lock(str(real)):
        with pytest.raises(CliError) as exc:
            with run_lock(str(link)):
                pass
    assert exc.value.code == EXIT_LOCKED
    assert not (tmp_path / "elsewhere" / "alias.sqlite.lock").exists()


def test_store_refused_at_start_keeps_its_journal_mode_and_bytes(tmp_path):
    """A file claiming an old zwgk schema whose migration fails is refused untouched: not
    switched to WAL (which a following plain-SQLite reader would notice), bytes unchanged."""
    from zwgk.crawler.store import Store, StoreError

    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    before = db.read_bytes()
    with pytest.raises(StoreError, match="left untouched"):
        Store(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]
