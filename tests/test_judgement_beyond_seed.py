"""Issue 10: judgement that holds beyond the seed — 文号 forms, the audit window, forwarded and
cross-posted documents, annual report titles and due dates, the calendar flag, 公开方式.

Each case is an ordinary real-world document the seed never showed; every expectation is written
out by hand.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from zwgk.audit.catalog import AuditSettings, Column, Item, Rules
from zwgk.audit.docnumbers import analyse_doc_numbers
from zwgk.audit.model import Article
from zwgk.audit.rules import AuditContext, normalize_url
from zwgk.audit.rules.annual import annual_report_late, report_year
from zwgk.audit.rules.dates import date_future
from zwgk.audit.rules.docseries import doc_series
from zwgk.audit.rules.documents import content_missing, interpretation_missing
from zwgk.audit.rules.lag import publish_lag
from zwgk.audit.rules.periods import Period, missed_periods
from zwgk.audit.workdays import WorkCalendar
from zwgk.crawler.extract import docnumber as extract_docnumber
from zwgk.grammar.docnumber import parse_doc_number, parse_doc_numbers

CAL = WorkCalendar()
BASE = "http://127.0.0.1:8000/"
AS_OF = date(2026, 11, 20)
BODY = "为进一步做好相关工作，现将有关事项通知如下。一、总体要求。二、工作措施。三、保障措施。"


def D(text: str) -> date:
    return date.fromisoformat(text)


def item(doc_series=("临交发",), rules=Rules(), method="全文发布", kind="policy") -> Item:
    return Item(id="2.1", category="文件发布", name="本级发文", content="", deadline="",
                units=("办公室",), columns=(Column(name="文件", url=BASE + "wj/index.html"),),
                rules=rules, doc_series=tuple(doc_series), method=method, kind=kind)


_n = iter(range(100_000))


def art(**kw) -> Article:
    kw.setdefault("url", f"{BASE}art/{next(_n)}.html")
    kw.setdefault("column_url", BASE + "wj/index.html")
    kw.setdefault("item_id", "2.1")
    kw.setdefault("body_text", BODY)
    return Article(**kw)


def ctx(articles=(), since=None, level="department", as_of=AS_OF) -> AuditContext:
    return AuditContext(as_of=as_of, calendar=CAL, all_articles=tuple(articles),
                        settings=AuditSettings(since=since), agency_level=level)


# --- one 文号 grammar ------------------------------------------------------------------------

@pytest.mark.parametrize("text, written, parsed", [
    ("国办发〔96〕25号", None, [("国办发", 1996, 25, False)]),          # as-of 2026: not 2096
    ("国办发〔96〕25号", D("1996-05-01"), [("国办发", 1996, 25, True)]),
    ("临交发〔25〕3号", D("2025-03-01"), [("临交发", 2025, 3, True)]),
    ("临住建发〔2025〕2号、临财发〔2025〕3号", None,
     [("临住建发", 2025, 2, True), ("临财发", 2025, 3, True)]),
    ("临住建发〔2025〕2号，临财发〔2025〕3号", None,
     [("临住建发", 2025, 2, True), ("临财发", 2025, 3, True)]),
    ("县交通运输局公告2025年第12号", None, [("县交通运输局公告", 2025, 12, True)]),
    ("2025年第12号", None, [("", 2025, 12, True)]),
    ("临交发〔2025〕12号文", None, [("临交发", 2025, 12, True)]),
    ("临交发〔2025〕12号（签发人：张三）", None, [("临交发", 2025, 12, True)]),
    ("临交发〔2025〕12号 签发人：张三", None, [("临交发", 2025, 12, True)]),
    ("临交发【2025】12号", None, [("临交发", 2025, 12, True)]),
    ("临交发(2025)12号", None, [("临交发", 2025, 12, True)]),
])
def test_doc_number_forms(text, written, parsed):
    docs = parse_doc_numbers(text, written=written, reference=AS_OF.year)
    assert [(d.prefix, d.year, d.number, d.year_certain) for d in docs] == parsed


def test_announcement_and_noise_forms_are_not_format_faults():
    assert parse_doc_number("县交通运输局公告2025年第12号").well_formed
    assert parse_doc_number("临交发〔2025〕12号文").well_formed
    assert parse_doc_number("临交发〔2025〕12号（签发人：张三）").well_formed
    assert not parse_doc_number("临交发【2025】12号").well_formed


@pytest.mark.parametrize("value", [
    "临住建发〔2025〕2号、临财发〔2025〕3号",
    "临交发〔2025〕12号",
])
def test_extractor_keeps_the_number_as_printed(value):
    """The crawler finds with the same grammar and keeps every number of a joint document."""
    assert extract_docnumber.clean_labelled(value) == value
    assert extract_docnumber.on_own_line(value) == value


def test_two_digit_year_is_never_corrected_without_a_written_date():
    it = item(doc_series=())
    a = art(doc_number="国办发〔96〕25号", publish_date=D("2026-03-02"), title="转发文件")
    (f,) = doc_series(it, [a], [], ctx([a]))
    assert f.rule == "docno_format" and "更正为" not in f.message and "2096" not in f.message


def test_joint_number_counts_in_each_series_and_is_no_gap():
    entries = [("临交发〔2026〕1号", "a"), ("临交发〔2026〕2号、临财发〔2026〕7号", "b"),
               ("临交发〔2026〕3号", "c")]
    analysis = analyse_doc_numbers(entries, ["临交发", "临财发"])
    assert analysis.gaps == () and analysis.duplicates == ()
    assert set(analysis.series) == {("临交发", 2026), ("临财发", 2026)}


# --- the audit window and forwarded documents ------------------------------------------------

def test_window_spares_old_documents_republished():
    old = art(doc_number="临交发〔1996〕3号", written_date=D("1996-02-01"),
              publish_date=D("2024-06-03"), title="旧文件")
    new = art(doc_number="临交发〔2026〕1号", written_date=D("2026-01-05"),
              publish_date=D("2026-03-02"), title="新文件")
    it = item(rules=Rules(publish_lag_workdays=20, interpretation_missing_workdays=3))
    found = publish_lag(it, [old, new], [], ctx([old, new]))
    assert [f.evidence for f in found] == [(new.url,)]  # 2025-01-01 is the default start
    assert publish_lag(it, [old, new], [], ctx([old, new], since=D("2024-01-01")))[0].evidence \
        == (old.url,)
    missing = interpretation_missing(it, [old, new], [], ctx([old, new]))
    assert [f.evidence for f in missing] == [(new.url,)]


def test_forwarded_documents_are_not_the_items_to_answer_for():
    forwarded = art(doc_number="国办发[2025]25号", written_date=D("2025-03-01"),
                    publish_date=D("2026-05-06"), title="转发国务院办公厅文件")
    own = art(doc_number="临交发〔2026〕1号", written_date=D("2026-04-01"),
              publish_date=D("2026-04-03"), title="本局文件")
    it = item(rules=Rules(publish_lag_workdays=20))
    assert publish_lag(it, [forwarded, own], [], ctx()) == []
    assert doc_series(it, [forwarded, own], [], ctx()) == []


# --- one document, one identity --------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("http://gov.example.cn/a/b.html", "https://gov.example.cn/a/b.html"),
    ("http://www.gov.example.cn/a/", "http://gov.example.cn/a/index.html"),
    ("http://gov.example.cn/l.php?b=2&a=1", "http://gov.example.cn/l.php?a=1&b=2"),
    ("http://gov.example.cn/a/b.html#top", "http://GOV.example.cn/a/b.html"),
])
def test_one_url_identity(a, b):
    assert normalize_url(a) == normalize_url(b)


def test_cross_posted_document_is_no_duplicate():
    one = art(doc_number="临交发〔2026〕4号", publish_date=D("2026-05-06"),
              title="关于做好春运工作的通知", url=BASE + "wj/a.html")
    two = art(doc_number="临交发〔2026〕4号", publish_date=D("2026-05-06"),
              title="关于做好 春运工作的通知", url=BASE + "tzgg/b.html")
    other = art(doc_number="临交发〔2026〕4号", publish_date=D("2026-05-07"),
                title="关于开展安全检查的通知", url=BASE + "wj/c.html")
    assert doc_series(item(), [one, two], [], ctx()) == []
    assert [f.rule for f in doc_series(item(), [one, two, other], [], ctx())] == ["docno_duplicate"]


# --- future dates ----------------------------------------------------------------------------

def test_a_preview_list_date_is_not_a_forged_date():
    """A 会议预告 lists the meeting day; its page shows the (earlier) publish date."""
    preview = art(list_date=D("2026-12-03"), publish_date=D("2026-11-18"), date_source="text",
                  title="关于召开全县交通运输工作会议的预告")
    assert date_future(item(), [preview], [], ctx()) == []
    forged = art(list_date=D("2026-12-03"), publish_date=D("2026-12-03"), date_source="text")
    assert [f.rule for f in date_future(item(), [forged], [], ctx())] == ["date_future"]


# --- annual report ---------------------------------------------------------------------------

@pytest.mark.parametrize("title, year", [
    ("青山县交通运输局2025年政府信息公开工作年度报告", 2025),
    ("青山县交通运输局2025年政府信息公开年度报告", 2025),
    ("青山县交通运输局政府信息公开工作2025年度报告", 2025),
    ("青山县人民政府2025年度政府信息公开工作报告", 2025),
    ("关于印发2025年政务公开工作要点的通知", None),
])
def test_annual_report_titles(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("level, published, late", [
    ("department", "2026-01-30", False),
    ("department", "2026-02-10", True),
    ("government", "2026-03-31", False),
    ("government", "2026-04-01", True),
])
def test_annual_report_due_by_agency_level(level, published, late):
    it = replace(item(kind="annual_report"), rules=Rules(annual_report=True))
    report = art(title="青山县2025年政府信息公开年度报告", publish_date=D(published))
    found = annual_report_late(it, [report], [], ctx(level=level))
    assert bool(found) == late


# --- calendar --------------------------------------------------------------------------------

def test_years_the_holidays_package_transcribes_are_not_estimated():
    assert not CAL.is_estimated(2023)  # 调休 2023-01-28 (Sat) is a working day in the package
    assert CAL.is_workday(D("2023-01-28"))
    assert CAL.is_estimated(2027)      # no official arrangement yet


# --- 公开方式 and content -------------------------------------------------------------------------

@pytest.mark.parametrize("method, judged", [("", True), ("全文发布", True), ("依申请公开", False),
                                            ("全文发布（依申请）", False)])
def test_method_absent_means_full_text(method, judged):
    empty = art(title="某某公示", body_text="某某公示", publish_date=D("2026-05-06"))
    found = content_missing(item(method=method), [empty], [], ctx())
    assert bool(found) == judged


# --- period labels ---------------------------------------------------------------------------

def test_half_year_periods_and_grace():
    assert Period.of(D("2026-05-01"), "halfyear").label == "2026-H1"
    assert Period.of(D("2026-07-01"), "halfyear").label == "2026-H2"
    dates = [D("2025-03-01")]
    assert [p.label for p in missed_periods(dates, "halfyear", D("2026-07-05"))] == \
        ["2025-H2", "2026-H1"]
    # "每季度结束后15日内": Q3 ends 9-30 and is judged only after 10-15.
    q = [D("2026-05-01")]
    assert [p.label for p in missed_periods(q, "quarter", D("2026-10-15"), 15)] == []
    assert [p.label for p in missed_periods(q, "quarter", D("2026-10-16"), 15)] == ["2026-Q3"]


def test_short_but_not_empty_passes():
    short = art(title="关于某某的公示", body_text="关于某某的公示\n公示期5天。\n联系电话：1234567",
                publish_date=D("2026-05-06"))
    assert content_missing(item(), [short], [], ctx()) == []


ROSTER = """<html><head><title>关于2026年度困难群众救助名单的公示</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">政务公开</a></div>
<h1>关于2026年度困难群众救助名单的公示</h1><div>发布日期：2026-05-06</div>
<div class="content"><table><tr><th>姓名</th><th>金额</th></tr><tr><td>张某</td><td>1200元</td></tr>
<tr><td>李某</td><td>800元</td></tr><tr><td>王某</td><td>950元</td></tr></table></div>
<div class="footer">版权所有 某某县人民政府 网站标识码 3310000021</div></body></html>"""


def test_a_roster_table_is_the_body_not_missing_content():
    """A 公示 whose body is a table of names and amounts: the short cells are its text."""
    from zwgk.crawler.extract.core import extract_article

    fields = extract_article(ROSTER, BASE + "gs/1.html", as_of=AS_OF)
    assert "张某" in fields.body_text and "950元" in fields.body_text
    page = art(title=fields.title, body_text=fields.body_text, publish_date=D("2026-05-06"))
    assert content_missing(item(), [page], [], ctx()) == []
