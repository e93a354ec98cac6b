"""End to end: `zwgk run` crawls the served demo site, audits it and writes the outputs.

The demo site's ground truth (demosite.truth) lists every seeded defect with its details; each
must be reported exactly, and no clean item may get a fail.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import run_zwgk
from test_browser import driver  # noqa: F401 - the headless Chromium fixture
from zwgk.demosite import truth
from zwgk.demosite.site import DEMO_AS_OF

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_run(demo_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    db = out / "zwgk.sqlite"
    proc = run_zwgk("run", "--base-url", demo_server.base_url, "--download-delay", "0",
                    "--as-of", DEMO_AS_OF.isoformat(), "--db", str(db), "--out", str(out))
    assert proc.returncode == 1, f"expected exit 1 (fail findings)\n{proc.stdout}\n{proc.stderr}"
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {"out": out, "db": db, "findings": findings, "base": demo_server.base_url,
            "stdout": proc.stdout}


def _relative(value, base: str):
    if isinstance(value, str) and value.startswith(base):
        return "/" + value[len(base):]
    return value


def _matches(expected: dict, actual: dict, base: str) -> bool:
    for key, want in expected.items():
        got = _relative(actual.get(key), base)
        if isinstance(want, str) and key.endswith(("url", "found_on")) and not want.startswith("/"):
            want = "/" + want
        if got != want:
            return False
    return True


def test_every_seeded_defect_is_reported(demo_run):
    items = {i["id"]: i for i in demo_run["findings"]["items"]}
    missing = []
    for exp in truth.expected_findings():
        found = [f for f in items[exp["item_id"]]["findings"] if f["rule"] == exp["rule"]]
        if not any(_matches(exp["details"], f["details"], demo_run["base"]) for f in found):
            missing.append((exp, [f["details"] for f in found]))
    assert not missing, "seeded defects not reported as expected:\n" + "\n".join(map(str, missing))


def test_clean_items_get_no_fail(demo_run):
    items = {i["id"]: i for i in demo_run["findings"]["items"]}
    for item_id in truth.clean_items():
        fails = [f for f in items[item_id]["findings"] if f["severity"] == "fail"]
        assert not fails, f"clean item {item_id} got fails: {fails}"


def test_no_unexpected_fails(demo_run):
    """Every fail must be one the ground truth seeded: no false alarms on the demo."""
    expected = {(e["item_id"], e["rule"]) for e in truth.expected_findings()}
    for item in demo_run["findings"]["items"]:
        for f in item["findings"]:
            if f["severity"] == "fail":
                assert (item["id"], f["rule"]) in expected, (item["id"], f)


def test_findings_json_contract(demo_run):
    doc = demo_run["findings"]
    assert doc["as_of"] == DEMO_AS_OF.isoformat()
    assert set(doc["run"]) >= {"requests", "pages", "articles", "errors"}
    assert doc["run"]["requests"] > 26 and doc["run"]["articles"] > 100
    assert len(doc["items"]) == 26
    for item in doc["items"]:
        assert set(item) >= {"id", "name", "units", "status", "latest_publish_date",
                             "article_count", "findings"}
        assert item["status"] in {"pass", "warn", "fail", "unknown"}
        for f in item["findings"]:
            assert set(f) == {"rule", "severity", "message", "evidence", "details", "source",
                              "key", "state", "first_seen"}
            assert f["severity"] in {"fail", "warn", "info"}
            assert f["message"] and isinstance(f["evidence"], list) and f["source"]
            assert f["state"] == "new" and f["first_seen"] == DEMO_AS_OF.isoformat()
    assert doc["resolved"] == [] and doc["history"]["previous_run"] is None
    assert doc["veto"]["would_fail"] is False and len(doc["veto"]["checks"]) == 3
    units = {u["unit"]: u for u in doc["units"]}
    assert set(units) >= {"办公室", "村镇科", "住房保障科"}
    assert units["相关职能科室"]["veto"]  # 12.1's future-dated article (伪造发稿日期 risk)
    assert all(0 <= u["score"] <= 100 and len(u["trend"]) == 1 for u in units.values())


def test_articles_csv_matches_the_site(demo_run):
    with open(demo_run["out"] / "articles.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) >= {"url", "item_id", "title", "publish_date", "written_date", "doc_number",
                            "date_source"}
    by_url = {(_relative(r["url"], demo_run["base"]), r["item_id"]): r for r in rows}
    wrong = []
    expected = truth.expected_articles()
    for art in expected:
        row = by_url.get((art["url"], art["item_id"]))
        if row is None:
            wrong.append(("missing", art["url"]))
            continue
        for key in ("title", "publish_date", "written_date", "doc_number"):
            if (row[key] or None) != (art.get(key) or None):
                wrong.append((art["url"], key, row[key], art.get(key)))
    assert not wrong, f"{len(wrong)} of {len(expected)} articles differ: {wrong[:10]}"


def test_report_is_self_contained_and_escapes_crawled_text(demo_run):
    html = (demo_run["out"] / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Exactly one script element, ours, inline and allowed by its hash; the hostile title is text.
    assert html.lower().count("<script") == 1 and "<script>(function () {" in html
    assert "script-src 'sha256-" in html and "unsafe-inline" not in html
    assert "&lt;script&gt;alert(" in html
    assert 'onmouseover="alert' not in html
    assert re.findall(r"<link\b[^>]*>", html) == ['<link rel="icon" href="data:,">']
    for tag in ("<img", "<iframe", "<object", "<embed", "@import", " src=", "style=\""):
        assert tag not in html
    for unit in ("办公室", "住房保障科", "村镇科"):
        assert unit in html
    assert "report:" in demo_run["stdout"]
    assert {p.name for p in demo_run["out"].iterdir()} >= {"report.html", "findings.json",
                                                           "articles.csv", "report.xlsx"}


def test_demo_report_in_a_real_browser(demo_run, driver):
    """The demo's hostile title (item 15.1), crawled and rendered, is inert text in Chromium; the
    page makes no request and logs no error (tests/test_browser.py has the rest)."""
    from selenium.webdriver.common.action_chains import ActionChains

    from test_browser import assert_inert, console_errors, load, requests_made

    report = demo_run["out"] / "report.html"
    load(driver, report)
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    item = driver.find_element("id", "item-15.1")
    item.find_element("css selector", "details.articles > summary").click()
    link = item.find_element("xpath", ".//table//a[contains(., 'onmouseover')]")
    assert link.text.startswith('<script>alert("x")</script>')
    ActionChains(driver).move_to_element(link).perform()
    assert_inert(driver)
    assert console_errors(driver) == []
    urls = requests_made(driver)
    assert all(u == report.as_uri() or u.startswith("data:") for u in urls), urls


def test_audit_and_report_steps_reproduce_the_run(demo_run, tmp_path):
    """`zwgk audit` and `zwgk report` over the stored crawl give the run's findings again."""
    db = str(demo_run["db"])
    proc = run_zwgk("audit", "--db", db, "--out", str(tmp_path / "a"))
    assert proc.returncode == 1, proc.stderr
    proc = run_zwgk("report", "--db", db, "--out", str(tmp_path / "r"))
    assert proc.returncode == 1, proc.stderr
    for sub in ("a", "r"):
        doc = json.loads((tmp_path / sub / "findings.json").read_text(encoding="utf-8"))
        assert doc["items"] == demo_run["findings"]["items"]
    assert (tmp_path / "r" / "report.html").exists() and (tmp_path / "r" / "articles.csv").exists()


