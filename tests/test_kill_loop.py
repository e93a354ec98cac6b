"""Nothing lost: `zwgk run` killed with SIGKILL again and again, at random points (issue 7).

tests/test_crawl_resume.py kills one crawl at a chosen moment (half-way through the articles)
and compares the whole store. Here the nightly command itself is killed 20 times in a row, each
time after a random 0.3–3 s — during start-up, the crawl, the audit or the report — and re-run
on the same store. After every kill the store must pass ``PRAGMA integrity_check``; the run after
the last kill must complete, and its articles and findings must be exactly those of an
uninterrupted run: no article twice, none lost, no finding more or less.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_zwgk

pytestmark = pytest.mark.e2e

KILLS = 20
AS_OF = "2026-11-20"


def _config(tmp: Path) -> Path:
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    data["site"]["download_delay"] = 0
    path = tmp / "columns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _args(server, cfg: Path, db: Path, out: Path) -> list[str]:
    return ["run", "--config", str(cfg), "--db", str(db), "--out", str(out),
            "--base-url", server.base_url, "--as-of", AS_OF]


def _integrity(db: Path) -> str:
    if not db.exists():
        return "ok"  # killed before the store was created
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _articles(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(
            "SELECT url, title, publish_date, written_date, doc_number, validity, http_status, "
            "error FROM articles"))


def _listed(db: Path) -> list[tuple]:
    """(item, url) of the newest finished run, with how often each is listed (must be once)."""
    with sqlite3.connect(db) as conn:
        (run_id,) = conn.execute("SELECT MAX(id) FROM runs WHERE status='finished'").fetchone()
        return sorted(conn.execute("SELECT item_id, url, COUNT(*) FROM listings WHERE run_id=? "
                                   "GROUP BY item_id, url", (run_id,)))


def _findings(out: Path) -> dict[str, object]:
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {i["id"]: (i["article_count"], i["status"],
                      sorted((f["rule"], f["key"]) for f in i["findings"])) for i in doc["items"]}


def test_twenty_sigkills_lose_and_duplicate_nothing(demo_server, tmp_path):
    cfg = _config(tmp_path)
    whole_db, whole_out = tmp_path / "whole.sqlite", tmp_path / "whole"
    proc = run_zwgk(*_args(demo_server, cfg, whole_db, whole_out))
    assert proc.returncode == 1, proc.stderr  # the demo carries fail findings
    expected = (_articles(whole_db), _listed(whole_db), _findings(whole_out))
    assert len(expected[0]) > 200

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    db, out = tmp_path / "killed.sqlite", tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    finished_early = 0
    for n in range(KILLS):
        victim = subprocess.Popen([sys.executable, "-m", "zwgk.cli",
                                   *_args(demo_server, cfg, db, out)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        try:
            time.sleep(rng.uniform(0.3, 3.0))
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
            else:
                finished_early += 1
        finally:
            victim.kill()
            _, err = victim.communicate()
        assert victim.returncode in (-signal.SIGKILL, 0, 1), (seed, n, err.decode()[-2000:])
        assert b"Traceback" not in err, (seed, n, err.decode()[-2000:])
        assert _integrity(db) == "ok", (seed, n)
    assert finished_early < KILLS // 2, "the runs ended before they could be killed"

    proc = run_zwgk(*_args(demo_server, cfg, db, out))
    assert proc.returncode == 1, (seed, proc.stderr[-2000:])
    assert _integrity(db) == "ok"
    articles, listed, findings = _articles(db), _listed(db), _findings(out)
    assert [row for row in listed if row[2] != 1] == []  # no entry listed twice
    assert articles == expected[0], seed
    assert listed == expected[1], seed
    assert findings == expected[2], seed
