"""Issue 5's rules, table-driven with their boundary days; the veto tallies and unit scores.

Working-day expectations are counted by hand on the 2026 calendar (DESIGN.md §2) and written out
in the comments, so a calendar bug cannot make the rule and the expectation agree by accident.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk.audit.catalog import (AuditSettings, Column, ConfigError, Item, Rules, load_config,
                           parse_config)
from zwgk.audit.docnumbers import analyse_doc_numbers
from zwgk.audit.workdays import package_official_years
from zwgk.audit.model import Article, ColumnFetch
from zwgk.audit.rules import AuditContext
from zwgk.audit.rules.annual import annual_report_incomplete, missing_sections
from zwgk.audit.rules.dates import date_conflict, date_future, date_future_unverified, date_missing
from zwgk.audit.rules.docseries import doc_series
from zwgk.audit.rules.documents import content_missing, interpretation_missing, validity_missing
from zwgk.audit.rules.lag import publish_lag
from zwgk.audit.rules.periods import stale
from zwgk.audit.scoring import DEDUCTIONS, unit_scores, veto_tally
from zwgk.audit.workdays import WorkCalendar

CAL = WorkCalendar()
BASE = "http://127.0.0.1:8000/"
AS_OF = date(2026, 11, 20)
REPO = Path(__file__).resolve().parents[1]
BODY = "为进一步做好相关工作，现将有关事项通知如下。一、总体要求。二、工作措施。三、保障措施。"
D = date.fromisoformat


def item(item_id: str = "2.2", rules: Rules = Rules(), units=("办公室",), method: str = "全文发布",
         columns: tuple[Column, ...] | None = None, name: str = "规范性文件") -> Item:
    cols = columns or (Column(name="栏目", url=BASE + "col/1/index.html"),)
    return Item(id=item_id, category="政策文件", name=name, content="", deadline="",
                units=tuple(units), columns=cols, rules=rules, method=method)


_n = iter(range(100_000))


def art(item_id: str = "2.2", **kw) -> Article:
    kw.setdefault("url", f"{BASE}art/{next(_n)}.html")
    kw.setdefault("column_url", BASE + "col/1/index.html")
    kw.setdefault("title", "关于某事的通知")
    kw.setdefault("body_text", BODY)
    return Article(item_id=item_id, **kw)


def ctx(as_of: date = AS_OF, all_articles=(), settings: AuditSettings = AuditSettings(),
        interpretation_items=frozenset({"3.1"}), link_status=None) -> AuditContext:
    return AuditContext(as_of=as_of, calendar=CAL, all_articles=tuple(all_articles),
                        settings=settings, interpretation_items=interpretation_items,
                        link_status=link_status or {})


# --- date_missing ------------------------------------------------------------------------------

@pytest.mark.parametrize("publish, source, list_date, url, fetched, expected", [
    ("2026-11-01", "text", "2026-11-01", "a.html", True, False),     # dated page
    ("2026-11-01", "url", None, "a.html", True, False),              # URL/meta dates count
    ("2026-11-01", "list", "2026-11-01", "a.html", True, True),      # only the list shows a date
    (None, "", None, "a.html", True, True),                          # no date anywhere
    (None, "", None, "a.pdf", True, False),                          # an attachment listed directly
    (None, "", None, "a.html", False, False),                        # never fetched (off-site)
    ("2026-12-08", "list", "2026-12-08", "a.html", True, False),     # future: date_future's case
])
def test_date_missing(publish, source, list_date, url, fetched, expected):
    a = art(url=BASE + url, publish_date=D(publish) if publish else None, date_source=source,
            list_date=D(list_date) if list_date else None, fetched=fetched)
    found = date_missing(item(), [a], [], ctx())
    assert bool(found) == expected
    if found:
        (f,) = found
        assert f.severity == "warn" and f.details == {"url": a.url, "list_date": list_date}
        assert ("视为未更新" in f.message) == (list_date is None)


def test_date_missing_skips_pages_that_could_not_be_read():
    a = art(publish_date=None, error="extract_error: boom")
    assert date_missing(item(), [a], [], ctx()) == []


# --- date_future -------------------------------------------------------------------------------

@pytest.mark.parametrize("shown, expected", [
    ("2026-11-20", False),  # the audit day itself is not the future
    ("2026-11-21", True),
    ("2027-01-05", True),
])
def test_date_future_boundary(shown, expected):
    """The page's own date after as-of (stored as the date the crawler set aside) is a fail."""
    a = art(publish_date=D(shown) if shown <= "2026-11-20" else None,
            date_source="text" if shown <= "2026-11-20" else "rejected",
            rejected_publish_date=None if shown <= "2026-11-20" else shown)
    found = date_future(item(), [a], [], ctx())
    assert bool(found) == expected
    if found:
        (f,) = found
        assert (f.severity, f.details["publish_date"]) == ("fail", shown)
        assert "文章页" in f.message and "办公室" in f.message


