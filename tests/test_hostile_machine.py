"""Issue 17: what a hostile machine (symlinks, unwritable folders, a full disk, signals, stores
refused at start) can make zwgk do — and must not."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_zwgk
from faultserver import FaultServer, fault_config

from zwgk import nightly
from zwgk.cli import EXIT_CRASH, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_USAGE, CliError, run_lock


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


# --- the nightly run on a hostile machine ---------------------------------------------------------

def _config(tmp_path: Path, base_url: str, column: str = "plain", timeout: float = 2) -> Path:
    cfg = tmp_path / "site.yaml"
    cfg.write_text(fault_config(base_url, timeout=timeout, columns=[column]), encoding="utf-8")
    return cfg


def _notify_cmd(path: Path) -> str:
    return f'cat > "{path}"; echo "exit=$ZWGK_EXIT_CODE" >> "{path}"'


@pytest.fixture(scope="module")
def server():
    with FaultServer() as s:
        yield s


@pytest.mark.parametrize("where", ["out", "db"])
def test_unwritable_out_or_db_is_exit_2_before_crawling(tmp_path, server, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "2026-11-20" if where == "out" else tmp_path / "reports" / "2026-11-20"
    db = blocker / "z.sqlite" if where == "db" else tmp_path / "z.sqlite"
    before = server.state.hits["/plain/index.html"]
    proc = run_zwgk("run", "--config", str(_config(tmp_path, server.base_url)), "--db", str(db),
                    "--out", str(out), "--as-of", "2026-11-20", "--log", str(tmp_path / "z.log"),
                    "--notify", _notify_cmd(tmp_path / "notified.txt"))
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "Traceback" not in proc.stderr and f"--{where} folder" in proc.stderr
    assert server.state.hits["/plain/index.html"] == before  # nothing crawled
    assert (tmp_path / "notified.txt").read_text(encoding="utf-8").endswith(f"exit={EXIT_USAGE}\n")


def test_a_folder_in_place_of_a_report_file_is_refused_before_crawling(tmp_path, server):
    out = tmp_path / "reports" / "2026-11-20"
    (out / "report.html").mkdir(parents=True)
    proc = run_zwgk("run", "--config", str(_config(tmp_path, server.base_url)), "--db",
                    str(tmp_path / "z.sqlite"), "--out", str(out), "--as-of", "2026-11-20")
    assert proc.returncode == EXIT_USAGE and "not a file zwgk wrote" in proc.stderr
    assert (out / "report.html").is_dir()


# Fault injection at the file-system boundary (the test cannot fill the machine's disk): in the
# zwgk process, the third file written into a staging folder fails with ENOSPC.
DISK_FULL = """
import errno, pathlib
_calls = {"n": 0}
def _guard(original):
    def write(self, *args, **kwargs):
        if ".zwgk-staging-" in str(self):
            _calls["n"] += 1
            if _calls["n"] >= 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return original(self, *args, **kwargs)
    return write
