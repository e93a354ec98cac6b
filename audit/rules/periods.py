"""Freshness rules: is the column kept up to date?

- period_missed: 年度/季度/月度更新 items need at least one article in every closed period, from
  the period of the oldest dated article through the last period that ended before the audit date.
- stale: 实时更新 items must have a newest article no older than ``stale_days`` (检查指标:
  通知公告/政策文件类 columns not updated in 6 months; configurable, local rules are stricter).

"Updated" is read from what a visitor sees: the article's own 发布日期, else the date next to it on
the list page. Articles with neither count as not updated (2015 检查指标 form).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from audit.findings import Finding
from audit.rules import (AuditContext, Article, ColumnFetch, Item, freshness_date, live,
                         units_text)

_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_PERIOD_NAMES = {"year": "年度", "quarter": "季度", "month": "月度"}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month, identified by its first day."""

    start: date
    kind: str

    @classmethod
    def of(cls, d: date, kind: str) -> "Period":
        if kind == "year":
            return cls(date(d.year, 1, 1), kind)
        if kind == "quarter":
            return cls(date(d.year, 3 * ((d.month - 1) // 3) + 1, 1), kind)
        if kind == "month":
            return cls(date(d.year, d.month, 1), kind)
        raise ValueError(f"unknown period kind {kind!r}")

    def next(self) -> "Period":
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + months
        return Period(date(index // 12, index % 12 + 1, 1), self.kind)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def label(self) -> str:
        """Contract spelling: "2025", "2026-Q3", "2026-08"."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def chinese(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "quarter":
            return f"{self.start.year}年{_QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        return f"{self.start.year}年{self.start.month}月"


def missed_periods(dates: list[date], kind: str, as_of: date) -> list[Period]:
    """Closed periods (ending before ``as_of``) since the first date's period with no date in them."""
    if not dates:
        return []
    covered = {Period.of(d, kind) for d in dates}
    current = Period.of(min(dates), kind)
    out: list[Period] = []
    while current.end < as_of:
        if current not in covered:
            out.append(current)
        current = current.next()
    return out


def period_missed(item: Item, articles: list[Article], columns: list[ColumnFetch],
                  ctx: AuditContext) -> list[Finding]:
    kind = item.rules.period
    if not kind:
        return []
    dates = [d for a in live(articles) if (d := freshness_date(a)) is not None]
    evidence = tuple(c.column_url for c in columns) or tuple(c.url for c in item.columns)
    out: list[Finding] = []
    for period in missed_periods(dates, kind, ctx.as_of):
        out.append(Finding(
            rule="period_missed", severity="fail", item_id=item.id, evidence=evidence,
            message=(f"{period.chinese}（{period.start}至{period.end}）“{item.name}”没有发布任何信息，"
                     f"不符合“{_PERIOD_NAMES[kind]}更新”的要求。"
                     f"请{units_text(item)}补充发布该期间的信息，并按{_PERIOD_NAMES[kind]}及时更新。"),
            details={"period": period.label},
        ))
    return out


def stale(item: Item, articles: list[Article], columns: list[ColumnFetch],
          ctx: AuditContext) -> list[Finding]:
    max_age = item.rules.stale_days
    if max_age is None:
        return []
    current = live(articles)
    if not current:
        return []  # no article at all: empty_column / column_unreachable say it
    dated = [(d, a) for a in current if (d := freshness_date(a)) is not None]
    if not dated:
        return [Finding(
            rule="stale", severity="fail", item_id=item.id,
            evidence=tuple(a.url for a in current[:5]),
            message=(f"“{item.name}”的{len(current)}条信息均未显示发布日期，视为未更新（检查指标）。"
                     f"请{units_text(item)}为信息标注发布日期，并及时更新本栏目。"),
            details={"latest_publish_date": None, "max_age_days": max_age},
        )]
    latest, newest = max(dated, key=lambda pair: (pair[0], pair[1].url))
    age = (ctx.as_of - latest).days
    if age <= max_age:
        return []
    return [Finding(
        rule="stale", severity="fail", item_id=item.id, evidence=(newest.url,),
        message=(f"“{item.name}”最新一条信息发布于{latest}，至检查日{ctx.as_of}已{age}天未更新，"
                 f"超过{max_age}天的更新要求。请{units_text(item)}及时发布本栏目应公开的信息。"),
        details={"latest_publish_date": latest.isoformat(), "max_age_days": max_age},
    )]


__all__ = ["Period", "missed_periods", "period_missed", "stale"]
