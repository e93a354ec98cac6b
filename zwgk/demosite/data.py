"""What the demo bureau publishes: one declaration per column, its list style and its articles.

Why one table: the generator (``site``) renders these declarations and the ground truth
(``truth``) derives every seeded defect from the very same records, so the two cannot drift.
Dates are ISO strings to keep the table short; everything else (URLs, ids, bodies, sidebars) is
derived deterministically by ``site``.

The seeded defects of the spec live here and only here; each carries a ``# DEFECT`` comment.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SITE_NAME = "临江市住房和城乡建设局"
DEMO_AS_OF = date(2026, 11, 20)

# List styles (see docs/demo-site.md): the URL pattern of each column assigns one.
TRS = "trs"            # index.html, index_1.html … announced by createPageHTML()
HANWEB = "hanweb"      # col/colNNNN/index.html with an embedded <datastore> + dataproxy.jsp
QUERY = "query"        # hdjl/list.php?catid=N&page=M tables
NEXTLINK = "nextlink"  # index.html, list_2.html … chained by 下一页 links

PAGE_SIZE = {TRS: 10, QUERY: 10, NEXTLINK: 10, HANWEB: 15}

# Article-page variants: each shows its publish date through one kind of evidence only, the way
# some real CMS templates do, so every extractor (and every fault it must survive) is exercised by
# the crawl. They sit on old articles of columns without deadline rules (1.1, 1.2, 8.2, 12.1) or
# in the middle of a column (15.1), so no audit finding changes. docs/extraction.md lists them.
PAGE_META_12H = "meta_12h"          # TRS, no visible date; PubDate "4/8/2025 3:15:00 PM" -> meta
PAGE_META_NULL = "meta_null"        # TRS, no visible date; PubDate "null" -> the URL's t20250408
PAGE_META_EMPTY = "meta_empty"      # TRS, PubDate "" and the usual visible 发布时间 -> text
PAGE_URL_ONLY = "url_only"          # Hanweb, no meta date, no info table, no visible date -> URL
PAGE_DL_TABLE = "dl_table"          # query, info table as <dl><dt>成文日期：</dt><dd>… -> infotable
PAGE_DIV_TABLE = "div_table"        # query, info table as label/value <div>s, "发 布 日 期：" -> infotable
PAGE_TIME_LABEL = "time_label"      # 下一页 style, "时间：2025-10-10" instead of "日期：" -> text
PAGE_ENGLISH_DATE = "english_date"  # query, only "14 November 2025" under the title -> dateparser
PAGE_UNDATED = "undated"            # query, no date on the page nor on the list -> undated
# Variants of the demo of another domain (demosite.education, issue 10):
PAGE_NO_DATE = "no_date"            # query/nextlink: the page shows no date, its list does
PAGE_FRAME = "frame"                # the body is an <iframe> of another page: not locatable


@dataclass(frozen=True)
class ArticleSpec:
    published: str                 # the visible 发布日期
    title: str
    written: str | None = None     # 成文日期 (Hanweb info table, nextlink <dl>); None = not shown
    doc_number: str | None = None  # 文号 exactly as printed
    validity: str = "有效"          # 有效性 in the Hanweb info table
    meeting: str | None = None     # 5.1: the date the meeting took place
    policy: str | None = None      # 3.1: 文号 of the interpreted policy (a 2.1/2.2 article)
    meta_pubdate: str | None = None  # a <meta name="PubDate"> disagreeing with the visible date
    broken: bool = False           # listed, but the article page answers 404
    page: str | None = None        # an article-page variant exercising one extractor (PAGE_* below)
    body: bool = True              # False: a title-only page (no body text, no attachment)
    omitted_sections: tuple[str, ...] = ()  # 年度报告: parts of the uniform format left out
    inspection: str | None = None  # a 检查指标自查 case appended to the body (demosite.inspection)
    list_date: str | None = None   # the date lists show, when not the 发布日期 (a 预告's meeting day)
    attachment: str | None = None  # file name of an attachment linked under the body (a PDF)


@dataclass(frozen=True)
class ColumnSpec:
    item_id: str | None            # catalog item (None: a site column outside the catalog)
    url: str                       # first list page, relative to the site root
    style: str
    name: str
    kind: str                      # body template (see site._BODY)
    articles: tuple[ArticleSpec, ...] = ()
    gbk: bool = False              # served in GBK, declared gb2312, no charset in the header
    status: int = 200              # every list page answers this status
    # Deadline rules mirrored from the catalog's 公开时限 (tests check them against columns.yaml).
    lag_workdays: int | None = None
    stale_days: int | None = None
    period: str | None = None      # year | quarter | month
    meeting_days: int | None = None
    interp_workdays: int | None = None
    annual_report: bool = False
    # Mirrored from columns.yaml too: the column's 检查指标 class, the item's known 不予公开 文号.
    column_class: str | None = None
    docno_exempt: tuple[str, ...] = ()


def _a(published: str, title: str, **kw: object) -> ArticleSpec:
    return ArticleSpec(published, title, **kw)  # type: ignore[arg-type]


def _doc(number: str, written: str, published: str, title: str, **kw: object) -> ArticleSpec:
    return ArticleSpec(published, title, written=written, doc_number=number, **kw)  # type: ignore[arg-type]


def _written_before(published: str, days: int) -> str:
    return (date.fromisoformat(published) - timedelta(days=days)).isoformat()


_CN_Q = "一二三四"


# --- 2.1 部门文件: 30 documents in the series 临住建发 and 临住建办发 ---------------------------
_DEPT_DOCS = (
    _doc("临住建发〔2025〕1号", "2025-01-08", "2025-01-13", "临江市住房和城乡建设局关于印发《2025年全市住房和城乡建设工作要点》的通知"),
    _doc("临住建办发〔2025〕1号", "2025-01-20", "2025-01-24", "临江市住房和城乡建设局办公室关于做好2025年春节期间根治欠薪工作的通知"),
    _doc("临住建发〔2025〕2号", "2025-02-17", "2025-02-20", "临江市住房和城乡建设局关于做好2025年城镇老旧小区改造工作的通知"),
    _doc("临住建发〔2025〕3号", "2025-03-10", "2025-03-14", "临江市住房和城乡建设局关于开展建筑施工安全生产治本攻坚三年行动的实施意见"),
    _doc("临住建办发〔2025〕2号", "2025-03-25", "2025-03-28", "临江市住房和城乡建设局办公室关于印发《2025年政务公开工作要点》的通知"),
    _doc("临住建发〔2025〕4号", "2025-04-15", "2025-04-22", "临江市住房和城乡建设局关于进一步加强住宅工程质量潜在缺陷保险管理的通知"),
    _doc("临住建发〔2025〕5号", "2025-05-20", "2025-05-27", "临江市住房和城乡建设局关于印发《临江市城市燃气安全专项整治工作方案》的通知"),
    _doc("临住建办发〔2025〕3号", "2025-06-09", "2025-06-13", "临江市住房和城乡建设局办公室关于做好2025年汛期房屋建筑和市政工程防汛工作的通知"),
    _doc("临住建发〔2025〕6号", "2025-07-03", "2025-07-10", "临江市住房和城乡建设局关于加快推进保障性租赁住房建设的实施意见"),
    _doc("临住建办发〔2025〕4号", "2025-08-18", "2025-08-22", "临江市住房和城乡建设局办公室关于开展物业服务质量提升专项行动的通知"),
    _doc("临住建发〔2025〕7号", "2025-09-05", "2025-09-12", "临江市住房和城乡建设局关于开展2025年度建筑市场和工程质量安全大检查的通知"),
    _doc("临住建办发〔2025〕5号", "2025-10-13", "2025-10-17", "临江市住房和城乡建设局办公室关于开展城镇燃气用户安全检查的通知"),
    _doc("临住建发〔2025〕8号", "2025-11-10", "2025-11-14", "临江市住房和城乡建设局关于做好2025—2026年度冬季建筑施工安全工作的通知"),
    # Not a defect: 临住建办发〔2025〕6号 was not published (不予公开) and is exempt in columns.yaml.
    _doc("临住建办发〔2025〕7号", "2025-12-08", "2025-12-12", "临江市住房和城乡建设局办公室关于做好2026年元旦春节期间安全生产工作的通知"),
    _doc("临住建发〔2026〕1号", "2026-01-12", "2026-01-16", "临江市住房和城乡建设局关于印发《2026年全市住房和城乡建设工作要点》的通知"),
    _doc("临住建办发〔2026〕1号", "2026-01-26", "2026-01-30", "临江市住房和城乡建设局办公室关于做好2026年春节前后农民工工资支付工作的通知"),
    _doc("临住建发〔2026〕2号", "2026-02-03", "2026-02-09", "临江市住房和城乡建设局关于推进城市更新行动的实施意见"),
    _doc("临住建发〔2026〕3号", "2026-03-09", "2026-03-13", "临江市住房和城乡建设局关于印发《临江市住宅小区电动自行车充电设施建设导则》的通知"),
    _doc("临住建办发〔2026〕2号", "2026-03-23", "2026-03-27", "临江市住房和城乡建设局办公室关于印发《2026年政务公开工作要点》的通知"),
    _doc("临住建发〔2026〕4号", "2026-04-07", "2026-04-13", "临江市住房和城乡建设局关于进一步规范房地产经纪服务的通知"),
    # DEFECT docno_gap: 临住建发〔2026〕5号 is never published.
    _doc("临住建办发〔2026〕3号", "2026-05-11", "2026-05-15", "临江市住房和城乡建设局办公室关于开展2026年安全生产月活动的通知"),
    _doc("临住建发〔2026〕6号", "2026-05-18", "2026-05-22", "临江市住房和城乡建设局关于加强建设工程消防设计审查验收管理的通知"),
    # DEFECT docno_duplicate: a second, different document numbered 临住建办发〔2026〕3号.
    _doc("临住建办发〔2026〕3号", "2026-06-01", "2026-06-05", "临江市住房和城乡建设局办公室关于做好2026年汛期安全防范工作的通知"),
    _doc("临住建发〔2026〕7号", "2026-06-15", "2026-06-22", "临江市住房和城乡建设局关于印发《临江市房屋安全管理办法实施细则》的通知"),
    # DEFECT docno_format: square brackets instead of 六角括号 (still number 8 of the series).
    _doc("临住建发[2026]8号", "2026-07-06", "2026-07-10", "临江市住房和城乡建设局关于开展既有建筑幕墙安全排查的通知"),
    _doc("临住建发〔2026〕9号", "2026-08-10", "2026-08-14", "临江市住房和城乡建设局关于加快推进城市地下管网改造的通知"),
    _doc("临住建办发〔2026〕4号", "2026-08-24", "2026-08-28", "临江市住房和城乡建设局办公室关于开展住宅小区物业服务质量星级评定工作的通知"),
    _doc("临住建发〔2026〕11号", "2026-09-14", "2026-09-18", "临江市住房和城乡建设局关于做好2026年中秋国庆期间建筑施工安全工作的通知"),
    # DEFECT publish_lag: written 2026-09-01, published 2026-10-20 (31 working days).
    _doc("临住建发〔2026〕10号", "2026-09-01", "2026-10-20", "临江市住房和城乡建设局关于印发《临江市房屋市政工程安全生产标准化工作方案》的通知"),
    _doc("临住建发〔2026〕12号", "2026-10-19", "2026-10-23", "临江市住房和城乡建设局关于印发《临江市保障性住房配售管理办法》的通知"),
)

# --- 2.2 规范性文件 (临住建规) -----------------------------------------------------------------
_NORMATIVE_DOCS = (
    _doc("临住建规〔2024〕1号", "2024-03-11", "2024-03-18", "临江市住房和城乡建设局关于印发《临江市住宅专项维修资金管理办法》的通知", validity="失效"),
    # DEFECT interpretation_missing: in force, and no 解读 anywhere on the site.
    _doc("临住建规〔2024〕2号", "2024-09-02", "2024-09-09", "临江市住房和城乡建设局关于印发《临江市建筑垃圾管理实施细则》的通知"),
    _doc("临住建规〔2025〕1号", "2025-02-24", "2025-03-03", "临江市住房和城乡建设局关于印发《临江市公共租赁住房管理办法》的通知"),
    # DEFECT validity_missing: the info table's 有效性 cell is empty.
    _doc("临住建规〔2025〕2号", "2025-06-16", "2025-06-23", "临江市住房和城乡建设局关于印发《临江市物业管理区域电动自行车停放充电管理规定》的通知", validity=""),
    _doc("临住建规〔2025〕3号", "2025-10-20", "2025-10-27", "临江市住房和城乡建设局关于印发《临江市建设工程竣工联合验收实施办法》的通知"),
    _doc("临住建规〔2026〕1号", "2026-03-02", "2026-03-09", "临江市住房和城乡建设局关于印发《临江市住宅专项维修资金管理办法》的通知"),
    _doc("临住建规〔2026〕2号", "2026-06-29", "2026-07-06", "临江市住房和城乡建设局关于印发《临江市城镇燃气管理实施办法》的通知"),
    _doc("临住建规〔2026〕3号", "2026-09-28", "2026-10-12", "临江市住房和城乡建设局关于印发《临江市既有住宅加装电梯管理办法》的通知"),
)

# --- 3.1 政策解读: each links its policy; one is 10 working days late -------------------------
_INTERPRETATIONS = (
    _a("2025-01-14", "《2025年全市住房和城乡建设工作要点》解读", policy="临住建发〔2025〕1号"),
    _a("2025-03-04", "《临江市公共租赁住房管理办法》政策解读", policy="临住建规〔2025〕1号"),
    _a("2025-06-24", "图解：《临江市物业管理区域电动自行车停放充电管理规定》", policy="临住建规〔2025〕2号"),
    _a("2025-07-11", "《关于加快推进保障性租赁住房建设的实施意见》政策解读", policy="临住建发〔2025〕6号"),
    _a("2025-10-28", "一图读懂《临江市建设工程竣工联合验收实施办法》", policy="临住建规〔2025〕3号"),
    _a("2026-01-16", "《2026年全市住房和城乡建设工作要点》解读", policy="临住建发〔2026〕1号"),
    _a("2026-02-10", "《关于推进城市更新行动的实施意见》政策解读", policy="临住建发〔2026〕2号"),
    _a("2026-03-10", "《临江市住宅专项维修资金管理办法》修订解读", policy="临住建规〔2026〕1号"),
    _a("2026-03-16", "图解：《临江市住宅小区电动自行车充电设施建设导则》", policy="临住建发〔2026〕3号"),
    _a("2026-06-23", "《临江市房屋安全管理办法实施细则》政策解读", policy="临住建发〔2026〕7号"),
    # DEFECT interpretation_late: the policy went online 2026-07-06, its 解读 10 working days later.
    _a("2026-07-20", "《临江市城镇燃气管理实施办法》政策解读", policy="临住建规〔2026〕2号"),
    _a("2026-10-13", "一图读懂《临江市既有住宅加装电梯管理办法》", policy="临住建规〔2026〕3号"),
    _a("2026-10-26", "《临江市保障性住房配售管理办法》政策解读", policy="临住建发〔2026〕12号"),
)


# --- 5.1 政府会议 (GBK): 局长办公会 numbered per year, published 0–2 days after ---------------
def _meetings() -> tuple[ArticleSpec, ...]:
    held = {2025: ["09-04", "09-25", "10-16", "11-06", "11-27", "12-18"],
            2026: ["01-08", "01-22", "02-05", "02-26", "03-12", "03-26", "04-16", "04-30", "05-14",
                   "05-28", "06-11", "06-25", "07-09", "07-23", "08-06", "08-20", "09-03", "09-17",
                   "10-15", "10-29", "11-03"]}
    first_number = {2025: 15, 2026: 1}
    out: list[ArticleSpec] = []
    for year, days in held.items():
        for i, md in enumerate(days):
            when = date.fromisoformat(f"{year}-{md}")
            lag = 0 if i % 2 == 0 else 1
            if when.weekday() == 1:  # a Tuesday meeting goes online on Thursday
                lag = 2
            if when == date(2026, 6, 11):
                lag = 7  # DEFECT meeting_late: held 2026-06-11, published 2026-06-18
            title = f"市住建局召开{year}年第{first_number[year] + i}次局长办公会"
            out.append(_a((when + timedelta(days=lag)).isoformat(), title, meeting=when.isoformat()))
    out.append(_a("2026-05-08", "市住建局召开全市建筑施工安全生产专题会议", meeting="2026-05-07"))
    out.append(_a("2026-09-10", "市住建局召开城镇燃气安全工作推进会", meeting="2026-09-10"))
    return tuple(out)


# --- 7.1 棚改 (quarterly): every quarter 2024-Q1 … 2026-Q3 except 2026-Q2 ----------------------
_SHANTY = tuple(
    _a(d, f"{d[:4]}年第{_CN_Q[(int(d[5:7]) - 1) // 3]}季度棚户区改造工作进展情况")
    for d in ("2024-03-22", "2024-06-21", "2024-09-20", "2024-12-20", "2025-03-21", "2025-06-20",
              "2025-09-19", "2025-12-19", "2026-03-20", "2026-09-18")  # DEFECT period_missed 2026-Q2
) + (
    _a("2025-05-16", "临江市2025年城镇棚户区改造项目计划安排"),
    _a("2026-02-27", "临江市2026年城镇棚户区改造工作实施方案"),
)

# --- 7.2 物业服务提升 (quarterly, GBK): every quarter 2024-Q1 … 2026-Q4 -----------------------
_PROPERTY = tuple(
    _a(d, f"{d[:4]}年第{_CN_Q[(int(d[5:7]) - 1) // 3]}季度物业服务质量提升行动进展情况")
    for d in ("2024-03-22", "2024-06-21", "2024-09-20", "2024-12-20", "2025-03-21", "2025-06-20",
              "2025-09-19", "2025-12-19", "2026-03-20", "2026-06-18", "2026-09-18")
) + (_a("2026-11-06", "临江市开展物业服务企业“红黑榜”评定工作"),)


# --- 14.2 执法事后公开 (monthly): every month 2025-01 … 2026-10 except 2026-08 -----------------
def _enforcement_months() -> tuple[ArticleSpec, ...]:
    out: list[ArticleSpec] = []
    for year, month in [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 11)]:
        if (year, month) == (2026, 8):
            continue  # DEFECT period_missed 2026-08
        day = date(year, month, 26)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        out.append(_a(day.isoformat(), f"临江市住房和城乡建设局{year}年{month}月行政执法结果公开"))
    out.append(_a("2026-01-20", "临江市住房和城乡建设局2025年度行政执法数据统计年报"))
    return tuple(out)


def _reply(published: str, session: str, number: int) -> ArticleSpec:
    kind = "建议" if "人大" in session else "提案"
    return _a(published, f"关于{session}第{number}号{kind}的答复",
              written=_written_before(published, 7))


_NPC4, _CPPCC4 = "市十七届人大四次会议", "市政协十四届四次会议"
_NPC5, _CPPCC5 = "市十七届人大五次会议", "市政协十四届五次会议"

_HOSTILE_TITLE = '<script>alert("x")</script>关于" onmouseover="alert(1)的通报'

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("1.1", "zfxxgk/jgzn/jggk/index.html", TRS, "机构概况", "generic", (
        _a("2024-06-20", "临江市住房和城乡建设局职能配置、内设机构和人员编制规定"),
        _a("2025-04-08", "临江市住房和城乡建设局内设机构及职责", page=PAGE_META_12H),
        _a("2025-04-08", "临江市住房和城乡建设局所属事业单位情况", page=PAGE_META_NULL),
        _a("2026-03-16", "临江市住房和城乡建设局机构概况"),
        # DEFECT content_missing: a title-only page (全文发布 item).
        _a("2026-03-16", "临江市住房和城乡建设局主要职责", body=False),
    )),
    ColumnSpec("1.2", "zfxxgk/jgzn/ldxx/index.html", TRS, "领导信息", "generic", (
        _a("2025-11-24", "党组成员、副局长：陈晓红", page=PAGE_META_EMPTY),
        _a("2025-11-24", "党组成员、总工程师：刘志强"),
        _a("2026-07-08", "临江市住房和城乡建设局领导班子成员及分工"),
        _a("2026-07-08", "党组书记、局长：王建华"),
        _a("2026-07-08", "党组成员、副局长：李明远"),
    )),
    ColumnSpec("2.1", "col/col1201/index.html", HANWEB, "部门文件", "doc", _DEPT_DOCS,
               lag_workdays=20, docno_exempt=("临住建办发〔2025〕6号",)),
    ColumnSpec("2.2", "col/col1202/index.html", HANWEB, "规范性文件", "doc", _NORMATIVE_DOCS,
               stale_days=180),
    ColumnSpec("3.1", "zcjd/index.html", NEXTLINK, "政策解读", "interpretation", _INTERPRETATIONS,
               interp_workdays=3),
    ColumnSpec("4.1", "hdjl/list.php?catid=41&page=1", QUERY, "意见征集", "consultation", tuple(
        _a(d, f"关于公开征求《临江市{t}（征求意见稿）》意见的公告") for d, t in (
            ("2025-01-06", "公共租赁住房管理办法"), ("2025-04-21", "物业管理区域电动自行车停放充电管理规定"),
            ("2025-05-12", "保障性租赁住房建设实施意见"), ("2025-08-25", "建设工程竣工联合验收实施办法"),
            ("2025-11-17", "住宅专项维修资金管理办法"), ("2025-12-22", "城市更新行动实施意见"),
            ("2026-01-19", "住宅小区电动自行车充电设施建设导则"), ("2026-04-27", "城镇燃气管理实施办法"),
            ("2026-05-25", "房屋安全管理办法实施细则"), ("2026-07-13", "既有住宅加装电梯管理办法"),
            ("2026-08-17", "保障性住房配售管理办法"), ("2026-09-07", "城市地下管网改造三年行动方案"),
            ("2026-10-26", "住宅物业服务收费管理办法"), ("2026-11-09", "建筑垃圾资源化利用管理办法")))),
    ColumnSpec("4.2", "hdjl/list.php?catid=42&page=1", QUERY, "结果反馈", "feedback", tuple(
        _a(d, f"《临江市{t}（征求意见稿）》{s}") for d, t, s in (
            ("2025-02-17", "公共租赁住房管理办法", "意见采纳情况的说明"),
            ("2025-05-29", "物业管理区域电动自行车停放充电管理规定", "意见采纳情况的说明"),
            ("2025-09-26", "建设工程竣工联合验收实施办法", "公开征求意见情况反馈"),
            ("2026-01-23", "城市更新行动实施意见", "意见采纳情况的说明"),
            ("2026-02-26", "住宅小区电动自行车充电设施建设导则", "意见采纳情况的说明"),
            ("2026-06-08", "城镇燃气管理实施办法", "意见采纳情况的说明"),
            ("2026-08-14", "既有住宅加装电梯管理办法", "公开征求意见情况反馈"),
            ("2026-09-21", "保障性住房配售管理办法", "意见采纳情况的说明")))),
    ColumnSpec("5.1", "xwzx/hyxx/index.html", TRS, "会议信息", "meeting", _meetings(), gbk=True,
               meeting_days=3),
    ColumnSpec("5.2", "jytabl/ztqk/index.html", TRS, "建议提案总体情况", "generic", tuple(
        _a(d, f"临江市住房和城乡建设局{d[:4]}年建议提案办理工作总体情况")
        for d in ("2022-12-16", "2023-12-15", "2024-12-13", "2025-12-12", "2026-10-30")),
        period="year"),
    ColumnSpec("6.1", "jytabl/bljg/index.html", NEXTLINK, "办理结果", "reply", (
        _reply("2025-06-10", _NPC4, 45), _reply("2025-06-18", _CPPCC4, 112),
        _reply("2025-06-27", _NPC4, 78), _reply("2025-07-08", _CPPCC4, 156),
        _reply("2025-07-22", _NPC4, 103), _reply("2025-08-12", _CPPCC4, 201),
        _reply("2025-09-09", _NPC4, 131), _reply("2026-05-19", _NPC5, 12),
        _reply("2026-05-28", _CPPCC5, 37), _reply("2026-06-09", _NPC5, 56),
        _reply("2026-06-24", _CPPCC5, 88), _reply("2026-07-07", _NPC5, 91),
        _reply("2026-07-21", _CPPCC5, 120), _reply("2026-08-11", _NPC5, 118),
        _reply("2026-08-25", _CPPCC5, 163), _reply("2026-09-15", _NPC5, 140),
        _reply("2026-10-13", _CPPCC5, 209), _reply("2026-10-27", _NPC5, 176),
    ), stale_days=180),
    ColumnSpec("7.1", "zdbs/pg/index.html", TRS, "棚户区改造", "generic", _SHANTY, period="quarter"),
    ColumnSpec("7.2", "zdbs/wyfw/index.html", NEXTLINK, "物业服务提升", "generic", _PROPERTY,
               gbk=True, period="quarter"),
    ColumnSpec("7.3", "hdjl/list.php?catid=73&page=1", QUERY, "审计情况", "generic", (
        _a("2023-08-15", "临江市住房和城乡建设局2022年度部门预算执行审计结果公告"),
        _a("2023-12-19", "临江市住房和城乡建设局关于2022年度审计发现问题整改情况的公告"),
        _a("2024-08-20", "临江市住房和城乡建设局2023年度部门预算执行审计结果公告"),
        _a("2024-11-15", "临江市住房公积金2023年度专项审计整改落实情况"),
        _a("2025-08-19", "临江市住房和城乡建设局2024年度部门预算执行审计结果公告"),
        _a("2025-12-16", "临江市住房和城乡建设局关于2024年度审计发现问题整改情况的公告"),
        _a("2026-08-18", "临江市住房和城乡建设局2025年度部门预算执行审计结果公告"),
    ), period="year"),
    # DEFECT column_unreachable: every list page of this column answers HTTP 500.
    ColumnSpec("7.4", "hdjl/list.php?catid=74&page=1", QUERY, "决策执行评估", "generic", status=500,
               stale_days=180),
    ColumnSpec("8.1", "col/col1801/index.html", HANWEB, "双随机一公开", "generic", (
        _a("2025-03-14", "临江市住房和城乡建设局2025年度“双随机、一公开”抽查计划"),
        _a("2025-03-14", "临江市住房和城乡建设局随机抽查事项清单（2025年版）"),
        _a("2025-03-21", "临江市住房和城乡建设局执法检查人员名录库"),
        _a("2025-03-21", "临江市住房和城乡建设局检查对象名录库"),
        _a("2025-05-23", "2025年第一批建筑市场“双随机”抽查结果公示"),
        _a("2025-07-18", "2025年第二批物业服务企业“双随机”抽查结果公示"),
        _a("2025-09-19", "2025年第三批房地产开发企业“双随机”抽查结果公示"),
        _a("2025-11-21", "2025年第四批建设工程质量检测机构“双随机”抽查结果公示"),
        _a("2025-12-26", "临江市住房和城乡建设局2025年度“双随机、一公开”抽查工作总结"),
        _a("2026-03-13", "临江市住房和城乡建设局2026年度“双随机、一公开”抽查计划"),
        _a("2026-03-13", "临江市住房和城乡建设局随机抽查事项清单（2026年版）"),
        _a("2026-03-20", "临江市住房和城乡建设局执法检查人员名录库（2026年更新）"),
        _a("2026-03-20", "临江市住房和城乡建设局检查对象名录库（2026年更新）"),
        _a("2026-04-24", "2026年第一批建筑施工企业“双随机”抽查结果公示"),
        _a("2026-05-29", "2026年第二批房地产经纪机构“双随机”抽查结果公示"),
        _a("2026-06-26", "2026年第三批物业服务企业“双随机”抽查结果公示"),
        _a("2026-07-24", "2026年第四批预拌混凝土企业“双随机”抽查结果公示"),
        _a("2026-08-28", "2026年第五批建设工程质量检测机构“双随机”抽查结果公示"),
        _a("2026-09-24", "2026年第六批园林绿化企业“双随机”抽查结果公示"),
        _a("2026-10-30", "2026年第七批燃气经营企业“双随机”抽查结果公示"),
    ), stale_days=180),
    ColumnSpec("8.2", "col/col1802/index.html", HANWEB, "优化服务", "generic", (
        _a("2024-05-17", "临江市住房和城乡建设局“一次办好”事项清单"),
        _a("2024-05-17", "临江市住房和城乡建设局保留证明事项清单"),
        _a("2025-04-11", "临江市住房和城乡建设局“一次办好”事项清单（2025年修订）"),
        _a("2025-09-05", "临江市住房和城乡建设局关于取消部分证明事项的公告", page=PAGE_URL_ONLY),
        _a("2026-04-10", "临江市住房和城乡建设局“一次办好”事项清单（2026年修订）"),
        _a("2026-04-10", "临江市住房和城乡建设局证明事项清单（2026年版）"),
    # DEFECT stale: columns.yaml classes the column 通知公告类 (6 months); newest 2026-04-10.
    ), column_class="notice"),
    ColumnSpec("9.1", "ztzl/xczx/index.html", TRS, "乡村振兴", "generic", (
        _a("2025-03-28", "临江市2025年农村人居环境整治提升行动方案"),
        # DEFECT hidden_link: see demosite.inspection.CASES["hidden_link"].
        _a("2025-04-25", "我市启动2025年美丽村居建设试点工作", inspection="hidden_link"),
        # DEFECT broken_link (found_on): see demosite.inspection.CASES["dead_body_link"].
        _a("2025-06-13", "2025年农村危房改造资金分配方案公示", inspection="dead_body_link"),
        _a("2025-08-08", "我市召开农村人居环境整治现场推进会", inspection="visible_link"),
        _a("2025-10-17", "临江市美丽村居建设试点村名单公示", inspection="live_body_link"),
        _a("2025-12-05", "2025年农村生活污水治理工作成效"),
        _a("2026-01-23", "2025年度农村危房改造完成情况公告"),
        _a("2026-03-27", "临江市2026年农村人居环境整治提升工作要点"),
        _a("2026-04-29", "2026年农村危房改造资金分配方案公示"),
        _a("2026-06-12", "我市推进传统村落保护利用工作"),
        # DEFECT date_conflict: the page metadata says 2026-08-21; the visible 发布时间
        # (2026-08-14) wins for every other rule.
        _a("2026-08-14", "临江市农房建设管理服务站建设情况通报", meta_pubdate="2026-08-21 16:05"),
        _a("2026-09-11", "2026年美丽村居建设项目资金安排情况"),
        _a("2026-10-16", "我市农村人居环境整治工作获省级通报表扬"),
        _a("2026-11-06", "2026年前三季度农村人居环境整治成效"),
    ), stale_days=180),
    # DEFECT stale: the newest article is of 2025-12-15.
    ColumnSpec("10.1", "ztzl/tpgj/index.html", TRS, "脱贫攻坚", "generic", (
        _a("2023-04-14", "临江市住房和城乡建设局2023年农村低收入群体住房安全保障工作方案"),
        _a("2023-07-21", "2023年农村低收入群体等重点对象危房改造资金安排"),
        _a("2023-11-17", "2023年度农村住房安全保障工作成效"),
        _a("2024-03-22", "关于巩固拓展脱贫攻坚成果做好农村住房安全保障工作的通知"),
        _a("2024-07-19", "2024年农村低收入群体危房改造项目计划安排"),
        _a("2024-12-13", "2024年度农村住房安全保障工作总结"),
        _a("2025-04-18", "2025年农村住房安全动态监测工作方案"),
        _a("2025-08-22", "2025年农村低收入群体危房改造资金项目计划安排"),
        _a("2025-12-15", "2025年度巩固拓展脱贫攻坚成果住房安全保障工作成效"),
    ), stale_days=180),
    ColumnSpec("11.1", "czxx/yjs/index.html", NEXTLINK, "预决算", "generic", tuple(
        _a(d, t, written=_written_before(d, 5)) for d, t in (
            ("2023-02-10", "临江市住房和城乡建设局2023年部门预算"),
            ("2023-08-25", "临江市住房和城乡建设局2022年部门决算（含“三公”经费决算）"),
            ("2024-02-08", "临江市住房和城乡建设局2024年部门预算"),
            ("2024-08-23", "临江市住房和城乡建设局2023年部门决算（含“三公”经费决算）"),
            ("2025-02-14", "临江市住房和城乡建设局2025年部门预算（含“三公”经费预算）"),
            ("2025-08-22", "临江市住房和城乡建设局2024年部门决算（含“三公”经费决算）"),
            ("2026-02-13", "临江市住房和城乡建设局2026年部门预算（含“三公”经费预算）"),
            ("2026-08-21", "临江市住房和城乡建设局2025年部门决算（含“三公”经费决算）"))),
        period="year"),
    ColumnSpec("12.1", "hdjl/list.php?catid=121&page=1", QUERY, "批准服务", "generic", (
        _a("2025-01-10", "建筑工程施工许可证核发办事指南"),
        _a("2025-01-10", "建设工程竣工验收备案办事指南"),
        _a("2025-03-07", "临江市重大建设项目审批流程图", page=PAGE_UNDATED),
        _a("2025-05-16", "房屋建筑和市政基础设施工程施工图设计文件审查办事指南"),
        _a("2025-07-11", "建设工程消防验收办事指南", written="2025-07-08", page=PAGE_DL_TABLE),
        _a("2025-09-12", "商品房预售许可办事指南", written="2025-09-10", doc_number="临住建审〔2025〕1号",
           page=PAGE_DIV_TABLE),
        _a("2025-11-14", "重大建设项目申报材料清单（2025年修订）", page=PAGE_ENGLISH_DATE),
        _a("2026-02-27", "建筑工程施工许可证核发办事指南（2026年修订）"),
        _a("2026-04-17", "临江市住房和城乡建设局重大建设项目受理机构及联系方式"),
        _a("2026-06-18", "重大建设项目监督举报方式"),
        _a("2026-08-07", "城市建筑垃圾处置核准办事指南"),
        _a("2026-10-23", "市政设施建设类审批办事指南"),
        # DEFECT date_future: list and page say 2026-12-08, after the audit date.
        _a("2026-12-08", "城市道路挖掘占用审批办事指南"),
    )),
    # DEFECT empty_column: the list says 暂无信息.
    ColumnSpec("12.2", "hdjl/list.php?catid=122&page=1", QUERY, "项目实施", "generic"),
    ColumnSpec("13.1", "col/col1301/index.html", HANWEB, "住房保障", "generic", (
        _a("2025-04-03", "临江市2025年保障性安居工程建设计划"),
        # DEFECT privacy_leak: see demosite.inspection.CASES["id_leak"].
        _a("2025-05-22", "2025年第一批公共租赁住房配租结果公示", inspection="id_leak"),
        # DEFECT privacy_leak: see demosite.inspection.CASES["bank_card"].
        _a("2025-06-27", "2025年城镇住房保障家庭租赁补贴发放情况", inspection="bank_card"),
        _a("2025-08-29", "2025年第二批公共租赁住房配租对象资格审核结果公示", inspection="id_masked"),
        _a("2025-10-24", "2025年保障性租赁住房项目认定情况公告"),
        _a("2025-12-19", "2025年保障性安居工程建设计划完成情况"),
        _a("2026-01-30", "2026年城镇老旧小区改造计划公示"),
        _a("2026-03-27", "临江市2026年保障性安居工程建设计划"),
        # DEFECT privacy_leak: see demosite.inspection.CASES["mobile_roster"].
        _a("2026-04-24", "2026年第一批公共租赁住房配租结果公示", inspection="mobile_roster"),
        _a("2026-05-29", "2026年第一批保障性租赁住房分配房源信息", inspection="office_contact"),
        _a("2026-06-26", "2026年城镇住房保障家庭租赁补贴发放情况", inspection="order_number"),
        _a("2026-07-31", "2026年第二批公共租赁住房配租对象资格审核结果公示"),
        _a("2026-08-21", "2026年保障性住房配售对象资格审核结果公示"),
        # DEFECT broken_link: listed on the first list page, the article answers 404.
        _a("2026-09-08", "2026年第二批保障性租赁住房分配结果公示", broken=True),
        _a("2026-09-29", "2026年城镇老旧小区改造项目进展情况"),
        _a("2026-10-16", "2026年第三批公共租赁住房配租结果公示"),
        _a("2026-10-30", "2026年前三季度保障性安居工程建设进展情况"),
        _a("2026-11-10", "临江市2026年保障性住房配售结果公示"),
    ), stale_days=180),
    ColumnSpec("14.1", "zfxxgk/xzzf/sqgk/index.html", TRS, "执法事前公开", "generic", (
        _a("2023-03-17", "临江市住房和城乡建设局行政执法事项清单（2023年版）"),
        _a("2024-03-15", "临江市住房和城乡建设局行政执法事项清单（2024年版）"),
        _a("2024-03-15", "临江市住房和城乡建设局行政执法服务指南"),
        _a("2025-03-14", "临江市住房和城乡建设局行政执法事项清单（2025年版）"),
        _a("2025-06-20", "临江市住房和城乡建设局行政执法流程图"),
        _a("2026-03-13", "临江市住房和城乡建设局行政执法事项清单（2026年版）"),
        _a("2026-03-13", "临江市住房和城乡建设局行政执法服务指南（2026年修订）"),
    ), period="year"),
    ColumnSpec("14.2", "zfxxgk/xzzf/shgk/index.html", TRS, "执法事后公开", "enforcement",
               _enforcement_months(), period="month"),
    ColumnSpec("15.1", "scjg/index.html", NEXTLINK, "市场监管", "generic", (
        _a("2025-09-05", "2025年8月全市建筑施工安全生产执法检查情况通报"),
        _a("2025-10-10", "关于对临江市宏远建筑工程有限公司不良行为记录的公告", page=PAGE_TIME_LABEL),
        _a("2025-11-07", "2025年10月全市建筑施工安全生产执法检查情况通报"),
        _a("2025-12-05", "临江市建筑市场主体“黑名单”（2025年第二批）"),
        _a("2026-01-09", "2025年12月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-02-06", "关于对临江市恒达劳务有限公司不良行为记录的公告"),
        _a("2026-03-06", "2026年2月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-03-27", "临江市建筑市场主体信用评价结果（2026年第一季度）"),
        _a("2026-04-10", "2026年3月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-04-24", "关于对临江市安泰建设工程有限公司不良行为记录的公告"),
        _a("2026-05-08", "2026年4月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-05-22", "关于2026年安全生产月期间重大事故隐患排查整治情况的通报"),
        _a("2026-06-05", "2026年5月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-06-26", "临江市建筑市场主体“黑名单”（2026年第一批）"),
        _a("2026-07-03", "2026年6月全市建筑施工安全生产执法检查情况通报"),
        # Not a defect: a hostile title, HTML-escaped in the markup (tests the report's escaping).
        _a("2026-07-17", _HOSTILE_TITLE),
        _a("2026-08-07", "2026年7月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-08-21", "关于对临江市鑫城房地产开发有限公司不良信用记录的公告"),
        _a("2026-09-04", "2026年8月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-09-18", "临江市建筑市场主体信用评价结果（2026年第二季度）"),
        _a("2026-10-09", "2026年9月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-10-23", "关于对临江市金桥建筑劳务有限公司不良行为记录的公告"),
        _a("2026-11-06", "2026年10月全市建筑施工安全生产执法检查情况通报"),
        _a("2026-11-12", "临江市建筑市场主体“黑名单”（2026年第二批）"),
    ), stale_days=180),
    ColumnSpec("16.1", "zfxxgk/zwgkgz/index.html", TRS, "政务公开工作", "generic", (
        _a("2024-04-12", "临江市住房和城乡建设局政府信息公开指南"),
        _a("2025-01-20", "临江市住房和城乡建设局2024年政府信息公开工作年度报告"),
        # DEFECT wording_error: see demosite.inspection.CASES["wording"].
        _a("2025-04-03", "临江市住房和城乡建设局2025年政务公开工作要点", inspection="wording"),
        _a("2025-06-13", "临江市住房和城乡建设局主动公开基本目录"),
        _a("2025-07-25", "我局组织开展政务公开业务培训", inspection="wording_allowed"),
        _a("2025-10-31", "临江市住房和城乡建设局政务公开工作领导小组及工作机构"),
        # DEFECT annual_report_late: the 2025 report, due 2026-01-31, went online 2026-02-10.
        # DEFECT annual_report_incomplete: the report leaves out one of the six parts.
        _a("2026-02-10", "临江市住房和城乡建设局2025年政府信息公开工作年度报告",
           omitted_sections=("存在的主要问题及改进情况",)),
        _a("2026-03-31", "临江市住房和城乡建设局2026年政务公开工作要点"),
        _a("2026-04-17", "临江市住房和城乡建设局政府信息公开指南（2026年修订）"),
        _a("2026-06-24", "我局召开2026年政务公开工作推进会"),
        _a("2026-08-26", "临江市住房和城乡建设局政府信息公开制度汇编"),
        _a("2026-10-28", "临江市住房和城乡建设局主动公开基本目录（2026年版）"),
    ), annual_report=True),
    # Outside the catalog: the news column every page's "最新动态" sidebar points to.
    ColumnSpec(None, "xwzx/gzdt/index.html", TRS, "工作动态", "generic", (
        _a("2026-10-20", "全市住房和城乡建设系统安全生产工作会议召开"),
        _a("2026-10-28", "我市保障性住房配售工作有序推进"),
        _a("2026-11-03", "市住建局开展城镇燃气安全专项检查"),
        _a("2026-11-13", "我市城市更新项目建设提速"),
        _a("2026-11-16", "市住建局开展冬季建筑施工安全培训"),
        _a("2026-11-17", "临江市2026年第三批既有住宅加装电梯项目开工"),
        _a("2026-11-18", "我市城镇老旧小区改造完成年度任务"),
        _a("2026-11-19", "市住建局召开物业服务质量提升工作推进会"),
    )),
)

__all__ = ["SITE_NAME", "DEMO_AS_OF", "TRS", "HANWEB", "QUERY", "NEXTLINK", "PAGE_SIZE",
           "PAGE_META_12H", "PAGE_META_NULL", "PAGE_META_EMPTY", "PAGE_URL_ONLY", "PAGE_DL_TABLE",
           "PAGE_DIV_TABLE", "PAGE_TIME_LABEL", "PAGE_ENGLISH_DATE", "PAGE_UNDATED",
           "PAGE_NO_DATE", "PAGE_FRAME",
           "ArticleSpec", "ColumnSpec", "COLUMNS"]
