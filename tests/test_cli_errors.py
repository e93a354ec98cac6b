"""Bad input gets a clear error and loses nothing already stored: a broken config, a site that
is down, a page of garbage."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, run_zwgk
from zwgk.demosite.site import DEMO_AS_OF

SMALL_CONFIG = """
site:
  name: 测试站
  base_url: "{base}"
  download_delay: 0
items:
  - id: "2.1"
    category: 政策文件
    name: 部门文件
    deadline: 20个工作日内发布
    units: [办公室]
    columns: [{{name: 部门文件, url: col/col1201/index.html}}]
  - id: "9.1"
    name: 乡村振兴
    deadline: 实时更新
    units: [村镇科]
    columns: [{{name: 乡村振兴, url: ztzl/xczx/index.html}}]
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _article_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, title, publish_date, written_date, doc_number "
                            "FROM articles ORDER BY url").fetchall()


@pytest.fixture(scope="module")
def crawled_once(tmp_path_factory, demo_server):
    """One real crawl of two demo columns for the module; each test gets its own copy (below)."""
    tmp = tmp_path_factory.mktemp("crawled")
    cfg = tmp / "small.yaml"
    cfg.write_text(SMALL_CONFIG.format(base=demo_server.base_url), encoding="utf-8")
    db = tmp / "store.sqlite"
    proc = run_zwgk("crawl", "--config", str(cfg), "--db", str(db), "--as-of", DEMO_AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    rows = _article_rows(db)
    assert len(rows) > 15
    return cfg, db, rows


@pytest.fixture()
def stored(tmp_path, crawled_once):
    """A store holding one real crawl of two demo columns, and its config: a byte copy of the
    module's crawl (the store and its -wal/-shm/lock files), since tests break the config and
    the store. Copying, not crawling again, saves a crawl per test."""
    src_cfg, src_db, rows = crawled_once
    cfg = tmp_path / src_cfg.name
    shutil.copyfile(src_cfg, cfg)
    for path in src_db.parent.glob(src_db.name + "*"):
        shutil.copyfile(path, tmp_path / path.name)
    db = tmp_path / src_db.name
    assert _article_rows(db) == rows
    return cfg, db, rows


@pytest.mark.parametrize("mutation, expect", [
    (lambda t: t.replace("    units: [村镇科]", "    units: [村镇科]\n    doc_serie: [临住建发]"),
     ["item 9.1", "'doc_serie'", "doc_series"]),  # issue 10: the bad key's line, did you mean
    (lambda t: t.replace('id: "9.1"', 'id: "2.1"'), ["item 2.1", "'id'", "duplicate"]),
    (lambda t: t.replace("url: ztzl/xczx/index.html", "url: 'http://exa mple/x'"), ["item 9.1", "columns[0].url"]),
    (lambda t: t.replace("    units: [村镇科]", "    units: [村镇科]\n    colour: red"), ["item 9.1", "'colour'"]),
    (lambda t: t.replace('  - id: "9.1"\n', "  - \n"), ["item #2", "'id'"]),
    (lambda t: t.replace("items:", "items: [oops"), ["invalid YAML"]),
])
def test_broken_config_names_file_item_key_and_touches_nothing(stored, mutation, expect):
    cfg, db, rows = stored
    before = _digest(db)
    cfg.write_text(mutation(cfg.read_text(encoding="utf-8")), encoding="utf-8")
    for command in ("validate", "run", "crawl", "audit"):
        args = [command, str(cfg)] if command == "validate" else [command, "--config", str(cfg),
                                                                  "--db", str(db)]
        proc = run_zwgk(*args)
        assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert str(cfg) in proc.stderr
        for text in expect:
            assert text in proc.stderr, (command, proc.stderr)
    assert _digest(db) == before


def test_shipped_config_validates():
    proc = run_zwgk("validate", str(ROOT / "mapping" / "columns.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert "26 items" in proc.stdout


def test_site_down_is_reported_and_loses_nothing(stored, tmp_path):
    cfg, db, rows = stored
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/"
    out = tmp_path / "out"
    proc = run_zwgk("run", "--config", str(cfg), "--db", str(db), "--base-url", dead,
                    "--as-of", DEMO_AS_OF.isoformat(), "--out", str(out))
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    for item in doc["items"]:
        rules = {f["rule"]: f for f in item["findings"]}
        assert "column_unreachable" in rules, item
        assert rules["column_unreachable"]["details"]["column_url"].startswith(dead)
        assert rules["column_unreachable"]["details"]["status"] is None
        assert "empty_column" not in rules  # a dead site is not an empty column
    assert _article_rows(db) == rows
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


GARBAGE = bytes(range(256)) * 40 + b"\x00\x00<html><body><div class='list'><ul><li cla"


class _GarbageHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(GARBAGE)))
        self.end_headers()
        self.wfile.write(GARBAGE)

    def log_message(self, *args):
        pass


def test_garbage_page_is_an_empty_column_not_a_crash(stored, tmp_path):
    cfg, db, rows = stored
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GarbageHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "out"
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(db), "--as-of",
                        DEMO_AS_OF.isoformat(), "--out", str(out),
                        "--base-url", f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    for item in doc["items"]:
        assert [f["rule"] for f in item["findings"] if f["rule"] == "empty_column"], item
    assert _article_rows(db) == rows
    assert (out / "report.html").exists()


def test_corrupt_store_is_refused_not_replaced(tmp_path, demo_server):
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"this is not sqlite" * 100)
    before = _digest(db)
    proc = run_zwgk("crawl", "--db", str(db), "--base-url", demo_server.base_url)
    assert proc.returncode == 2
    assert str(db) in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(db) == before


@pytest.mark.parametrize("keep", [0.5, 0.1, 100 / 1e9])
def test_truncated_store_is_refused_not_replaced(stored, keep):
    """A store cut short (disk full, a copy interrupted): exit 2 at start, the file untouched —
    a half, a tenth, or only the first 100 bytes of a real store."""
    cfg, db, _ = stored
    data = db.read_bytes()
    db.write_bytes(data[: max(100, int(len(data) * keep))])
    before = _digest(db)
    out = ["--out", str(db.parent / "out")]
    for command, extra in (("crawl", []), ("run", out)):
        proc = run_zwgk(command, "--config", str(cfg), "--db", str(db), "--as-of",
                        DEMO_AS_OF.isoformat(), *extra)
        assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
        assert str(db) in proc.stderr and "Traceback" not in proc.stderr
        assert _digest(db) == before
    assert not (db.parent / "out" / "findings.json").exists()
