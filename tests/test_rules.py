"""Every rule family, table-driven, with boundary days; then the engine.

Working-day expectations are counted by hand from the 2026 notice (DESIGN.md §2) and written out
in the comments, so a calendar bug cannot make the rule and the expectation agree by accident.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from zwgk.audit.catalog import Column, Item, Rules, load_config
from zwgk.audit.engine import run_audit
from zwgk.audit.findings import IDENTITY, RULES, SOURCES
from zwgk.audit.model import Article, ColumnFetch
from zwgk.audit.rules import AuditContext
from zwgk.audit.rules.annual import annual_report_late
from zwgk.audit.rules.columns import broken_link, column_unreachable, empty_column
from zwgk.audit.rules.docseries import doc_series
from zwgk.audit.rules.lag import find_policy, interpretation_late, meeting_date, meeting_late, publish_lag
from zwgk.audit.rules.periods import period_missed, stale
from zwgk.audit.workdays import WorkCalendar

CAL = WorkCalendar()
BASE = "http://127.0.0.1:8000/"
AS_OF = date(2026, 11, 20)
REPO = Path(__file__).resolve().parents[1]
BODY = "为进一步做好相关工作，现将有关事项通知如下。一、总体要求。二、工作措施。三、保障措施。"


def D(text: str) -> date:
    return date.fromisoformat(text)


def item(item_id: str = "2.1", rules: Rules = Rules(), units=("办公室",), doc_series=(),
         docno_exempt=(), name: str = "部门文件", column: str = "col/col1201/index.html") -> Item:
    return Item(id=item_id, category="政策文件", name=name, content="", deadline="",
                units=tuple(units), columns=(Column(name="栏目" + item_id, url=BASE + column),),
                rules=rules, doc_series=tuple(doc_series), docno_exempt=tuple(docno_exempt))


_counter = iter(range(10_000))


def art(item_id: str = "2.1", url: str | None = None, **kw) -> Article:
    url = url or f"{BASE}art/{next(_counter)}.html"
    kw.setdefault("column_url", BASE + "col/col1201/index.html")
    return Article(url=url, item_id=item_id, **kw)


def ctx(as_of: date = AS_OF, all_articles=()) -> AuditContext:
    return AuditContext(as_of=as_of, calendar=CAL, all_articles=tuple(all_articles))


def fetch(item_id: str = "2.1", status: int | None = 200, entries: int = 10, error=None,
          url: str = BASE + "col/col1201/index.html") -> ColumnFetch:
    return ColumnFetch(item_id=item_id, column_url=url, status=status, error=error, pages=1,
                       entries=entries)


# --- publish_lag -----------------------------------------------------------------------------

@pytest.mark.parametrize("written, published, limit, expected_days", [
    # 国庆 2026: after 9/30 the working days are 10/8(1) 10/9(2) 10/10 Sat 调休(3) 10/12(4) …
    # 10/30(18) 11/2(19) 11/3(20) 11/4(21)
    ("2026-09-30", "2026-11-03", 20, None),
    ("2026-09-30", "2026-11-04", 20, 21),
    # the 调休 Saturday 10/10 counts: 10/9(1) 10/10(2) 10/12(3)
    ("2026-10-08", "2026-10-10", 2, None),
    ("2026-10-08", "2026-10-12", 2, 3),
    # 春节: 2/13(1) 2/14 Sat 调休(2) holidays 2/15–2/23, 2/24(3) 2/25(4)
    ("2026-02-12", "2026-02-24", 3, None),
    ("2026-02-12", "2026-02-25", 3, 4),
    # the demo's seeded defect: 9/1 -> 10/20
    ("2026-09-01", "2026-10-20", 20, 31),  # Sep: 21 incl. 9/20 调休; Oct: 8,9,10,12–16,19,20
    ("2026-10-20", "2026-10-19", 20, None),  # published before written: no lag
])
def test_publish_lag_boundaries(written, published, limit, expected_days):
    a = art(title="关于某事的通知", written_date=D(written), publish_date=D(published),
            doc_number="临住建发〔2026〕9号")
    found = publish_lag(item(rules=Rules(publish_lag_workdays=limit)), [a], [], ctx())
    if expected_days is None:
        assert found == []
        return
    (f,) = found
    assert (f.rule, f.severity, f.evidence) == ("publish_lag", "fail", (a.url,))
    assert f.details == {"doc_number": "临住建发〔2026〕9号", "written_date": written,
                         "publish_date": published, "working_days": expected_days,
                         "estimated": False}
    assert written in f.message and published in f.message and str(expected_days) in f.message
    assert "办公室" in f.message


def test_publish_lag_skips_missing_dates_broken_pages_and_disabled_rule():
    rules = Rules(publish_lag_workdays=1)
    arts = [art(written_date=D("2026-01-05")),
            art(publish_date=D("2026-06-01")),
            art(written_date=D("2026-01-05"), publish_date=D("2026-06-01"), http_status=404)]
    assert publish_lag(item(rules=rules), arts, [], ctx()) == []
    late = art(written_date=D("2026-01-05"), publish_date=D("2026-06-01"))
    assert publish_lag(item(rules=Rules()), [late], [], ctx()) == []


def test_publish_lag_marks_estimated_years():
    a = art(written_date=D("2027-03-01"), publish_date=D("2027-06-01"))
    (f,) = publish_lag(item(rules=Rules(publish_lag_workdays=20)), [a], [], ctx(D("2027-07-01")))
    assert "估算" in f.message
    (g,) = publish_lag(item(rules=Rules(publish_lag_workdays=20)),
                       [art(written_date=D("2026-03-01"), publish_date=D("2026-06-01"))], [], ctx())
    assert "估算" not in g.message


# --- interpretation_late ---------------------------------------------------------------------

POLICY_TITLE = "临江市住房和城乡建设局关于加强物业管理的通知"


def _policy(published: str, url: str = BASE + "art/2026/2/12/art_1201_1.html", **kw) -> Article:
    return art("2.1", url=url, title=POLICY_TITLE, publish_date=D(published), **kw)


@pytest.mark.parametrize("policy_date, interp_date, expected_days", [
    ("2026-02-12", "2026-02-24", None),  # 2/13(1) 2/14 调休(2) 2/24(3)
    ("2026-02-12", "2026-02-25", 4),
    ("2026-09-29", "2026-10-09", None),  # 9/30(1) 10/8(2) 10/9(3)
    ("2026-09-29", "2026-10-10", 4),     # 10/10 调休 Saturday(4)
    ("2026-09-29", "2026-09-29", None),  # same day
])
def test_interpretation_late_boundaries(policy_date, interp_date, expected_days):
    policy = _policy(policy_date)
    interp = art("3.1", title="《临江市住房和城乡建设局关于加强物业管理的通知》政策解读",
                 publish_date=D(interp_date), body_text="相关文件：《" + POLICY_TITLE + "》",
                 links=((policy.url, "《" + POLICY_TITLE + "》"),))
    it = item("3.1", rules=Rules(interpretation_late_workdays=3), name="政策解读")
    found = interpretation_late(it, [interp], [], ctx(all_articles=[policy, interp]))
    if expected_days is None:
        assert found == []
        return
    (f,) = found
    assert f.details == {"policy_url": policy.url, "policy_publish_date": policy_date,
                         "publish_date": interp_date, "working_days": expected_days,
                         "estimated": False}
    assert f.evidence == (interp.url, policy.url) and f.severity == "fail"


def _interp(**kw) -> Article:
    kw.setdefault("publish_date", D("2026-03-10"))
    return art("3.1", **kw)


@pytest.mark.parametrize("how", ["anchor_title", "anchor_label", "anchor_title_other_url",
                                 "own_title", "plain_link", "body_book_title", "https_link"])
def test_find_policy_evidence_kinds(how):
    policy = _policy("2026-02-12")
    other = art("2.2", title="临江市住房和城乡建设局关于印发规范的通知", publish_date=D("2025-01-05"))
    variants = {
        "anchor_title": dict(links=((policy.url, POLICY_TITLE),)),
        "anchor_label": dict(links=((policy.url, "相关文件"),)),
        "anchor_title_other_url": dict(links=((BASE + "elsewhere/1.html", "《" + POLICY_TITLE + "》"),)),
        "own_title": dict(title="一图读懂《" + POLICY_TITLE + "》"),
        "plain_link": dict(links=((policy.url, "点击查看"),)),
        "body_book_title": dict(body_text=f"根据《{other.title}》，我局印发了《{POLICY_TITLE}》。"),
        "https_link": dict(links=((policy.url.replace("http://", "https://"), "原文链接"),)),
    }
    interp = _interp(**{"title": "解读", **variants[how]})
    assert find_policy(interp, ctx(all_articles=[policy, other, interp])) == policy


def test_find_policy_none_when_nothing_names_a_crawled_article():
    interp = _interp(title="政策解读", body_text="《中华人民共和国城乡规划法》规定……",
                     links=((BASE + "nowhere.html", "相关文件"),))
    assert find_policy(interp, ctx(all_articles=[_policy("2026-02-12"), interp])) is None
    it = item("3.1", rules=Rules(interpretation_late_workdays=3))
    assert interpretation_late(it, [interp], [], ctx(all_articles=[interp])) == []


def test_find_policy_ignores_links_to_sibling_interpretations():
    sibling = art("3.1", title="另一篇解读", publish_date=D("2026-01-05"))
    interp = _interp(title="解读", links=((sibling.url, "点击查看"),))
    assert find_policy(interp, ctx(all_articles=[sibling, interp])) is None


# --- meeting_late ----------------------------------------------------------------------------

@pytest.mark.parametrize("title, body, published, expected", [
    ("市住建局召开2026年第10次局长办公会", "2026年11月3日，市住建局召开2026年第10次局长办公会。",
     "2026-11-05", "2026-11-03"),
    ("局长办公会", "11月3日上午，局长主持召开局长办公会，研究部署冬季安全生产工作。",
     "2026-11-05", "2026-11-03"),
    ("局长办公会", "市住建局于2026年11月3日召开局长办公会。", "2026-11-05", "2026-11-03"),
    ("局长办公会", "会议时间：2026年11月3日\n会议地点：局三楼会议室", "2026-11-05", "2026-11-03"),
    ("市住建局11月3日召开部门办公会", "会议传达了10月28日全市安全生产会议精神。", "2026-11-05",
     "2026-11-03"),
    # a quoted document's date is not the meeting
    ("局长办公会", "会议学习了2026年10月20日印发的《关于召开全市住建工作会议的通知》。"
     "2026年11月3日，市住建局召开局长办公会。", "2026-11-05", "2026-11-03"),
    # a future meeting announced in the article is not the meeting reported
    ("局长办公会", "11月3日，市住建局召开局长办公会。下次会议将于11月30日召开。", "2026-11-05",
     "2026-11-03"),
    # December meeting published in January
    ("局长办公会", "12月30日下午，市住建局召开局长办公会。", "2027-01-04", "2026-12-30"),
    ("局长办公会", "2026-11-03 市住建局召开局长办公会", "2026-11-05", "2026-11-03"),
    ("关于印发某办法的通知", "2026年10月20日印发，自2026年12月1日起施行。", "2026-11-05", None),
])
def test_meeting_date_reading(title, body, published, expected):
    a = art("5.1", title=title, body_text=body, publish_date=D(published))
    got = meeting_date(a)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize("meeting, published, expected_days", [
    ("2026-11-03", "2026-11-06", None),   # 3 calendar days = on time
    ("2026-11-03", "2026-11-07", 4),
    ("2026-09-30", "2026-10-03", None),   # calendar days: 国庆 does not stretch the deadline
    ("2026-09-30", "2026-10-04", 4),
    ("2026-10-26", "2026-11-02", 7),      # the demo's seeded defect
])
def test_meeting_late_boundaries(meeting, published, expected_days):
    m = D(meeting)
    a = art("5.1", title="市住建局召开2026年第10次局长办公会", publish_date=D(published),
            body_text=f"{m.year}年{m.month}月{m.day}日，市住建局召开2026年第10次局长办公会。")
    it = item("5.1", rules=Rules(meeting_late_days=3), units=("办公室",), name="政府会议")
    found = meeting_late(it, [a], [], ctx())
    if expected_days is None:
        assert found == []
        return
    (f,) = found
    assert f.details == {"meeting_date": meeting, "publish_date": published, "days": expected_days}
    assert f.severity == "fail" and meeting in f.message


# --- period_missed ---------------------------------------------------------------------------

def _month_articles(months: list[tuple[int, int]], item_id: str = "7.1") -> list[Article]:
    return [art(item_id, title=f"{y}年{m}月进展", publish_date=date(y, m, 15)) for y, m in months]


def _periods(found) -> list[str]:
    assert all(f.rule == "period_missed" and f.severity == "fail" for f in found)
    return [f.details["period"] for f in found]


def test_period_missed_quarterly_demo_shape():
    quarters = [(y, m) for y in (2024, 2025, 2026) for m in (2, 5, 8, 11)
                if (y, m) < (2026, 9) and (y, m) != (2026, 5)]
    it = item("7.1", rules=Rules(period="quarter"), units=("住房保障科",), name="棚改")
    found = period_missed(it, _month_articles(quarters), [fetch("7.1")], ctx())
    assert _periods(found) == ["2026-Q2"]
    assert "2026年第二季度" in found[0].message and "住房保障科" in found[0].message


def test_period_missed_monthly_demo_shape():
    months = [(y, m) for y in (2025, 2026) for m in range(1, 13)
              if (y, m) <= (2026, 10) and (y, m) != (2026, 8)]
    it = item("14.2", rules=Rules(period="month"))
    assert _periods(period_missed(it, _month_articles(months), [], ctx())) == ["2026-08"]


@pytest.mark.parametrize("as_of, expected", [
    ("2026-10-31", ["2026-08"]),             # October still open
    ("2026-11-01", ["2026-08", "2026-10"]),  # October closed on 10/31
])
def test_period_missed_closes_a_period_the_day_after_it_ends(as_of, expected):
    months = [(2026, m) for m in range(1, 10) if m != 8]
    it = item("14.2", rules=Rules(period="month"))
    assert _periods(period_missed(it, _month_articles(months), [], ctx(D(as_of)))) == expected


def test_period_missed_yearly_and_quarter_boundary():
    it = item("5.2", rules=Rules(period="year"))
    arts = [art("5.2", publish_date=D("2023-12-31")), art("5.2", publish_date=D("2025-01-01"))]
    assert _periods(period_missed(it, arts, [], ctx())) == ["2024"]
    q = item("7.1", rules=Rules(period="quarter"))
    # 2026-Q3 ends 9/30: open on 9/30, closed on 10/1
    arts = [art("7.1", publish_date=D("2026-05-01"))]
    assert _periods(period_missed(q, arts, [], ctx(D("2026-09-30")))) == []
    assert _periods(period_missed(q, arts, [], ctx(D("2026-10-01")))) == ["2026-Q3"]


def test_period_missed_ignores_broken_and_uses_list_dates():
    q = item("7.1", rules=Rules(period="quarter"))
    arts = [art("7.1", publish_date=D("2026-02-01")),
            art("7.1", publish_date=D("2026-05-01"), http_status=404),
            art("7.1", list_date=D("2026-08-01"))]
    assert _periods(period_missed(q, arts, [], ctx())) == ["2026-Q2"]
    assert period_missed(q, [], [], ctx()) == []
    assert period_missed(item("7.1", rules=Rules()), arts, [], ctx()) == []


# --- stale -----------------------------------------------------------------------------------

@pytest.mark.parametrize("latest, fails", [
    ("2026-05-24", False),   # exactly 180 days before 2026-11-20
    ("2026-05-23", True),    # 181 days
    ("2025-12-15", True),    # the demo's 脱贫攻坚
    ("2026-11-20", False),
])
def test_stale_boundaries(latest, fails):
    it = item("10.1", rules=Rules(stale_days=180), units=("村镇科",), name="脱贫攻坚")
    arts = [art("10.1", publish_date=D("2024-01-01")), art("10.1", publish_date=D(latest))]
    found = stale(it, arts, [], ctx())
    if not fails:
        assert found == []
        return
    (f,) = found
    assert f.details == {"latest_publish_date": latest, "max_age_days": 180, "class": None,
                         "column_url": BASE + "col/col1201/index.html"}
    assert f.evidence == (arts[1].url,) and "村镇科" in f.message and latest in f.message


def test_stale_undated_counts_as_not_updated():
    it = item("9.1", rules=Rules(stale_days=180))
    (f,) = stale(it, [art("9.1", title="无日期"), art("9.1")], [], ctx())
    assert f.details == {"latest_publish_date": None, "max_age_days": 180, "class": None,
                         "column_url": BASE + "col/col1201/index.html"}


def test_stale_ignores_broken_newest_and_empty_items():
    it = item("9.1", rules=Rules(stale_days=30))
    arts = [art("9.1", publish_date=D("2026-11-19"), http_status=404),
            art("9.1", publish_date=D("2026-01-01"))]
    (f,) = stale(it, arts, [], ctx())
    assert f.details["latest_publish_date"] == "2026-01-01"
    assert stale(it, [], [fetch("9.1", entries=0)], ctx()) == []
    assert stale(item("9.1", rules=Rules()), arts, [], ctx()) == []
    # the list date counts when the page shows none
    assert stale(it, [art("9.1", list_date=D("2026-11-01"))], [], ctx()) == []


# --- columns ---------------------------------------------------------------------------------

@pytest.mark.parametrize("status, error, entries, rules, reason", [
    (200, None, 10, [], None),
    (200, None, 0, ["empty_column"], None),
    (500, None, 0, ["column_unreachable"], "http_status"),
    (404, None, 0, ["column_unreachable"], "http_status"),
    (None, "timeout after 15 s", 0, ["column_unreachable"], "timeout"),
    (None, "connection_error", 0, ["column_unreachable"], "connection_error"),
    (None, "redirect_loop", 0, ["column_unreachable"], "redirect_loop"),
    (412, "challenge", 0, [], None),  # column_unreadable says it (test_column_unreadable)
    (200, "empty_body", 0, ["column_unreachable"], "empty_body"),
    (200, "parse error", 3, ["column_unreachable"], "read_error"),
    (None, "robots_disallowed", 0, [], None),  # robots_disallowed reports it
])
def test_column_rules(status, error, entries, rules, reason):
    it = item("12.2", units=("相关职能科室",), name="项目实施",
              column="hdjl/list.php?catid=122&page=1")
    c = fetch("12.2", status=status, entries=entries, error=error,
              url=BASE + "hdjl/list.php?catid=122&page=1")
    found = column_unreachable(it, [], [c], ctx()) + empty_column(it, [], [c], ctx())
    assert [f.rule for f in found] == rules
    for f in found:
        assert f.severity == "fail" and f.evidence == (c.column_url,)
        assert "相关职能科室" in f.message and "栏目12.2" in f.message
        if f.rule == "column_unreachable":
            assert f.details == {"column_url": c.column_url, "status": status,
                                 "reason": reason, "error": error}
            assert ("浏览器" in f.message) == (reason == "challenge")
        else:
            assert f.details == {"column_url": c.column_url}


def test_broken_link():
    it = item("13.1", units=("住房保障科",))
    ok = art("13.1", publish_date=D("2026-10-01"))
    gone = art("13.1", title="保障房分配结果", http_status=404, found_on=BASE + "col/col1301/index.html")
    dead = art("13.1", http_status=0)
    found = broken_link(it, [ok, gone, dead, gone], [], ctx())
    assert [f.details for f in found] == [
        {"url": gone.url, "status": 404, "found_on": gone.found_on},
        {"url": dead.url, "status": 0, "found_on": ""}]
    assert all(f.severity == "warn" for f in found)
    assert found[0].evidence == (gone.url, gone.found_on) and "404" in found[0].message


# --- 文号 --------------------------------------------------------------------------------------

def _docs(*numbers: str, item_id: str = "2.1") -> list[Article]:
    # Distinct titles: the same number on the same title is one document cross-posted.
    return [art(item_id, title=f"文件{i}（{n}）", doc_number=n, publish_date=D("2026-06-01"))
            for i, n in enumerate(numbers)]


def test_doc_series_demo_shape():
    fa = [f"临住建发〔2026〕{n}号" for n in range(1, 13) if n not in (5, 8)] + ["临住建发[2026]8号"]
    ban = [f"临住建办发〔2026〕{n}号" for n in (1, 2, 3, 3, 4)]
    arts = _docs(*fa, *ban)
    it = item(rules=Rules(publish_lag_workdays=20), doc_series=("临住建发", "临住建办发"))
    found = doc_series(it, arts, [], ctx())
    by_rule = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(f)
    assert sorted(by_rule) == ["docno_duplicate", "docno_format", "docno_gap"]
    (gap,) = by_rule["docno_gap"]
    assert gap.details == {"series_prefix": "临住建发", "year": 2026, "missing": [5],
                           "missing_count": 1, "missing_ranges": [[5, 5]],
                           "highest": 12, "year_closed": False}
    assert gap.severity == "warn" and "疑似缺号" in gap.message
    assert len(gap.evidence) == 2  # the documents numbered 4 and 6
    (dup,) = by_rule["docno_duplicate"]
    assert dup.details == {"series_prefix": "临住建办发", "year": 2026, "number": 3}
    assert dup.severity == "fail" and len(dup.evidence) == 2
    (fmt,) = by_rule["docno_format"]
    assert fmt.details == {"doc_number": "临住建发[2026]8号"} and fmt.severity == "warn"
    assert "临住建发〔2026〕8号" in fmt.message


def test_doc_series_exempt_and_items_without_series():
    arts = _docs("临住建发〔2026〕1号", "临住建发〔2026〕3号", "临住建发(2026)4号")
    exempt = item(doc_series=("临住建发",), docno_exempt=("临住建发〔2026〕2号",))
    assert [f.rule for f in doc_series(exempt, arts, [], ctx())] == ["docno_format"]
    no_series = item("2.2")
    assert [f.rule for f in doc_series(no_series, arts, [], ctx())] == ["docno_format"]
    assert doc_series(item(doc_series=("临住建发",)), _docs("国令第707号", "无"), [], ctx()) == []


# --- annual_report_late ----------------------------------------------------------------------

REPORT = "临江市住房和城乡建设局{}年政府信息公开工作年度报告"


def _reports(*pairs: tuple[int, str]) -> list[Article]:
    return [art("16.1", title=REPORT.format(y), publish_date=D(p)) for y, p in pairs]


@pytest.mark.parametrize("published, late", [("2026-01-31", False), ("2026-02-01", True),
                                             ("2026-02-10", True)])
def test_annual_report_boundary(published, late):
    it = item("16.1", rules=Rules(annual_report=True), units=("办公室", "新闻中心"))
    found = annual_report_late(it, _reports((2024, "2025-01-20"), (2025, published)),
                               [fetch("16.1")], ctx())
    if not late:
        assert found == []
        return
    (f,) = found
    assert f.details == {"year": 2025, "publish_date": published, "due_date": "2026-01-31"}
    assert "办公室、新闻中心" in f.message


def test_annual_report_missing_only_after_due_date_and_when_readable():
    it = item("16.1", rules=Rules(annual_report=True))
    arts = _reports((2024, "2025-01-20"))
    assert annual_report_late(it, arts, [fetch("16.1")], ctx(D("2026-01-31"))) == []
    (f,) = annual_report_late(it, arts, [fetch("16.1")], ctx(D("2026-02-01")))
    assert f.details == {"year": 2025, "publish_date": None, "due_date": "2026-01-31"}
    assert annual_report_late(it, arts, [fetch("16.1", status=500)], ctx(D("2026-02-01"))) == []
    assert annual_report_late(item("16.1"), arts, [fetch("16.1")], ctx(D("2026-02-01"))) == []


def test_annual_report_year_forms_and_earliest_copy():
    it = item("16.1", rules=Rules(annual_report=True))
    arts = [art("16.1", title="2025年度政府信息公开工作年度报告", publish_date=D("2026-01-20")),
            art("16.1", title="2025年度政府信息公开工作年度报告（图解）", publish_date=D("2026-03-01")),
            art("16.1", title="关于开展政务公开培训的通知", publish_date=D("2026-03-01"))]
    assert annual_report_late(it, arts, [fetch("16.1")], ctx()) == []


# --- engine ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def config():
    return load_config(REPO / "mapping" / "columns.yaml")


def _col(config, item_id: str) -> str:
    return config.item(item_id).columns[0].url


def test_run_audit_statuses_order_and_counts(config):
    c21, c131, c74 = _col(config, "2.1"), _col(config, "13.1"), _col(config, "7.4")
    docs = [Article(url=f"{BASE}art/2026/{n}.html", item_id="2.1", column_url=c21,
                    title=f"文件{n}", doc_number=f"临住建发〔2026〕{n}号", body_text=BODY,
                    written_date=D("2026-06-01"), publish_date=D("2026-06-03"))
            for n in (1, 2, 4)]
    late = Article(url=BASE + "art/late.html", item_id="2.1", column_url=c21, title="迟发文件",
                   written_date=D("2026-09-01"), publish_date=D("2026-10-20"), body_text=BODY)
    housing = [Article(url=BASE + "art/h1.html", item_id="13.1", column_url=c131,
                       publish_date=D("2026-11-01"), body_text=BODY),
               Article(url=BASE + "art/h1.html", item_id="13.1", column_url=c131,
                       publish_date=D("2026-11-01"), body_text=BODY),  # listed twice
               Article(url=BASE + "art/h404.html", item_id="13.1", column_url=c131,
                       http_status=404, publish_date=D("2026-11-19"))]
    columns = [ColumnFetch("2.1", c21, 200, entries=4), ColumnFetch("13.1", c131, 200, entries=3),
               ColumnFetch("7.4", c74, 500)]
    results = run_audit(config, docs + [late] + housing, columns, AS_OF, CAL)
    assert [r.item_id for r in results] == [it.id for it in config.items]
    by_id = {r.item_id: r for r in results}

    r21 = by_id["2.1"]
    assert r21.status == "fail"
    assert [f.rule for f in r21.findings] == ["publish_lag", "docno_gap"]  # fail before warn
    assert r21.article_count == 4 and r21.latest_publish_date == D("2026-10-20")

    r131 = by_id["13.1"]
    assert r131.status == "warn" and [f.rule for f in r131.findings] == ["broken_link"]
    assert r131.article_count == 1 and r131.latest_publish_date == D("2026-11-01")

    # Its only column answered 500: nothing it published was read, so 无法判断 (issue 12) — the
    # unreachable column stays a fail finding of its own.
    assert by_id["7.4"].status == "unknown"
    assert [(f.rule, f.severity) for f in by_id["7.4"].findings] == [("column_unreachable", "fail")]
    assert by_id["1.1"].status == "unknown" and by_id["1.1"].findings == ()

    payload = json.dumps([r.to_json() for r in results], ensure_ascii=False)
    for r in json.loads(payload):
        for f in r["findings"]:
            assert f["rule"] in RULES


def test_run_audit_interpretation_uses_other_items(config):
    policy = Article(url=BASE + "art/p.html", item_id="2.1", column_url=_col(config, "2.1"),
                     title=POLICY_TITLE, publish_date=D("2026-09-29"), body_text=BODY)
    interp = Article(url=BASE + "zcjd/content_1.html", item_id="3.1", column_url=_col(config, "3.1"),
                     title="政策解读", publish_date=D("2026-10-10"), body_text=BODY,
                     links=((policy.url, "《" + POLICY_TITLE + "》"),))
    columns = [ColumnFetch("2.1", policy.column_url, 200, entries=1),
               ColumnFetch("3.1", interp.column_url, 200, entries=1)]
    by_id = {r.item_id: r for r in run_audit(config, [policy, interp], columns, AS_OF, CAL)}
    (f,) = by_id["3.1"].findings
    assert f.rule == "interpretation_late" and f.details["working_days"] == 4
    assert by_id["2.1"].status == "pass"


def test_every_rule_name_is_in_the_contract():
    produced = {"publish_lag", "interpretation_late", "meeting_late", "period_missed", "stale",
                "empty_column", "column_unreachable", "broken_link", "docno_gap",
                "docno_duplicate", "docno_format", "annual_report_late", "annual_report_incomplete",
                "date_missing", "date_future", "date_conflict", "interpretation_missing",
                "validity_missing", "content_missing",
                "robots_disallowed", "pagination_capped", "page_too_large",  # issue 7
                "deadline_unparsed",  # issue 10
                "column_unreadable",  # issue 11
                "docno_jump",  # issue 17
                "date_future_unverified", "content_unlocated"}  # issue 10
    assert produced == set(RULES) == set(SOURCES) == set(IDENTITY)
    assert all(SOURCES.values())
