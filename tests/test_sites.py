"""``zwgk run --sites DIR`` with local worker processes: three demo variants, each its own site
on its own port, into one SQLite store; every site's outputs and the overview (issue 13)."""
from __future__ import annotations

import json
import sqlite3

from conftest import run_zwgk
from sitecfg import write_site
from zwgk.demosite.server import start
from zwgk.demosite.site import DEMO_AS_OF
from zwgk.demosite.truth import expected_findings
from zwgk.demosite.variants import named_model

REPORT_FILES = ("report.html", "findings.json", "articles.csv", "report.xlsx")


def _old_batch(folder):
    """An earlier night's batch folder as zwgk leaves it: a site's files, the overview."""
    from zwgk.report.outputs import publish

    publish(folder / "declared", {name: "x" for name in REPORT_FILES})
    return publish(folder, {"overview.json": "{}", "overview.html": "x"}, folders=["declared"])


def test_three_sites_two_workers_overview_and_outputs(tmp_path):
    sites, db = tmp_path / "sites", tmp_path / "z.sqlite"
    out = tmp_path / "out" / DEMO_AS_OF.isoformat()
    older = _old_batch(tmp_path / "out" / "2026-11-01")
    with start() as declared, start(variant="fixed") as fixed, start(articles=340) as sized:
        write_site(sites, "declared", declared.base_url)
        write_site(sites, "fixed", fixed.base_url)
        write_site(sites, "sized", sized.base_url)
        (sites / "broken.yaml").write_text("site: {name: x}\nitems: 3\n", encoding="utf-8")
        log, told = tmp_path / "night.log", tmp_path / "notify.txt"
        proc = run_zwgk("run", "--sites", str(sites), "--workers", "2", "--db", str(db),
                        "--out", str(out), "--as-of", DEMO_AS_OF.isoformat(),
                        "--log", str(log), "--notify", f"cat > '{told}'", "--keep", "1",
                        timeout=600)
    # Worst of the sites: the broken config is a usage error (2), above the findings (1).
    assert proc.returncode == 2, proc.stderr[-3000:]
    # Unattended: the log and the notification hook, with every site's line, the failed one first.
    summary = told.read_text(encoding="utf-8").splitlines()
    assert summary[0].endswith("4 个网站") and "未能完成 1 个" in summary[1]
    assert summary[2].startswith("- ") and "broken.yaml" in summary[2]
    assert sum(1 for line in summary if line.startswith("- ")) == 4 and summary[-1] == "退出码：2"
    assert "zwgk run finished (exit 2)" in log.read_text(encoding="utf-8")
    assert not older.exists()  # --keep 1: last batch pruned whole, tonight's kept
    doc = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == DEMO_AS_OF.isoformat()
    by_slug = {s["slug"]: s for s in doc["sites"]}
    assert sorted(by_slug) == ["broken", "declared", "fixed", "sized"]
    broken = by_slug["broken"]
    assert broken["status"] == "failed" and broken["exit_code"] == 2
    assert "broken.yaml" in broken["error"] and not (out / "broken").exists()
    for slug in ("declared", "fixed", "sized"):
        site = by_slug[slug]
        for key in ("slug", "name", "base_url", "status", "exit_code", "fails", "warns", "veto",
                    "articles", "requests", "error"):
            assert key in site
        assert site["status"] == "done" and site["exit_code"] == 1 and not site["error"]
        for name in REPORT_FILES:
            assert (out / slug / name).stat().st_size > 0, (slug, name)
        findings = json.loads((out / slug / "findings.json").read_text(encoding="utf-8"))
        fails = sum(1 for r in findings["items"] for f in r["findings"] if f["severity"] == "fail")
        assert site["fails"] == fails > 0
        assert site["units"] and site["report"] == f"{slug}/report.html"
    # The variant a bureau repaired: its seeded defects are what its ground truth says.
    truth = expected_findings(named_model("fixed"))
    got = {(r["id"], f["rule"]) for r in json.loads(
        (out / "fixed" / "findings.json").read_text(encoding="utf-8"))["items"] for f in r["findings"]}
    assert {(t["item_id"], t["rule"]) for t in truth} <= got
    assert by_slug["sized"]["articles"] > by_slug["declared"]["articles"]
    # Each site's runs are its own in the shared store.
    with sqlite3.connect(db) as conn:
        keys = sorted(r[0] for r in conn.execute("SELECT site_key FROM runs"))
    assert keys == ["declared", "fixed", "sized"]
    html = (out / "overview.html").read_text(encoding="utf-8")
    for slug in ("declared", "fixed", "sized"):
        assert f'href="{slug}/report.html"' in html
    assert "<script" not in html and "共 4 个网站：3 个完成检查，1 个未能完成" in html


def test_hostile_names_are_escaped_in_the_overview(tmp_path):
    from zwgk.report.overview import render_overview

    evil = '<img src=x onerror=alert(1)>'
    html = render_overview({"as_of": "2026-11-20", "sites": [
        {"slug": "a", "name": evil, "base_url": "http://x/", "status": "failed", "exit_code": 3,
         "fails": 0, "warns": 0, "veto": False, "articles": 0, "requests": 0, "error": evil,
         "units": [{"unit": evil, "score": 1.0, "veto": False, "trend": []}], "trend": []}]})
    assert evil not in html and "&lt;img" in html


def test_sites_folder_errors_are_usage_errors(tmp_path):
    proc = run_zwgk("run", "--sites", str(tmp_path / "missing"), "--db", str(tmp_path / "z.sqlite"))
    assert proc.returncode == 2 and "not a folder" in proc.stderr
    (tmp_path / "empty").mkdir()
    proc = run_zwgk("run", "--sites", str(tmp_path / "empty"), "--db", str(tmp_path / "z.sqlite"))
    assert proc.returncode == 2 and "no *.yaml" in proc.stderr
    assert not (tmp_path / "z.sqlite").exists()


def test_overview_trend_and_worst_first():
    from zwgk.report.overview import render_overview

    def site(slug, status, fails, veto=False):
        return {"slug": slug, "name": slug, "base_url": "http://x/", "status": status,
                "exit_code": 1, "fails": fails, "warns": 0, "veto": veto, "articles": 1,
                "requests": 1, "error": "", "units": [], "trend": [
                    {"run": 1, "as_of": "2026-11-19", "fails": 1, "warns": 0},
                    {"run": 2, "as_of": "2026-11-20", "fails": fails, "warns": 0}]}
    html = render_overview({"as_of": "2026-11-20", "sites": [
        site("clean", "done", 0), site("bad", "done", 9), site("vetoed", "done", 2, veto=True),
        site("down", "failed", 0)]})
    order = [html.index(f">{slug}<") for slug in ("down", "vetoed", "bad", "clean")]
    assert order == sorted(order)
    assert html.count("<polyline") == 4 and "2026-11-19：1" in html
