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
