"""The 政府信息公开工作年度报告.

- annual_report_late: 条例 Art. 49 — a department publishes its previous year's report by
  31 January. Each year's report is the earliest matching article of that year (a later
  re-publication or a 解读 of the report does not make it late). A missing report is reported
  only for the last closed year, only once its due date has passed, and only when a column of
  the item could be read.
- annual_report_incomplete: 条例 Art. 50 and the uniform format of 国办公开办函〔2021〕30号 (from
  the 2021 reports on): the last closed year's report must contain its six parts. A report whose
  page text is too short to hold them (published as an attachment) is not judged: the audit
  does not read attachments, and says nothing rather than guess.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from zwgk.audit.catalog import AGENCY_LEVELS
from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, article_label, freshness_date,
                         live, units_text)

# Title variants as bureaus write them: "2025年政府信息公开工作年度报告", "…2025年政府信息公开
# 年度报告", "…政府信息公开工作2025年度报告", "2025年度政府信息公开工作报告".
_REPORT_RES = (
    re.compile(r"(?<!\d)(\d{4})\s*年度?.{0,40}?政[府务]信息公开(?:工作)?\s*(?:年度)?\s*(?:工作)?报告"),
    re.compile(r"政[府务]信息公开(?:工作)?\s*(\d{4})\s*年度?\s*(?:工作)?报告"),
)
_SPACE_RE = re.compile(r"\s+")
FORMAT_FIRST_YEAR = 2021  # 国办公开办函〔2021〕30号 applies from the 2021 reports
MIN_REPORT_CHARS = 200    # shorter page text: the report is in an attachment, not judged
# The six parts of the uniform format, each with the spellings reports use.
SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("总体情况", re.compile(r"总体情况")),
    ("主动公开政府信息情况", re.compile(r"主动公开政府信息的?情况")),
    ("收到和处理政府信息公开申请情况", re.compile(r"收到和处理政府信息公开申请的?情况")),
    ("政府信息公开行政复议、行政诉讼情况",
     re.compile(r"政府信息公开(?:工作)?(?:被申请)?行政复议[、,和及]?(?:提起)?行政诉讼的?情况")),
    ("存在的主要问题及改进情况", re.compile(r"存在的?主要问题及其?改进情况")),
    ("其他需要报告的事项", re.compile(r"其他需要报告的事项")),
)


def missing_sections(text: str) -> list[str]:
    """The parts of the uniform format that ``text`` does not contain (in format order)."""
    flat = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text or ""))
    return [name for name, pattern in SECTIONS if not pattern.search(flat)]


def report_year(title: str) -> int | None:
    for regex in _REPORT_RES:
        m = regex.search(title or "")
        if m:
            return int(m.group(1))
    return None


def due_date(year: int, agency_level: str = "department") -> date:
    """条例第四十九条: a department publishes by 31 January, a 县级以上地方人民政府 by 31 March."""
    month, day = AGENCY_LEVELS.get(agency_level, AGENCY_LEVELS["department"])
    return date(year + 1, month, day)


def annual_report_late(item: Item, articles: list[Article], columns: list[ColumnFetch],
                       ctx: AuditContext) -> list[Finding]:
    if not item.rules.annual_report:
        return []
    reports: dict[int, tuple[date, Article]] = {}
    for a in live(articles):
        year = report_year(a.title)
        published = freshness_date(a, ctx.as_of)
        if year is None or published is None:
            continue
        if year not in reports or (published, a.url) < (reports[year][0], reports[year][1].url):
            reports[year] = (published, a)
    units = units_text(item)
    out: list[Finding] = []
    for year in sorted(reports):
        published, a = reports[year]
        due = due_date(year, ctx.agency_level)
        if published <= due:
            continue
        out.append(Finding(
            rule="annual_report_late", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{year}年政府信息公开工作年度报告《{a.title}》于{published}发布，晚于条例"
                     f"第四十九条规定的{due}。请{units}今后在每年{due.month}月{due.day}日前发布上一年度报告。"),
            details={"year": year, "publish_date": published.isoformat(),
                     "due_date": due.isoformat()},
        ))
    last_closed = ctx.as_of.year - 1
    due = due_date(last_closed, ctx.agency_level)
    readable = any(c.reachable for c in columns)
    if last_closed not in reports and ctx.as_of > due and readable:
        out.append(Finding(
            rule="annual_report_late", severity="fail", item_id=item.id,
            evidence=tuple(c.column_url for c in columns if c.reachable),
            message=(f"未找到{last_closed}年政府信息公开工作年度报告，条例第四十九条规定的期限"
                     f"{due}已过。请{units}立即发布该年度报告。"),
            details={"year": last_closed, "publish_date": None, "due_date": due.isoformat()},
        ))
    return out


def _reports(articles: list[Article], ctx: AuditContext) -> dict[int, Article]:
    """Each year's report: its earliest dated article."""
    out: dict[int, Article] = {}
    for a in live(articles):
        year = report_year(a.title)
        published = freshness_date(a, ctx.as_of)
        if year is None or published is None:
            continue
        best = out.get(year)
        if best is None or (published, a.url) < (freshness_date(best, ctx.as_of), best.url):
            out[year] = a
    return out


def annual_report_incomplete(item: Item, articles: list[Article], columns: list[ColumnFetch],
                             ctx: AuditContext) -> list[Finding]:
    if not item.rules.annual_report:
        return []
    year = ctx.as_of.year - 1
    report = _reports(articles, ctx).get(year)
    if report is None or year < FORMAT_FIRST_YEAR or not report.fetched or report.error:
        return []
    text = report.body_text or ""
    if len(_SPACE_RE.sub("", text)) < MIN_REPORT_CHARS:
        return []  # the report is an attachment (or the page is empty: content_missing says so)
    missing = missing_sections(text)
    if not missing:
        return []
    return [Finding(
        rule="annual_report_incomplete", severity="fail", item_id=item.id, evidence=(report.url,),
        message=(f"{year}年政府信息公开工作年度报告{article_label(report)}缺少统一格式"
                 f"（国办公开办函〔2021〕30号）规定的内容：{'、'.join(missing)}。"
                 f"请{units_text(item)}按统一格式补充完整并重新发布。"),
        details={"year": year, "url": report.url, "missing_sections": missing},
    )]


__all__ = ["annual_report_late", "annual_report_incomplete", "report_year", "due_date",
           "missing_sections", "SECTIONS"]