pathlib.Path.write_text = _guard(pathlib.Path.write_text)
pathlib.Path.write_bytes = _guard(pathlib.Path.write_bytes)
"""


def test_disk_full_while_writing_is_a_crash_code_notified_and_leaves_last_nights_files(tmp_path, server):
    cfg = _config(tmp_path, server.base_url)
    out = tmp_path / "reports" / "2026-11-20"
    db = tmp_path / "z.sqlite"
    first = run_zwgk("run", "--config", str(cfg), "--db", str(db), "--out", str(out),
                     "--as-of", "2026-11-20")
    assert first.returncode in (0, 1), first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(DISK_FULL, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{inject}{os.pathsep}{ROOT}"}
    proc = subprocess.run([sys.executable, "-m", "zwgk.cli", "run", "--config", str(cfg), "--db",
                           str(db), "--out", str(out), "--as-of", "2026-11-20", "--log",
                           str(tmp_path / "z.log"), "--notify", _notify_cmd(tmp_path / "n.txt")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == EXIT_CRASH, (proc.returncode, proc.stderr[-2000:])
    assert "No space left on device" in proc.stderr
    notified = (tmp_path / "n.txt").read_text(encoding="utf-8")
    assert notified.endswith(f"exit={EXIT_CRASH}\n") and "未完成" in notified
    log = (tmp_path / "z.log").read_text(encoding="utf-8")
    assert "crashed" in log and f"finished (exit {EXIT_CRASH})" in log
    # All or nothing: last night's files untouched, no temp or staging file left anywhere.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in out.parent.iterdir()) in (["2026-11-20"], ["2026-11-20", "index.html"])


def test_publish_is_all_or_nothing_for_a_new_folder(tmp_path):
    from zwgk.report.outputs import publish

    with pytest.raises(UnicodeEncodeError):
        publish(tmp_path / "2026-11-20", {"a.csv": "ok", "b.json": "\ud800 cannot be encoded"})
    assert list(tmp_path.iterdir()) == []


def test_sigterm_is_logged_notified_and_exits_130(tmp_path, server):
    cfg = _config(tmp_path, server.base_url, column="slow", timeout=3)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "z.log"
    proc = subprocess.Popen([sys.executable, "-m", "zwgk.cli", "run", "--config", str(cfg), "--db",
                             str(tmp_path / "z.sqlite"), "--out", str(tmp_path / "r" / "2026-11-20"),
                             "--as-of", "2026-11-20", "--log", str(log),
                             "--notify", _notify_cmd(tmp_path / "n.txt")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while server.state.hits["/slow/index.html"] == 0 and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until the crawl is under way (the slow column holds it)
    assert server.state.hits["/slow/index.html"] > 0
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_INTERRUPTED, err[-2000:]
    notified = (tmp_path / "n.txt").read_text(encoding="utf-8")
    assert notified.endswith(f"exit={EXIT_INTERRUPTED}\n")
    text = log.read_text(encoding="utf-8")
    assert "interrupted" in text and f"finished (exit {EXIT_INTERRUPTED})" in text


def test_sigterm_outside_the_crawl_is_not_swallowed(tmp_path):
    """After the crawl, Scrapy's handler used to stay installed and ignore SIGTERM."""
    code = (
        "import os, signal, sys\n"
        "from zwgk import nightly\n"
        "with nightly.terminate_as_interrupt():\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        import time; time.sleep(5)\n"
        "    except KeyboardInterrupt as exc:\n"
        "        print('interrupted', exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "interrupted SIGTERM", proc.stderr


# --- --keep and the index ---------------------------------------------------------------------------

def _ours(folder: Path) -> Path:
    from zwgk.report.outputs import publish

    return publish(folder, {"findings.json": json.dumps({"as_of": folder.name, "items": []}),
                            "report.html": "<html></html>"})


def test_keep_prunes_only_what_zwgk_wrote(tmp_path):
    for day in ("2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-19", "2026-11-20"):
        _ours(tmp_path / day)
    (tmp_path / "2026-11-10" / "report.html").unlink()
    (tmp_path / "2026-11-10" / "report.html").mkdir()          # a folder named report.html
    (tmp_path / "2026-11-10" / "report.html" / "keep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "2026-11-11" / ".backup.tmp").mkdir()          # someone's backup folder
    (tmp_path / "2026-11-05").mkdir()                          # a hand-made empty dated folder
    elsewhere = tmp_path.parent / f"{tmp_path.name}-target"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("x", encoding="utf-8")
    (tmp_path / "2026-11-01").symlink_to(elsewhere)            # a symlinked dated folder
    removed = nightly.prune(tmp_path, keep=2, protect=tmp_path / "2026-11-20")
    assert sorted(p.name for p in removed) == ["2026-11-12", "2026-11-13"]
    assert (tmp_path / "2026-11-10" / "report.html" / "keep.txt").exists()
    assert (tmp_path / "2026-11-11" / ".backup.tmp").is_dir()
    assert (tmp_path / "2026-11-05").is_dir()
    assert (elsewhere / "precious.txt").exists() and (tmp_path / "2026-11-01").is_symlink()


def test_index_never_overwrites_an_index_zwgk_did_not_write(tmp_path):
    _ours(tmp_path / "2026-11-20")
    (tmp_path / "index.html").write_text("<html>the bureau's own page</html>", encoding="utf-8")
    assert nightly.write_index(tmp_path) is None
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<html>the bureau's own page</html>"
    (tmp_path / "index.html").unlink()
    assert nightly.write_index(tmp_path) is not None
    assert nightly.write_index(tmp_path) is not None  # ours: replaced night after night
