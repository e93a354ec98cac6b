"""A demo of another domain (issue 10): 临江县教育局, a fictional county education bureau.

Why a second bureau: the housing demo and its catalog grew up together, so a rule that keyed on
one of their category names, 公开时限 phrases or page layouts would pass there and fail on the next
bureau. This site has other columns, other category names and other deadline wordings
(``mapping/county_education.yaml``), rendered by the same generator (``demosite.render``) from
this one table, and a known set of seeded defects: ``SEEDED`` lists every (item, rule) the audit
must report, and nothing else may fail. Each is marked ``# DEFECT`` below; ``# TRAP`` marks
ordinary pages a careless rule would accuse (they must give no fail).

Serve it with ``zwgk demo --variant education`` or ``demosite.server.start(variant="education")``.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from zwgk.demosite.data import (HANWEB, NEXTLINK, PAGE_FRAME, PAGE_NO_DATE, QUERY, TRS, ArticleSpec,
                                ColumnSpec)
from zwgk.demosite.model import SiteModel, build_model

EDUCATION = "education"
EDU_NAME = "临江县教育局"
CATALOG = "county_education.yaml"  # in mapping/ (zwgk.mapping)

# Every defect the audit must report: (item id, rule). Fails and warns alike; no other item may
# fail and no other (item, rule) may appear.
SEEDED: frozenset[tuple[str, str]] = frozenset({
    ("2", "publish_lag"),
    ("2", "docno_gap"),
    ("6", "period_missed"),
    ("8", "stale"),
    ("11", "annual_report_late"),
    ("12", "empty_column"),
    ("10", "deadline_unparsed"),
    ("5", "date_future_unverified"),
    ("1", "content_unlocated"),
})


def _a(published: str, title: str, **kw: object) -> ArticleSpec:
    return ArticleSpec(published, title, **kw)  # type: ignore[arg-type]


def _doc(number: str, written: str, published: str, title: str) -> ArticleSpec:
    return ArticleSpec(published, title, written=written, doc_number=number)


_CN_Q = "一二三四"


def _meetings() -> tuple[ArticleSpec, ...]:
    """局务会议, each published within 3 working days of the meeting."""
    held = ("2025-03-06", "2025-05-15", "2025-07-10", "2025-09-11", "2025-11-13", "2026-01-15",
            "2026-03-12", "2026-05-14", "2026-07-09", "2026-09-10", "2026-11-12")
    out = []
    numbers: dict[int, int] = {}
    for i, day in enumerate(held):
        when = date.fromisoformat(day)
        numbers[when.year] = numbers.get(when.year, 0) + 1
        out.append(_a((when + timedelta(days=1 + i % 2)).isoformat(),
                      f"县教育局召开{when.year}年第{numbers[when.year]}次局务会议", meeting=day))
    return tuple(out)


def _budget() -> tuple[ArticleSpec, ...]:
    """Quarterly 经费 reports, one inside every quarter 2025-Q1 … 2026-Q3 but 2026-Q2."""
    days = ("2025-03-20", "2025-06-19", "2025-09-18", "2025-12-18", "2026-03-19",
            "2026-09-17")  # DEFECT period_missed: nothing in 2026-Q2
    return tuple(_a(d, f"临江县教育局{d[:4]}年第{_CN_Q[(int(d[5:7]) - 1) // 3]}季度教育经费执行情况")
                 for d in days) + (_a("2025-02-14", "临江县教育局2025年部门预算"),
                                   _a("2026-02-13", "临江县教育局2026年部门预算"))


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("1", "jyj/jgzn/index.html", TRS, "机构职能", "generic", (
        _a("2025-03-10", "临江县教育局主要职责"),
        _a("2025-03-10", "临江县教育局内设机构"),
        _a("2026-06-15", "临江县教育局领导班子及分工"),
        # DEFECT content_unlocated (warn): the text is in an <iframe>; the audit cannot tell.
        _a("2026-09-10", "临江县教育局权责清单（2026年版）", page=PAGE_FRAME),
    )),
    ColumnSpec("2", "col/col2101/index.html", HANWEB, "局发文件", "doc", (
        _doc("临县教发〔2025〕1号", "2025-01-13", "2025-01-16", "临江县教育局关于印发《2025年全县教育工作要点》的通知"),
        _doc("临县教发〔2025〕2号", "2025-02-24", "2025-02-27", "临江县教育局关于做好2025年春季学期开学工作的通知"),
        _doc("临县教发〔2025〕3号", "2025-04-14", "2025-04-18", "临江县教育局关于开展中小学校园安全隐患排查整治的通知"),
        _doc("临县教发〔2025〕4号", "2025-06-09", "2025-06-12", "临江县教育局关于做好2025年义务教育招生入学工作的通知"),
        _doc("临县教发〔2025〕5号", "2025-08-18", "2025-08-21", "临江县教育局关于做好2025年秋季学期开学工作的通知"),
        _doc("临县教发〔2025〕6号", "2025-11-10", "2025-11-13", "临江县教育局关于加强中小学生近视防控工作的通知"),
        _doc("临县教发〔2026〕1号", "2026-01-12", "2026-01-15", "临江县教育局关于印发《2026年全县教育工作要点》的通知"),
        _doc("临县教发〔2026〕2号", "2026-02-23", "2026-02-26", "临江县教育局关于做好2026年春季学期开学工作的通知"),
        _doc("临县教发〔2026〕3号", "2026-04-13", "2026-04-16", "临江县教育局关于开展课后服务质量提升行动的通知"),
        # DEFECT docno_gap (warn): 临县教发〔2026〕4号 is never published.
        _doc("临县教发〔2026〕5号", "2026-06-08", "2026-06-11", "临江县教育局关于做好2026年义务教育招生入学工作的通知"),
        # DEFECT publish_lag: written 2026-07-06, online 2026-08-24 (35 working days > 20).
        _doc("临县教发〔2026〕6号", "2026-07-06", "2026-08-24", "临江县教育局关于做好2026年秋季学期开学工作的通知"),
        _doc("临县教发〔2026〕7号", "2026-09-14", "2026-09-17", "临江县教育局关于开展学生资助政策宣传月活动的通知"),
        _doc("临县教发〔2026〕8号", "2026-10-19", "2026-10-22", "临江县教育局关于加强冬季校园安全工作的通知"),
    )),
    ColumnSpec("3", "tjxx/index.html", NEXTLINK, "教育统计", "generic", (
        _a("2025-01-20", "临江县2024年教育事业统计公报"),
        _a("2025-06-20", "临江县2025年学前教育发展情况"),
        _a("2026-01-22", "临江县2025年教育事业统计公报"),
        _a("2026-06-19", "临江县2026年学前教育发展情况"),
    )),
    ColumnSpec("4", "hdjl/list.php?catid=51&page=1", QUERY, "局务会议", "meeting", _meetings()),
    ColumnSpec("5", "tzgg/index.html", NEXTLINK, "通知公告", "generic", (
        _a("2026-06-05", "关于2026年中考考点安排的公告"),
        _a("2026-07-17", "关于公布2026年暑期校外培训机构白名单的公告"),
        _a("2026-08-28", "关于2026年秋季学期中小学作息时间调整的通知"),
        _a("2026-10-16", "关于开展2026年教师资格认定工作的公告"),
        _a("2026-11-06", "关于2026年冬季中小学校园安全检查情况的通报"),
        # TRAP: a 预告 lists the meeting day (after the audit date); its page shows the 发布日期.
        _a("2026-11-18", "关于召开全县教育系统安全稳定工作会议的预告", list_date="2026-12-03"),
        # DEFECT date_future_unverified (warn): the list shows the meeting day, the page no date.
        _a("2026-11-17", "关于召开全县中小学校长培训会的预告", list_date="2026-12-10",
           page=PAGE_NO_DATE),
    )),
    ColumnSpec("6", "czxx/yjs/index.html", TRS, "预算决算", "generic", _budget()),
    ColumnSpec("7", "hdjl/list.php?catid=71&page=1", QUERY, "督导评估", "generic", (
        _a("2025-06-20", "临江县2025年上半年中小学责任督学挂牌督导情况通报"),
        _a("2025-12-19", "临江县2025年下半年中小学责任督学挂牌督导情况通报"),
        _a("2026-06-19", "临江县2026年上半年中小学责任督学挂牌督导情况通报"),
        _a("2026-09-25", "临江县义务教育优质均衡发展督导评估报告"),
    )),
    # DEFECT stale: nothing since 2026-04-10 (224 days before the audit date; 随时更新 is 180).
    ColumnSpec("8", "zsks/index.html", TRS, "招生政策", "generic", (
        _a("2025-05-16", "临江县2025年义务教育招生入学政策问答"),
        _a("2025-06-13", "临江县2025年普通高中招生计划"),
        _a("2026-03-20", "临江县2026年义务教育招生入学实施方案"),
        _a("2026-04-10", "临江县2026年普通高中招生计划"),
    )),
    ColumnSpec("9", "xszz/index.html", NEXTLINK, "学生资助", "roster", (
        # TRAP: 公示 pages whose body is a table of names and amounts: not content_missing.
        _a("2025-10-24", "临江县2025年秋季学期家庭经济困难学生资助名单公示"),
        _a("2026-04-24", "临江县2026年春季学期家庭经济困难学生资助名单公示"),
        _a("2026-10-23", "临江县2026年秋季学期家庭经济困难学生资助名单公示"),
    )),
    ColumnSpec("10", "hdjl/list.php?catid=101&page=1", QUERY, "教师招聘", "generic", (
        _a("2025-07-04", "临江县2025年公开招聘中小学教师拟聘用人员公示"),
        # TRAP: an attachment-only article (the 公告 is the PDF): not content_missing.
        _a("2026-05-15", "临江县2026年公开招聘中小学教师公告", body=False,
           attachment="临江县2026年公开招聘中小学教师公告.pdf"),
        _a("2026-08-07", "临江县2026年公开招聘中小学教师拟聘用人员公示"),
    )),
    ColumnSpec("11", "zwgk/ndbg/index.html", TRS, "年度报告", "generic", (
        _a("2025-01-22", "临江县教育局2024年政府信息公开工作年度报告"),
        # DEFECT annual_report_late: the 2025 report, due 2026-01-31 (部门), went online 2026-02-12.
        _a("2026-02-12", "临江县教育局2025年政府信息公开工作年度报告"),
    )),
    # DEFECT empty_column: the list says 暂无信息.
    ColumnSpec("12", "hdjl/list.php?catid=121&page=1", QUERY, "校园安全", "generic"),
    ColumnSpec("13", "jysf/index.html", NEXTLINK, "收费项目", "generic", (
        _a("2024-08-30", "临江县中小学服务性收费和代收费项目及标准"),
        _a("2025-08-29", "临江县公办幼儿园保育教育费标准"),
    )),
    # Outside the catalog: the news column every page's "最新动态" sidebar points to.
    ColumnSpec(None, "xwzx/gzdt/index.html", TRS, "工作动态", "generic", (
        _a("2026-11-09", "县教育局开展秋季校园食品安全专项检查"),
        _a("2026-11-12", "我县举办2026年中小学教师教学技能大赛"),
        _a("2026-11-16", "县教育局召开课后服务工作推进会"),
        _a("2026-11-19", "我县3所学校获评省级文明校园"),
    )),
)


@lru_cache(maxsize=1)
def education_model() -> SiteModel:
    return build_model(COLUMNS, name=EDU_NAME)


__all__ = ["EDUCATION", "EDU_NAME", "CATALOG", "SEEDED", "COLUMNS", "education_model"]
