"""检查指标自查 end to end on the demo site: each new finding exactly where seeded, nowhere else,
and no full personal number in any output (findings.json, report.html, articles.csv,
report.xlsx, the SQLite store)."""
from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from zwgk.audit.rules.inspection import INSPECTION_RULES
from zwgk.demosite.inspection import FULL_NUMBERS, expected_inspection

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_run(demo_command):
    """`zwgk demo`: the demo site on its own loopback port, with the example word list (the
    session's one run, tests/conftest.py)."""
    proc, out, db = demo_command["proc"], demo_command["out"], demo_command["db"]
    assert proc.returncode == 0, proc.stderr
    base = re.search(r"demo site: (\S+)", proc.stdout).group(1)
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {"out": out, "db": db, "doc": doc, "base": base.rstrip("/")}


def _key(finding: dict, base: str) -> tuple:
    d = finding["details"]
    where = d.get("url") or d.get("column_url") or ""
    where = where[len(base):] if where.startswith(base) else where
    extra = d.get("kind") or d.get("href") or d.get("term") or ""
    return finding["item_id"], finding["rule"], "/" + where.lstrip("/"), extra


def test_each_finding_exactly_where_seeded(demo_run):
    base = demo_run["base"]
    expected = {_key(e, ""): e["details"] for e in expected_inspection()}
    got = {_key(f, base): f for f in demo_run["doc"]["inspection"]["findings"]}
    assert set(got) == set(expected)
    for key, want in expected.items():
        details = got[key]["details"]
        for name, value in want.items():
            got_value = details[name]
            if isinstance(got_value, str) and got_value.startswith(base):
                got_value = got_value[len(base):]
            assert got_value == value, (key, name, got_value, value)
    assert len(got) == len(demo_run["doc"]["inspection"]["findings"])  # nothing twice
    for f in demo_run["doc"]["inspection"]["findings"]:
        assert f["rule"] in INSPECTION_RULES or f["rule"] == "broken_link"
        assert f["source"] and f["rule_name"]


def test_veto_checks_with_verdicts(demo_run):
    checks = {c["rule"]: c for c in demo_run["doc"]["inspection"]["checks"]}
    assert checks["homepage_stale"]["verdict"] == "pass"       # the demo home page is fresh
    assert checks["site_unavailable"]["verdict"] == "unknown"  # no probes: no verdict, said so
    assert "少于20次" in checks["site_unavailable"]["reason"]
    for rule in ("privacy_leak", "hidden_link", "wording_error"):
        assert checks[rule]["verdict"] == "fail"
    html = (demo_run["out"] / "report.html").read_text(encoding="utf-8")
    assert "检查指标自查" in html and "站点无法访问" in html and "首页不更新" in html
    # the hidden link's markup is shown as text, never as a live element
    assert 'href="http://casino-bet.example.com/">彩票投注' not in html
    assert "&lt;a href=" in html


def test_no_full_number_in_any_output(demo_run):
    out: Path = demo_run["out"]
    blobs = {name: (out / name).read_bytes() for name in ("findings.json", "report.html",
                                                          "articles.csv")}
    with zipfile.ZipFile(out / "report.xlsx") as book:
        blobs.update({f"report.xlsx:{n}": book.read(n) for n in book.namelist()})
    con = sqlite3.connect(demo_run["db"])
    con.execute("PRAGMA wal_checkpoint(FULL)")
    dump = "\n".join(con.iterdump()).encode("utf-8")
    con.close()
    blobs["store dump"] = dump
    for path in out.glob("zwgk.sqlite*"):
        blobs[path.name] = path.read_bytes()
    assert b"330106********" in blobs["findings.json"]  # the masked sample is there
    for name, blob in blobs.items():
        for number in FULL_NUMBERS:
            assert number.encode() not in blob, f"{number} written to {name}"