# What the store holds -> which date rule speaks. Rows as the store returns them (listing joined
# with article), so the table also covers articles_from_rows' list-date fallback.
@pytest.mark.parametrize("list_date, page_date, source, rejected, status, url, expected", [
    # the page shows a future 发布日期 (the crawler set it aside): fail, whatever the list says
    ("2026-12-08", None, "rejected", "2026-12-08", 200, "a.html", {"date_future"}),
    ("2026-11-02", None, "rejected", "2027-01-05", 200, "a.html", {"date_future"}),
    (None, None, "rejected", "2026-11-21", 200, "a.html", {"date_future"}),
    # a future date set aside while metadata gave the date used: still the page's own claim
    ("2026-11-02", "2026-11-02", "meta", "2026-12-01", 200, "a.html", {"date_future"}),
    # a 会议预告: the list shows the meeting day, the page an earlier 发布日期: nothing
    ("2026-12-03", "2026-11-18", "text", None, 200, "a.html", set()),
    ("2026-12-03", "2026-11-18", "infotable", None, 200, "a.html", set()),
    # the list's future date, the page shows none: unclear evidence, a warn with the reason
    ("2026-12-03", None, "", None, 200, "a.html", {"date_future_unverified"}),
    ("2026-12-03", None, "", None, None, "a.html", {"date_future_unverified"}),  # off-site
    ("2026-12-03", None, "", None, 200, "a.pdf", {"date_future_unverified"}),   # attachment
    # a placeholder year is no claim of a day: date_missing names it
    ("2026-11-02", None, "rejected", "9999-12-31", 200, "a.html", {"date_missing"}),
    ("2026-12-03", None, "rejected", "9999-12-31", 200, "a.html", {"date_future_unverified"}),
    # the audit day itself is not the future
    ("2026-11-20", None, "rejected", "2026-11-20", 200, "a.html", {"date_missing"}),
    ("2026-11-20", "2026-11-20", "text", None, 200, "a.html", set()),
])
def test_future_dates_from_what_the_store_holds(list_date, page_date, source, rejected, status,
                                                url, expected):
    from zwgk.audit.model import articles_from_rows
    from zwgk.audit.scoring import unit_scores

    (a,) = articles_from_rows([{
        "url": BASE + url, "item_id": "2.2", "column_url": BASE + "col/1/index.html",
        "list_title": "关于召开全县工作会议的预告", "list_date": list_date, "title": "关于召开会议的预告",
        "publish_date": page_date, "date_source": source, "rejected_publish_date": rejected,
        "http_status": status, "body_text": BODY}])
    found = [f for rule in (date_future, date_future_unverified, date_missing)
             for f in rule(item(), [a], [], ctx())]
    assert {f.rule for f in found} == expected
    for f in found:
        assert f.severity == ("fail" if f.rule == "date_future" else "warn")
        if f.rule == "date_future_unverified":
            assert f.details["reason"] and "会议预告" in f.message and "列表页" in f.message
    # Only a fail of the page's own date vetoes the unit (伪造发稿日期).
    units = unit_scores([{"id": "2.2", "units": ["办公室"], "status": "fail" if found else "pass",
                          "findings": [f.to_json() for f in found]}], AuditSettings())
    assert units[0]["veto"] == ("date_future" in expected)


def test_future_dates_do_not_keep_a_column_fresh():
    it = item("9.1", rules=Rules(stale_days=180))
    old = art("9.1", publish_date=D("2025-01-01"))
    typo = art("9.1", publish_date=D("2027-11-01"))
    (f,) = stale(it, [old, typo], [], ctx())
    assert f.details["latest_publish_date"] == "2025-01-01"


# --- date_conflict -----------------------------------------------------------------------------

