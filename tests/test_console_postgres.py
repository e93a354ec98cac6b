"""The console on PostgreSQL, as a cluster runs it (issue 14): `zwgk run --sites` writes a night
into a real PostgreSQL store, `zwgk serve --db postgresql://…` shows it, and a spot-check queued
through the API is recorded in the same database. tests/test_console.py covers the console's
behaviour in depth on SQLite; this covers what differs: every query of the overview, the night
and the check records on the other backend."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import psycopg
import yaml

from conftest import ROOT, run_zwgk
from console_env import serving
from zwgk.demosite.site import DEMO_AS_OF

AS_OF = DEMO_AS_OF.isoformat()


def test_console_reads_and_writes_a_postgresql_store(demo_server, postgres, tmp_path):
    db = postgres.database("console_pg")
    sites = tmp_path / "sites"
    sites.mkdir()
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    data["site"]["base_url"], data["site"]["download_delay"] = demo_server.base_url, 0
    (sites / "linjiang.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_zwgk("run", "--sites", str(sites), "--db", db, "--out", str(out), "--as-of", AS_OF)
    assert proc.returncode == 1, proc.stderr[-3000:]  # the demo's seeded defects
    findings = json.loads((out / "linjiang" / "findings.json").read_text(encoding="utf-8"))
    fails = sum(1 for i in findings["items"] for f in i["findings"] if f["severity"] == "fail")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "zwgk.cli", "user", "add", "ada", "--role", "admin",
                        "--password-stdin", "--db", db], input="admin-pass-1\n", text=True,
                       capture_output=True, env=env)
    assert p.returncode == 0, p.stderr
    token = run_zwgk("user", "token", "ada", "--db", db).stdout.strip()
    with serving(tmp_path, "--db", db, "--sites", str(sites)) as base:
        with httpx.Client(base_url=base, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as c:
            (site,) = c.get("/api/sites").json()["sites"]
            assert site["slug"] == "linjiang" and site["latest"]["as_of"] == AS_OF
            assert site["latest"]["fails"] == fails > 0       # the night as findings.json has it
            assert site["veto"] is not None
            assert c.get(f"/sites/linjiang/nights/{site['latest']['id']}").status_code == 200
            assert c.get("/sites/linjiang/items/5.1").status_code == 200
            r = c.post("/api/checks", json={"site": "linjiang", "item": "5.1"})
            assert r.status_code == 202, r.text
            check_id = r.json()["id"]
            end = time.monotonic() + 120
            while (body := c.get(f"/api/checks/{check_id}").json())["status"] not in ("done",
                                                                                     "failed"):
                assert time.monotonic() < end, body
                time.sleep(0.3)
        assert body["status"] == "done", body
        expected = next(i for i in findings["items"] if i["id"] == "5.1")
        assert body["result_status"] == expected["status"]
        assert sorted(f["rule"] for f in body["findings"]) == \
            sorted(f["rule"] for f in expected["findings"])
    with psycopg.connect(db) as conn:  # the check and its user live in PostgreSQL
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='public'")}
        check_tables = [t for t in tables if "check" in t]
        assert check_tables, tables
        assert any(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] >= 1
                   for t in check_tables)
