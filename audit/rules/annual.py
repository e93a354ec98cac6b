"""annual_report_late: 条例 Art. 49 — a department publishes its previous year's
政府信息公开工作年度报告 by 31 January.

Each year's report is the earliest matching article of that year (a later re-publication or a
解读 of the report does not make it late). A missing report is reported only for the last closed
year, only once its due date has passed, and only when a column of the item could be read.
"""
from __future__ import annotations

import re
from datetime import date

from audit.findings import Finding
from audit.rules import AuditContext, Article, ColumnFetch, Item, freshness_date, live, units_text

_REPORT_RE = re.compile(r"(?<!\d)(\d{4})\s*年度?.{0,40}?政府信息公开工作年度报告")


def report_year(title: str) -> int | None:
    m = _REPORT_RE.search(title or "")
    return int(m.group(1)) if m else None


def due_date(year: int) -> date:
    return date(year + 1, 1, 31)


def annual_report_late(item: Item, articles: list[Article], columns: list[ColumnFetch],
                       ctx: AuditContext) -> list[Finding]:
    if not item.rules.annual_report:
        return []
    reports: dict[int, tuple[date, Article]] = {}
    for a in live(articles):
        year = report_year(a.title)
        published = freshness_date(a)
        if year is None or published is None:
            continue
        if year not in reports or (published, a.url) < (reports[year][0], reports[year][1].url):
            reports[year] = (published, a)
    units = units_text(item)
    out: list[Finding] = []
    for year in sorted(reports):
        published, a = reports[year]
        due = due_date(year)
        if published <= due:
            continue
        out.append(Finding(
            rule="annual_report_late", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{year}年政府信息公开工作年度报告《{a.title}》于{published}发布，晚于条例"
                     f"第四十九条规定的{due}。请{units}今后在每年1月31日前发布上一年度报告。"),
            details={"year": year, "publish_date": published.isoformat(),
                     "due_date": due.isoformat()},
        ))
    last_closed = ctx.as_of.year - 1
    due = due_date(last_closed)
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


__all__ = ["annual_report_late", "report_year", "due_date"]