@pytest.mark.parametrize("visible, meta, source, tolerance, expected_days", [
    ("2026-08-14", "2026-08-14", "text", 1, None),
    ("2026-08-14", "2026-08-15", "text", 1, None),   # one day: a time-zone / midnight slip
    ("2026-08-14", "2026-08-16", "text", 1, 2),
    ("2026-08-14", "2026-08-21", "text", 1, 7),      # the demo's seeded conflict
    ("2026-08-21", "2026-08-14", "text", 1, 7),      # either direction
    ("2026-08-14", "2026-08-16", "text", 3, None),   # a site-wide tolerance
    ("2026-08-14", "2026-08-16", "meta", 1, None),   # the date *is* the meta: nothing to compare
])
def test_date_conflict(visible, meta, source, tolerance, expected_days):
    a = art(publish_date=D(visible), meta_publish_date=D(meta), date_source=source)
    found = date_conflict(item(), [a], [], ctx(settings=AuditSettings(date_conflict_days=tolerance)))
    if expected_days is None:
        assert found == []
        return
    (f,) = found
    assert f.severity == "warn"
    assert f.details == {"url": a.url, "publish_date": visible, "meta_publish_date": meta,
                         "days": expected_days}


# --- content_missing ---------------------------------------------------------------------------

PDF = BASE + "files/doc.pdf"


@pytest.mark.parametrize("body, links, status, method, expected", [
    (BODY, (), {}, "全文发布", False),
    ("", (), {}, "全文发布", True),                                       # title-only page
    ("关于某事的通知", (), {}, "全文发布", True),                            # the title repeated
    ("版权所有 © 2026 某局 网站标识码：3310000021", (), {}, "全文发布", True),  # footer only
    ("一" * 19, (), {}, "全文发布", False),   # short but not empty passes (issue 10; default 1)
    ("一", (), {}, "全文发布", False),                                     # even one character
    ("", ((PDF, "附件"),), {}, "全文发布", False),                          # the text is the file
    ("", ((PDF, "附件"),), {PDF: 404}, "全文发布", True),                   # ... that answers 404
    ("", ((PDF, "附件"),), {PDF: 0}, "全文发布", True),                     # ... or not at all
    ("", (), {}, "摘要发布", False),                                       # not a full-text item
])
def test_content_missing(body, links, status, method, expected):
    a = art(body_text=body, links=links)
    found = content_missing(item(method=method), [a], [], ctx(link_status=status))
    assert bool(found) == expected
    if found:
        (f,) = found
        assert f.severity == "fail" and f.details["url"] == a.url
        assert ("无法打开" in f.message) == bool(status)


@pytest.mark.parametrize("kw", [
    {"url": BASE + "files/a.pdf"},           # an attachment listed directly
    {"fetched": False},                      # never fetched
    {"error": "timeout"},                    # not read
    {"title": "图解：某某办法"},               # an image page: its content is not text
    {"http_status": 404},                    # broken: broken_link says it
])
def test_content_missing_not_judged(kw):
    a = art(body_text="", **kw)
    assert content_missing(item(), [a], [], ctx()) == []


# --- validity_missing --------------------------------------------------------------------------

@pytest.mark.parametrize("validity, expected", [
    ("有效", False), ("失效", False), ("废止", False), ("已废止", False), ("部分失效", False),
    (None, True), ("", True), ("null", True), ("—", True),
])
def test_validity_missing(validity, expected):
    a = art(validity=validity)
    found = validity_missing(item(rules=Rules(validity_required=True)), [a], [], ctx())
    assert bool(found) == expected
    assert validity_missing(item(), [a], [], ctx()) == []  # only where required


# --- interpretation_missing --------------------------------------------------------------------

def _policy(published: str = "2026-11-16", **kw) -> Article:
    return art(title="临江市住房和城乡建设局关于印发《临江市某某管理办法》的通知",
               publish_date=D(published), doc_number="临住建规〔2026〕9号", **kw)


@pytest.mark.parametrize("as_of, expected_days", [
    # published Mon 11/16: 11/17 (1) 11/18 (2) 11/19 (3) 11/20 (4)
    ("2026-11-19", None),
    ("2026-11-20", 4),
])
def test_interpretation_missing_window(as_of, expected_days):
    p = _policy()
    it = item(rules=Rules(interpretation_missing_workdays=3))
    found = interpretation_missing(it, [p], [], ctx(as_of=D(as_of), all_articles=[p]))
    if expected_days is None:
        assert found == []
        return
    (f,) = found
    assert f.severity == "fail"
    assert f.details == {"url": p.url, "doc_number": "临住建规〔2026〕9号",
                         "publish_date": "2026-11-16", "working_days": expected_days,
                         "window_workdays": 3, "estimated": False}


