"""Issue 10, the test of "beyond the seed": another bureau of another domain (临江县教育局, the
demo variant "education", catalog mapping/county_education.yaml) crawled on loopback must report
exactly its seeded defects (demosite.education.SEEDED) and no other fail — with other category
names, the 公开时限 wordings of another catalog, one wording the grammar cannot read, a 预告 whose
list shows the meeting day, a framed page, an attachment-only article and a roster table."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import ROOT, run_zwgk
from zwgk.demosite.data import DEMO_AS_OF
from zwgk.demosite.education import CATALOG, EDU_NAME, SEEDED, education_model

pytestmark = pytest.mark.e2e

CATALOG_PATH = ROOT / "mapping" / CATALOG


@pytest.fixture(scope="module")
def education_run(tmp_path_factory):
    """``zwgk demo --variant education``: serves the variant on a free loopback port and runs the
    whole job on it with the variant's own catalog (mapping/county_education.yaml)."""
    out = tmp_path_factory.mktemp("education")
    proc = run_zwgk("demo", "--variant", "education", "--db", str(out / "zwgk.sqlite"),
                    "--out", str(out), cwd=out)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"  # the demo: findings are success
    assert "Traceback" not in proc.stderr
    base = re.search(r"demo site: (\S+)", proc.stdout).group(1)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert findings["site"]["name"].startswith(EDU_NAME)
    return {"findings": findings, "base": base, "db": out / "zwgk.sqlite"}


def _items(run: dict) -> dict[str, dict]:
    return {i["id"]: i for i in run["findings"]["items"]}


def _path(base: str, url: str) -> str:
    return "/" + url[len(base):] if url.startswith(base) else url


def _article(title: str):
    return next(a for a in education_model().articles if a.title == title)


def test_the_catalog_validates_with_its_own_wordings():
    proc = run_zwgk("validate", str(CATALOG_PATH))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for phrase in ("每年1月31日前", "每季度", "每半年更新", "形成或变更之日起20个工作日内", "随时更新",
                   "会议结束后3个工作日内公开", "20个工作日内公开，实时更新"):
        line = next(x for x in proc.stdout.splitlines() if f"“{phrase}”" in x)
        assert "无法识别" not in line and "仅检查栏目" not in line, line
    assert "无法识别“视招聘计划另行安排”" in proc.stdout


def test_it_reports_exactly_the_seeded_defects(education_run):
    got = {(i["id"], f["rule"]) for i in education_run["findings"]["items"] for f in i["findings"]}
    assert got == SEEDED, f"missed: {sorted(SEEDED - got)}\nextra: {sorted(got - SEEDED)}"
    fails = {(i["id"], f["rule"]) for i in education_run["findings"]["items"]
             for f in i["findings"] if f["severity"] == "fail"}
    assert fails == {("2", "publish_lag"), ("6", "period_missed"), ("8", "stale"),
                     ("11", "annual_report_late"), ("12", "empty_column")}
    # nor does the 检查指标自查 accuse anyone (a roster of names and amounts is no privacy leak)
    assert not [f for f in education_run["findings"]["inspection"]["findings"]
                if f["severity"] == "fail"]
    # every item of the catalog was crawled: none is 无法判断
    assert all(i["status"] != "unknown" for i in education_run["findings"]["items"])
    assert len(education_run["findings"]["items"]) >= 12


def test_the_seeded_defects_are_the_declared_ones(education_run):
    items, base = _items(education_run), education_run["base"]

    def one(item: str, rule: str) -> dict:
        (f,) = [f for f in items[item]["findings"] if f["rule"] == rule]
        return f

    assert one("2", "docno_gap")["details"]["missing"] == [4]
    lag = one("2", "publish_lag")["details"]
    assert (lag["doc_number"], lag["written_date"], lag["publish_date"]) == \
        ("临县教发〔2026〕6号", "2026-07-06", "2026-08-24")
    assert one("6", "period_missed")["details"]["period"] == "2026-Q2"
    assert one("8", "stale")["details"]["latest_publish_date"] == "2026-04-10"
    assert one("11", "annual_report_late")["details"]["year"] == 2025
    unparsed = one("10", "deadline_unparsed")
    assert unparsed["severity"] == "warn" and "视招聘计划另行安排" in unparsed["message"]
    preview = one("5", "date_future_unverified")
    assert preview["severity"] == "warn" and preview["details"]["reason"] == "page_undated"
    assert _path(base, preview["details"]["url"]) == _article("关于召开全县中小学校长培训会的预告").path
    framed = one("1", "content_unlocated")
    assert framed["severity"] == "warn" and framed["details"]["reason"] == "frame"
    assert _path(base, framed["details"]["url"]) == _article("临江县教育局权责清单（2026年版）").path


def test_no_veto_for_a_preview_and_no_accusation_of_the_traps(education_run):
    """The 预告 whose page shows its (earlier) 发布日期 gives nothing; the one whose page shows
    none is a warn: no 伪造发稿日期 veto. The attachment-only article and the roster tables are
    not content_missing (SEEDED has no content_missing: the equality above already says so)."""
    units = {u["unit"]: u for u in education_run["findings"]["units"]}
    assert units["办公室"]["veto"] is False or not any(
        "伪造" in r for r in units["办公室"]["veto_reasons"])
    assert not any("伪造" in r for u in units.values() for r in u["veto_reasons"])
    assert _items(education_run)["9"]["status"] == "pass"
    assert _items(education_run)["10"]["status"] == "warn"  # only deadline_unparsed
    with sqlite3.connect(education_run["db"]) as conn:
        rows = dict(conn.execute("SELECT url, rejected_publish_date FROM articles"))
        statuses = dict(conn.execute("SELECT url, body_status FROM articles"))
    base = education_run["base"]
    shown = {_path(base, u): v for u, v in rows.items()}
    assert shown[_article("关于召开全县教育系统安全稳定工作会议的预告").path] is None
    located = {_path(base, u): v for u, v in statuses.items()}
    assert located[_article("临江县教育局权责清单（2026年版）").path] == "frame"
    roster = [a for a in education_model().column("9").articles]
    assert roster and all(located[a.path] == "" for a in roster)


def test_the_site_is_another_bureau():
    from zwgk.demosite.variants import named_site

    site = named_site("education")
    home = site.pages["/"].body.decode("utf-8")
    assert EDU_NAME in home and "住房和城乡建设局" not in home
    names = {c.spec.name for c in education_model().columns}
    from zwgk.demosite.data import COLUMNS as HOUSING

    assert not names & {c.name for c in HOUSING if c.item_id is not None}
    assert sum(1 for c in education_model().columns if c.spec.item_id) >= 12