def test_spot_check_one_item(demo_server, tmp_path):
    proc = run_zwgk("check", "2.1", "--base-url", demo_server.base_url, "--download-delay", "0",
                    "--as-of", DEMO_AS_OF.isoformat(), "--html", str(tmp_path / "c.html"))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "2.1 部门文件" in out and "不合格" in out
    for text in ("文号疑似缺号", "文号重复", "文号格式不规范", "发布超时", "临住建发[2026]8号"):
        assert text in out, text
    assert "item-2.1" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_spot_check_leaves_the_nightly_store_alone(demo_server, demo_run):
    db = demo_run["db"]
    before = db.stat().st_mtime_ns, db.stat().st_size
    proc = run_zwgk("check", "1.2", "--base-url", demo_server.base_url, "--download-delay", "0",
                    "--as-of", DEMO_AS_OF.isoformat())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "未发现问题" in proc.stdout
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before


def test_demo_command(demo_command):
    """The README's first command: serve the demo, run everything, say where the report is (the
    session's one `zwgk demo` run, tests/conftest.py)."""
    proc, out = demo_command["proc"], demo_command["out"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"report: {(out / 'report.html').resolve()}" in proc.stdout
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == DEMO_AS_OF.isoformat()
    assert sum(len(i["findings"]) for i in doc["items"]) >= len(truth.expected_findings())


def _copy_store(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)


def test_history_across_two_nights(demo_run, tmp_path):
    """The next night the bureau has repaired one defect and made a new one (demosite.variants
    "fixed"): the report says which findings are new, which persist since when, which are gone."""
    from zwgk.demosite.server import start
    from zwgk.demosite.variants import FIXED, named_model

    db = tmp_path / "history.sqlite"
    _copy_store(demo_run["db"], db)
    night2 = DEMO_AS_OF + timedelta(days=1)
    out = tmp_path / "night2"
    with start(variant=FIXED) as server:  # another port: history must not depend on the host
        proc = run_zwgk("run", "--base-url", server.base_url, "--download-delay", "0",
                        "--as-of", night2.isoformat(), "--db", str(db), "--out", str(out))
        base = server.base_url
    assert proc.returncode == 1, proc.stdout + proc.stderr
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))

    before = {(f["item_id"], f["rule"], repr(f["details"])) for f in truth.expected_findings()}
    after = truth.expected_findings(named_model(FIXED))
    new_truth = [f for f in after if (f["item_id"], f["rule"], repr(f["details"])) not in before]
    gone_truth = [f for f in truth.expected_findings()
                  if f not in after]
    assert [(f["item_id"], f["rule"]) for f in new_truth] == [("6.1", "broken_link")]
    assert [(f["item_id"], f["rule"]) for f in gone_truth] == [("10.1", "stale")]

    items = {i["id"]: i for i in doc["items"]}
    states: dict[str, list] = {"new": [], "persisting": []}
    for item in doc["items"]:
        for f in item["findings"]:
            states[f["state"]].append((item["id"], f))
    (new_id, new_f), = states["new"]
    assert new_id == "6.1" and new_f["rule"] == "broken_link"
    assert _matches(new_truth[0]["details"], new_f["details"], base)
    assert new_f["first_seen"] == night2.isoformat()
    # Everything else was already reported on night 1 and keeps its first_seen and its key.
    night1 = {f["key"]: f for i in demo_run["findings"]["items"] for f in i["findings"]}
    for item_id, f in states["persisting"]:
        assert f["first_seen"] == DEMO_AS_OF.isoformat(), (item_id, f["rule"])
        assert f["key"] in night1 and night1[f["key"]]["rule"] == f["rule"]
    assert len(states["persisting"]) == len(night1) - 1
    (gone,) = doc["resolved"]
    assert (gone["item_id"], gone["rule"]) == ("10.1", "stale")
    assert gone["first_seen"] == gone["last_seen"] == DEMO_AS_OF.isoformat()
    assert doc["history"]["new"] == 1 and doc["history"]["resolved"] == 1
    assert items["10.1"]["status"] == "pass" and items["6.1"]["status"] == "warn"
    # Nightly trends per 责任单位: 村镇科 gained the stale points back, 督查科 lost some.
    units = {u["unit"]: u for u in doc["units"]}
    trend = {u: [p["score"] for p in units[u]["trend"]] for u in ("村镇科", "督查科")}
    assert trend["村镇科"][0] < trend["村镇科"][1] and trend["督查科"][0] > trend["督查科"][1]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "已整改" in html and "新增" in html