def test_interpretation_found_in_another_item_by_link_or_title():
    p = _policy("2026-10-12")
    by_link = art("3.1", title="政策解读", publish_date=D("2026-10-13"),
                  links=((p.url, "相关文件：《临江市某某管理办法》"),))
    by_title = art("9.9", title="一图读懂《临江市住房和城乡建设局关于印发《临江市某某管理办法》的通知》",
                   publish_date=D("2026-10-14"))
    it = item(rules=Rules(interpretation_missing_workdays=3))
    for explainer in (by_link, by_title):
        assert interpretation_missing(it, [p], [], ctx(all_articles=[p, explainer])) == []
    # A policy page linking its own 解读 counts too.
    linked = replace(p, links=((by_link.url, "相关解读"),))
    other = replace(by_link, links=())
    assert interpretation_missing(it, [linked], [], ctx(all_articles=[linked, other])) == []


def test_interpretation_missing_skips_repealed_and_interpretations_themselves():
    it = item(rules=Rules(interpretation_missing_workdays=3))
    repealed = _policy("2025-01-06", validity="失效")
    own = art(title="《临江市某某管理办法》政策解读", publish_date=D("2025-01-06"))
    assert interpretation_missing(it, [repealed, own], [], ctx(all_articles=[repealed, own])) == []


def test_interpretation_missing_marks_estimated_counts():
    p = _policy("2027-03-01")  # 2027 has no official arrangement in our table
    it = item(rules=Rules(interpretation_missing_workdays=3))
    (f,) = interpretation_missing(it, [p], [], ctx(as_of=D("2027-03-15"), all_articles=[p]))
    assert f.details["estimated"] is True and "估算" in f.message


def test_publish_lag_marks_estimated_counts():
    a = art(written_date=D("2026-12-28"), publish_date=D("2027-02-26"))
    (f,) = publish_lag(item(rules=Rules(publish_lag_workdays=20)), [a], [],
                       ctx(as_of=D("2027-03-01")))
    assert f.details["estimated"] is True and "2027年尚无国务院放假安排" in f.message
    b = art(written_date=D("2026-09-01"), publish_date=D("2026-10-20"))
    (g,) = publish_lag(item(rules=Rules(publish_lag_workdays=20)), [b], [], ctx())
    assert g.details["estimated"] is False and "估算" not in g.message


# --- 年度报告 ---------------------------------------------------------------------------------

SECTIONS_TEXT = ("一、总体情况 2025年，本局认真贯彻落实条例。" * 5
                 + "二、主动公开政府信息情况 …三、收到和处理政府信息公开申请情况 …"
                 "四、政府信息公开行政复议、行政诉讼情况 …五、存在的主要问题及改进情况 …"
                 "六、其他需要报告的事项 本年度未收取信息处理费。" * 3)


@pytest.mark.parametrize("text, missing", [
    (SECTIONS_TEXT, []),
    (SECTIONS_TEXT.replace("五、存在的主要问题及改进情况", ""), ["存在的主要问题及改进情况"]),
    # spelling variants seen in real reports
    (SECTIONS_TEXT.replace("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况")
     .replace("存在的主要问题及改进情况", "存在的主要问题及其改进情况"), []),
    ("总 体 情 况", ["主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                 "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]),
])
def test_missing_sections(text, missing):
    assert missing_sections(text) == missing


def _report(year: int, published: str, body: str, **kw) -> Article:
    return art("16.1", title=f"临江市住房和城乡建设局{year}年政府信息公开工作年度报告",
               publish_date=D(published), body_text=body, **kw)


def test_annual_report_incomplete_judges_the_last_closed_year_only():
    it = item("16.1", rules=Rules(annual_report=True), name="政务公开组织管理")
    broken_text = SECTIONS_TEXT.replace("六、其他需要报告的事项", "")
    r2025 = _report(2025, "2026-01-20", broken_text)
    r2024 = _report(2024, "2025-01-20", broken_text)  # older years are history, not judged
    (f,) = annual_report_incomplete(it, [r2025, r2024], [], ctx())
    assert f.details == {"year": 2025, "url": r2025.url, "missing_sections": ["其他需要报告的事项"]}
    assert f.severity == "fail" and "国办公开办函〔2021〕30号" in f.message
    # A later re-publication (图解) does not replace the report itself.
    later = _report(2025, "2026-02-01", SECTIONS_TEXT)
    assert annual_report_incomplete(it, [later, r2025], [], ctx())[0].evidence == (r2025.url,)


@pytest.mark.parametrize("body, as_of", [
    ("详见附件。", "2026-11-20"),          # the report is an attachment: not judged
    (SECTIONS_TEXT[:10], "2026-11-20"),
    ("只有一段" * 80, "2021-06-01"),       # the 2020 report predates the uniform format
])
def test_annual_report_incomplete_not_judged(body, as_of):
    it = item("16.1", rules=Rules(annual_report=True), name="政务公开组织管理")
    year = D(as_of).year - 1
    r = _report(year, f"{year + 1}-01-20", body, links=((BASE + "f/report.pdf", "附件"),))
    assert annual_report_incomplete(it, [r], [], ctx(as_of=D(as_of))) == []


# --- stale by 检查指标 column class -------------------------------------------------------------

@pytest.mark.parametrize("klass, latest, expected", [
    ("dynamic", "2026-11-06", False),    # 14 days: passes
    ("dynamic", "2026-11-05", True),     # 15 days
    ("notice", "2026-05-24", False),     # 180 days
    ("notice", "2026-05-23", True),
    ("policy", "2026-05-23", True),
    ("personnel", "2025-11-20", False),  # 365 days
    ("personnel", "2025-11-19", True),
    ("plan", "2025-11-19", True),
])
def test_stale_column_classes(klass, latest, expected):
    column = Column(name="工作动态", url=BASE + "xwzx/gzdt/index.html", klass=klass)
    it = item("9.1", columns=(column,))  # no stale rule of its own: the class opts in
    found = stale(it, [art("9.1", publish_date=D(latest), column_url=column.url)], [], ctx())
    assert bool(found) == expected
    if found:
        assert found[0].details["class"] == klass and found[0].details["column_url"] == column.url


def test_site_changes_a_class_window():
    column = Column(name="工作动态", url=BASE + "xwzx/gzdt/index.html", klass="dynamic")
    it = item("9.1", columns=(column,))
    settings = AuditSettings(stale_windows=(("dynamic", 7),) + tuple(
        (k, v) for k, v in AuditSettings().stale_windows if k != "dynamic"))
    for latest, expected in (("2026-11-13", False), ("2026-11-12", True)):
        found = stale(it, [art("9.1", publish_date=D(latest))], [], ctx(settings=settings))
        assert bool(found) == expected and (not found or found[0].details["max_age_days"] == 7)


def test_stale_judges_each_column_of_an_item():
    news = Column(name="工作动态", url=BASE + "news/index.html", klass="dynamic")
    notices = Column(name="通知公告", url=BASE + "tzgg/index.html")
    it = item("9.1", rules=Rules(stale_days=180), columns=(news, notices))
    arts = [art("9.1", publish_date=D("2026-10-01"), column_url=news.url),
            art("9.1", publish_date=D("2026-11-19"), column_url=notices.url)]
    (f,) = stale(it, arts, [], ctx())
    assert f.details["column_url"] == news.url and f.details["max_age_days"] == 14


# --- 文号: exemptions and year-end ------------------------------------------------------------

def _docs(*numbers: str) -> list[Article]:
    return [art("2.1", doc_number=n, publish_date=D("2026-06-01")) for n in numbers]


@pytest.mark.parametrize("as_of, year, closed", [("2026-11-20", 2025, True),
                                                   ("2026-11-20", 2026, False)])
def test_gap_wording_and_year_end(as_of, year, closed):
    it = replace(item("2.1"), doc_series=("临住建发",))
    arts = _docs(*(f"临住建发〔{year}〕{n}号" for n in (1, 2, 4)))
    (f,) = doc_series(it, arts, [], ctx(as_of=D(as_of)))
    assert f.rule == "docno_gap" and "疑似缺号" in f.message and f.details["year_closed"] is closed
    assert f.details["missing"] == [3] and f.details["highest"] == 4
    assert ("无从得知" in f.message) is closed  # the tail of a closed year is not guessed