# --- issue 10: a second catalog, worded as another bureau words it ------------------------------

def _defects(findings: dict, base: str) -> set[tuple[str, str, str]]:
    """(item, rule, what) of every finding, with URLs made relative: what a defect is, whatever
    the catalog calls the item or how its 公开时限 is worded."""
    out = set()
    for item in findings["items"]:
        for f in item["findings"]:
            details = {k: _relative(v, base) for k, v in sorted(f["details"].items())}
            out.add((item["id"], f["rule"], json.dumps(details, ensure_ascii=False, sort_keys=True)))
    return out


def test_second_catalog_finds_the_same_defects(demo_run, demo_server, tmp_path):
    """mapping/second_catalog.yaml renames every category and item and rewords every 公开时限
    ("形成或变更之日起20个工作日内", "随时更新", "每年1月31日前", "会议结束后3日内公开", …): the grammar
    and the kind inference must derive the same duties, so the demo's findings must not change."""
    second = Path(__file__).resolve().parents[1] / "mapping" / "second_catalog.yaml"
    proc = run_zwgk("run", "--config", str(second), "--base-url", demo_server.base_url,
                    "--download-delay", "0", "--as-of", DEMO_AS_OF.isoformat(),
                    "--db", str(tmp_path / "zwgk.sqlite"), "--out", str(tmp_path))
    assert proc.returncode == 1, f"{proc.stdout}\n{proc.stderr}"
    findings = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    got = _defects(findings, demo_server.base_url)
    want = _defects(demo_run["findings"], demo_run["base"])
    assert not any(rule == "deadline_unparsed" for _, rule, _ in got)
    assert got == want, (f"lost: {sorted(want - got)[:5]}\nnew: {sorted(got - want)[:5]}")


def test_second_catalog_on_real_world_documents_accuses_no_one(demo_run, tmp_path):
    """The second catalog on the demo variant "realworld" (demosite.variants): a joint 文号, a
    forwarded 1996 document republished this year, a 公告 number, a document cross-posted under a
    second URL. None is a defect, so every
    finding is one the declared site already has (same history key), and nothing new appears."""
    from zwgk.demosite.server import start
    from zwgk.demosite.variants import REALWORLD

    second = Path(__file__).resolve().parents[1] / "mapping" / "second_catalog.yaml"
    with start(variant=REALWORLD) as server:
        proc = run_zwgk("run", "--config", str(second), "--base-url", server.base_url,
                        "--download-delay", "0", "--as-of", DEMO_AS_OF.isoformat(),
                        "--db", str(tmp_path / "zwgk.sqlite"), "--out", str(tmp_path))
    assert proc.returncode == 1, f"{proc.stdout}\n{proc.stderr}"
    findings = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    keys = {(i["id"], f["rule"], f["key"]) for i in findings["items"] for f in i["findings"]}
    want = {(i["id"], f["rule"], f["key"]) for i in demo_run["findings"]["items"]
            for f in i["findings"]}
    assert keys == want, f"new: {sorted(keys - want)}\nlost: {sorted(want - keys)}"
    (gap,) = [f for i in findings["items"] if i["id"] == "2.1" for f in i["findings"]
              if f["rule"] == "docno_gap" and f["details"]["series_prefix"] == "临住建发"]
    assert gap["details"]["missing"] == [5] and gap["details"]["highest"] == 14