def test_exempt_numbers_are_not_reported_in_any_spelling():
    it = replace(item("2.1"), doc_series=("临住建发",), docno_exempt=("临住建发[2026]3号",))
    assert doc_series(it, _docs("临住建发〔2026〕1号", "临住建发〔2026〕2号", "临住建发〔2026〕4号"),
                      [], ctx()) == []


@given(st.sets(st.integers(min_value=1, max_value=40), min_size=1, max_size=25),
       st.sets(st.integers(min_value=1, max_value=40), max_size=10))
def test_exemptions_only_ever_remove_gaps(seen, exempt):
    entries = [(f"临住建发〔2026〕{n}号", f"u{n}") for n in seen]
    exempt_numbers = [f"临住建发〔2026〕{n}号" for n in exempt]
    analysis = analyse_doc_numbers(entries, ["临住建发"], exempt_numbers)
    reported = {n for g in analysis.gaps for n in g.missing}
    complement = set(range(min(seen), max(seen) + 1)) - seen
    assert reported == complement - exempt


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31)),
       st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31)))
def test_estimated_exactly_when_a_year_without_notice_is_touched(a, b):
    start, end = min(a, b), max(a, b)
    touched = {date.fromordinal(n).year for n in range(start.toordinal() + 1, end.toordinal() + 1)}
    official = CAL.arrangements.keys() | package_official_years()  # 2023: the package's table
    expected = sorted(y for y in touched if y not in official)
    assert CAL.estimated_years(start, end) == expected


# --- config: classes, site thresholds, derived duties, placeholders -------------------------

def _config(extra_site: str = "", column: str = '{name: "动态", url: "a/index.html"}',
            items: str = "") -> str:
    return f"""
site:
  name: 测试局
  base_url: "http://127.0.0.1:8000/"
{extra_site}
items:
  - id: "2.2"
    category: 政策文件
    name: 规范性文件
    deadline: 实时更新
    method: 全文发布
    columns: [{column}]
  - id: "3.1"
    category: 政策解读
    name: 政策解读
    deadline: 政策文件公开后的3个工作日之内更新。
    columns: [{{name: "解读", url: "b/index.html"}}]
{items}
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "columns.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_config_column_class_and_derived_policy_duties(tmp_path):
    config = _load(tmp_path, _config(column='{name: "动态", url: "a/index.html", class: dynamic}'))
    normative = config.item("2.2")
    assert normative.columns[0].klass == "dynamic"
    assert normative.rules.validity_required and normative.rules.interpretation_missing_workdays == 3
    assert not config.item("3.1").rules.validity_required
    assert any("解读" in line for line in normative.rules.describe())


def test_config_site_audit_thresholds(tmp_path):
    config = _load(tmp_path, _config(extra_site="""  audit:
    stale_windows: {dynamic: 7}
    veto: {empty_columns: 3}
    date_conflict_days: 0
    interpretation_workdays: 5"""))
    s = config.site.audit
    assert s.window("dynamic") == 7 and s.window("notice") == 180
    assert (s.veto_empty_columns, s.veto_stale_columns, s.date_conflict_days) == (3, 10, 0)
    assert config.item("2.2").rules.interpretation_missing_workdays == 5


@pytest.mark.parametrize("site, column, needle", [
    ("", '{name: "x", url: "a/index.html", class: news}', "unknown column class"),
    ("  audit: {stale_windows: {news: 3}}", '{name: "x", url: "a/index.html"}', "site.audit.stale_windows.news"),
    ("  audit: {veto: {blank: 3}}", '{name: "x", url: "a/index.html"}', "site.audit.veto"),
    ("  audit: {date_conflict_days: -1}", '{name: "x", url: "a/index.html"}', "date_conflict_days"),
    ("  audit: {colour: red}", '{name: "x", url: "a/index.html"}', "site.audit.colour"),
    ("", '{name: "x", url: "待填写"}', "still '待填写'"),
])
def test_config_errors_name_the_key(tmp_path, site, column, needle):
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(")):
        _load(tmp_path, _config(extra_site=site, column=column))


def test_explicit_rules_keep_their_duties():
    data = {"site": {"name": "x", "base_url": "http://127.0.0.1:8000/"},
            "items": [{"id": "2.2", "name": "规范性文件", "columns": ["a.html"],
                       "rules": {"validity_missing": True, "interpretation_missing": {"workdays": 5}}},
                      {"id": "2.3", "name": "规范性文件清理结果", "columns": ["b.html"], "rules": {}}]}
    config = parse_config(data)
    assert config.item("2.2").rules == Rules(validity_required=True,
                                             interpretation_missing_workdays=5)
    assert config.item("2.3").rules == Rules()


def test_shipped_catalog_classes_and_exemptions_mirror_the_demo():
    """columns.yaml and the demo's declarations agree on column classes and 不予公开 numbers."""
    from zwgk.demosite.data import COLUMNS

    config = load_config(REPO / "mapping" / "columns.yaml")
    for spec in COLUMNS:
        if spec.item_id is None:
            continue
        it = config.item(spec.item_id)
        assert it.columns[0].klass == spec.column_class, spec.item_id
        assert it.docno_exempt == spec.docno_exempt, spec.item_id


# --- veto tallies and unit scores --------------------------------------------------------------

def _result(item_id: str, units, *findings) -> dict:
    return {"id": item_id, "name": item_id, "units": list(units), "status": "fail",
            "findings": [{"rule": r, "severity": sev, "details": details, "message": "",
                          "evidence": []} for r, sev, details in findings]}


@pytest.mark.parametrize("empty, stale_n, classes, triggered", [
    (4, 0, (), set()),
    (5, 0, (), {"empty_columns"}),
    (0, 9, (), set()),
    (0, 10, (), {"stale_columns"}),
    (0, 4, ("dynamic", "notice", "policy", "dynamic"), set()),
    (0, 5, ("dynamic", "notice", "policy", "dynamic", "notice"), {"dynamic_policy_stale"}),
    (0, 5, ("dynamic", "notice", "policy", "dynamic", "personnel"), set()),
])
def test_veto_tallies_at_their_thresholds(empty, stale_n, classes, triggered):
    results = [_result(f"e{i}", ["甲"], ("empty_column", "fail", {})) for i in range(empty)]
    results += [_result(f"s{i}", ["乙"], ("stale", "fail", {"class": (classes + (None,) * 10)[i]}))
                for i in range(stale_n)]
    tally = veto_tally(results, AuditSettings())
    assert {c["id"] for c in tally["checks"] if c["triggered"]} == triggered
    assert tally["would_fail"] == bool(triggered)
    assert ("本网站将被单项否决" in tally["message"]) == bool(triggered)
    lowered = veto_tally(results, AuditSettings(veto_empty_columns=1, veto_stale_columns=1))
    assert lowered["would_fail"] == bool(empty or stale_n)


def test_unit_scores_formula():
    results = [
        _result("2.1", ["办公室", "发文科室"], ("stale", "fail", {}), ("stale", "fail", {}),
                ("broken_link", "warn", {}), ("broken_link", "warn", {}), ("broken_link", "warn", {})),
        _result("13.1", ["住房保障科"], *[("broken_link", "warn", {})] * 25),
        _result("12.1", [], ("date_future", "fail", {})),
        _result("1.1", ["人事科"]),
    ]
    units = {u["unit"]: u for u in unit_scores(results, AuditSettings())}
    assert units["办公室"]["score"] == units["发文科室"]["score"] == 100 - 2 * 5 - 3 * 0.5
    assert units["住房保障科"]["score"] == 100 - DEDUCTIONS["broken_link"].cap  # capped at 10
    assert units["（未指定责任单位）"]["veto"] and units["（未指定责任单位）"]["status"] == "fail"
    assert units["人事科"] == {**units["人事科"], "score": 100.0, "status": "pass", "veto": False,
                             "deductions": []}
    assert [u["unit"] for u in unit_scores(results, AuditSettings())][0] == "（未指定责任单位）"


def test_a_unit_reaching_a_veto_count_alone_is_vetoed():
    results = [_result(f"{i}.1", ["村镇科"], ("empty_column", "fail", {})) for i in range(5)]
    (u,) = unit_scores(results, AuditSettings())
    assert u["veto"] and u["status"] == "fail" and "空白栏目5个" in u["veto_reasons"]
    assert u["score"] == 100 - 5 * DEDUCTIONS["empty_column"].points == 75.0


def test_every_rule_has_a_deduction():
    from zwgk.audit.findings import RULES

    assert set(DEDUCTIONS) == set(RULES)


def test_run_audit_sees_issue_5_rules_end_to_end(tmp_path):
    """The engine wires the new rules: site settings and 解读 items reach them."""
    from zwgk.audit.engine import run_audit

    config = _load(tmp_path, _config())
    col22, col31 = config.item("2.2").columns[0].url, config.item("3.1").columns[0].url
    policy = Article(url=BASE + "p.html", item_id="2.2", column_url=col22, title="某某办法",
                     publish_date=D("2026-11-02"), validity="有效", body_text=BODY)
    lonely = Article(url=BASE + "q.html", item_id="2.2", column_url=col22, title="另一办法",
                     publish_date=D("2026-11-02"), body_text=BODY)
    interp = Article(url=BASE + "i.html", item_id="3.1", column_url=col31, title="政策解读",
                     publish_date=D("2026-11-03"), body_text=BODY, links=((policy.url, "《某某办法》"),))
    fetches = [ColumnFetch("2.2", col22, 200, entries=2), ColumnFetch("3.1", col31, 200, entries=1)]
    by_id = {r.item_id: r for r in run_audit(config, [policy, lonely, interp], fetches, AS_OF, CAL)}
    rules = sorted(f.rule for f in by_id["2.2"].findings)
    assert rules == ["interpretation_missing", "validity_missing"]
    assert all(f.evidence == (lonely.url,) for f in by_id["2.2"].findings)
    assert by_id["3.1"].findings == ()


def test_docs_name_every_rule_and_the_deductions_the_code_uses():
    """docs/rules.md is the auditor's reference: it must not drift from the code."""
    import re

    from zwgk.audit.findings import RULES

    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\w+) — ", text, re.MULTILINE))
    assert headings == set(RULES)
    cells = re.findall(r"\| (\w+) \| ([\d.]+) \| (\d+) \|", text)
    documented = {rule: (float(points), float(cap)) for rule, points, cap in cells}
    assert documented == {r: (d.points, d.cap) for r, d in DEDUCTIONS.items()}


def test_findings_cite_the_catalog_deadline_or_the_config_that_set_the_threshold():
    a = art(written_date=D("2026-09-01"), publish_date=D("2026-10-20"))
    derived = replace(item(rules=Rules(publish_lag_workdays=20)), deadline="20个工作日内发布")
    (f,) = publish_lag(derived, [a], [], ctx())
    assert f.to_json()["source"] == ("责任分工公开时限“20个工作日内发布”；"
                                     "《政府信息公开条例》第二十六条（20个工作日内公开）")
    explicit = replace(derived, rules=Rules(publish_lag_workdays=10))
    (g,) = publish_lag(explicit, [a], [], ctx())
    assert g.to_json()["source"].startswith("columns.yaml 中事项 2.2 的 rules 配置")
    column = Column(name="通知公告", url=BASE + "tzgg/index.html", klass="notice")
    (h,) = stale(item("9.1", columns=(column,)), [art("9.1", publish_date=D("2026-01-01"))], [], ctx())
    assert "国办秘函〔2019〕19号" in h.to_json()["source"] and "通知公告类栏目180天" in h.to_json()["source"]


def test_per_series_exemptions_in_config():
    data = {"site": {"name": "x", "base_url": "http://127.0.0.1:8000/"},
            "items": [{"id": "2.1", "name": "部门文件", "columns": ["a.html"], "deadline": "实时更新",
                       "doc_series": ["临住建发"],
                       "docno_exempt": {"临住建发〔2024〕": [7, "12-14"], "临住建办发〔2025〕": 3}}]}
    it = parse_config(data).item("2.1")
    assert it.docno_exempt == ("临住建发〔2024〕7号", "临住建发〔2024〕12号", "临住建发〔2024〕13号",
                               "临住建发〔2024〕14号", "临住建办发〔2025〕3号")
    arts = [art("2.1", doc_number=f"临住建发〔2024〕{n}号", publish_date=D("2024-12-01"))
            for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 15)]
    assert doc_series(it, arts, [], ctx()) == []
    for bad in ({"临住建发": [1]}, {"临住建发〔2024〕": ["9-3"]}, {"临住建发〔2024〕": [0]}):
        with pytest.raises(ConfigError, match="docno_exempt"):
            parse_config({**data, "items": [{**data["items"][0], "docno_exempt": bad}]})
