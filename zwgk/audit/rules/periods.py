"""Freshness rules: is the column kept up to date?

- period_missed: 年度/季度/月度更新 items need at least one article in every closed period, from
  the period of the oldest dated article through the last period that ended before the audit date.
- stale: each column must have a newest article no older than its window: the column's 检查指标
  class when it names one (``class: dynamic`` = 动态/要闻 14 days, ``notice``/``policy`` 6
  months, ``personnel``/``plan`` 12 months; days configurable per site), else the item's
  ``stale_days`` (实时更新 items: 180 days; configurable per item). One finding per column, so
  the site-wide veto tallies count columns as the 检查指标 does.

"Updated" is read from what a visitor sees: the article's own 发布日期, else the date next to it on
the list page. Articles with neither count as not updated (2015 检查指标 form).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zwgk.audit.catalog import COLUMN_CLASS_NAMES, AuditSettings, Column
from zwgk.audit.findings import SOURCES, Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, catalog_source, freshness_date,
                         live, units_text)

_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
PERIOD_NAMES = {"year": "年度", "halfyear": "半年", "quarter": "季度", "month": "月度"}
_MONTHS = {"year": 12, "halfyear": 6, "quarter": 3, "month": 1}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month, identified by its first day."""

    start: date
    kind: str

    @classmethod
    def of(cls, d: date, kind: str) -> "Period":
        if kind == "year":
            return cls(date(d.year, 1, 1), kind)
        if kind == "halfyear":
            return cls(date(d.year, 1 if d.month <= 6 else 7, 1), kind)
        if kind == "quarter":
            return cls(date(d.year, 3 * ((d.month - 1) // 3) + 1, 1), kind)
        if kind == "month":
            return cls(date(d.year, d.month, 1), kind)
        raise ValueError(f"unknown period kind {kind!r}")

    def next(self) -> "Period":
        months = _MONTHS[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + months
        return Period(date(index // 12, index % 12 + 1, 1), self.kind)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def label(self) -> str:
        """Contract spelling: "2025", "2026-H1", "2026-Q3", "2026-08"."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "halfyear":
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def chinese(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "halfyear":
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.start.year}年{_QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        return f"{self.start.year}年{self.start.month}月"


def missed_periods(dates: list[date], kind: str, as_of: date, grace_days: int = 0) -> list[Period]:
    """Closed periods since the first date's period with no date in them. A period is judged
    once it ended before ``as_of`` and its ``grace_days`` ("每季度结束后15日内") have passed."""
    if not dates:
        return []
    covered = {Period.of(d, kind) for d in dates}
    current = Period.of(min(dates), kind)
    out: list[Period] = []
    while current.end + timedelta(days=grace_days) < as_of:
        if current not in covered:
            out.append(current)
        current = current.next()
    return out


def period_missed(item: Item, articles: list[Article], columns: list[ColumnFetch],
                  ctx: AuditContext) -> list[Finding]:
    kind = item.rules.period
    if not kind:
        return []
    dates = [d for a in live(articles) if (d := freshness_date(a, ctx.as_of)) is not None]
    evidence = tuple(c.column_url for c in columns) or tuple(c.url for c in item.columns)
    out: list[Finding] = []
    for period in missed_periods(dates, kind, ctx.as_of, item.rules.period_grace_days):
        out.append(Finding(
            rule="period_missed", severity="fail", item_id=item.id, evidence=evidence,
            message=(f"{period.chinese}（{period.start}至{period.end}）“{item.name}”没有发布任何信息，"
                     f"不符合“{PERIOD_NAMES[kind]}更新”的要求。"
                     f"请{units_text(item)}补充发布该期间的信息，并按{PERIOD_NAMES[kind]}及时更新。"),
            details={"period": period.label},
            source=catalog_source(item, "period_missed", "period"),
        ))
    return out


def stale_window(item: Item, column: Column, settings: AuditSettings) -> tuple[int | None, str | None]:
    """(max age in days, column class) for one column: its class wins, else the item's rule."""
    if column.klass:
        return settings.window(column.klass), column.klass
    return item.rules.stale_days, None


def _articles_of(item: Item, column: Column, articles: list[Article]) -> list[Article]:
    """A column's own articles; an item with one column owns all of them."""
    if len(item.columns) <= 1:
        return articles
    return [a for a in articles if a.column_url == column.url]


def stale(item: Item, articles: list[Article], columns: list[ColumnFetch],
          ctx: AuditContext) -> list[Finding]:
    current = live(articles)
    units = units_text(item)
    out: list[Finding] = []
    for column in item.columns:
        max_age, klass = stale_window(item, column, ctx.settings)
        if max_age is None:
            continue
        arts = _articles_of(item, column, current)
        if not arts:
            continue  # no article at all: empty_column / column_unreachable say it
        label = f"栏目“{column.name or item.name}”"
        kind = f"（{COLUMN_CLASS_NAMES[klass]}栏目）" if klass else ""
        source = (f"{SOURCES['stale']}（{COLUMN_CLASS_NAMES[klass]}栏目{max_age}天）" if klass
                  else catalog_source(item, "stale", "stale_days", SOURCES["stale"]))
        details = {"latest_publish_date": None, "max_age_days": max_age,
                   "column_url": column.url, "class": klass}
        dated = [(d, a) for a in arts if (d := freshness_date(a, ctx.as_of)) is not None]
        if not dated:
            out.append(Finding(
                rule="stale", severity="fail", item_id=item.id,
                evidence=tuple(a.url for a in arts[:5]),
                message=(f"{label}{kind}的{len(arts)}条信息均未显示有效的发布日期，视为未更新"
                         f"（检查指标：未注明发布时间的视为不更新）。"
                         f"请{units}为信息标注发布日期，并及时更新本栏目。"),
                details=details, source=source,
            ))
            continue
        latest, newest = max(dated, key=lambda pair: (pair[0], pair[1].url))
        # Compared as dates, not as a count of days: an audit that reuses results across
        # nights (zwgk.audit.asof) then sees that tomorrow's answer is the same until then.
        if ctx.as_of <= latest + timedelta(days=max_age):
            continue
        age = (ctx.as_of - latest).days
        out.append(Finding(
            rule="stale", severity="fail", item_id=item.id, evidence=(newest.url,),
            message=(f"{label}{kind}最新一条信息发布于{latest}，至检查日{ctx.as_of}已{age}天未更新，"
                     f"超过{max_age}天的更新要求。请{units}及时发布本栏目应公开的“{item.name}”信息。"),
            details={**details, "latest_publish_date": latest.isoformat()}, source=source,
        ))
    return out


__all__ = ["PERIOD_NAMES", "Period", "missed_periods", "period_missed", "stale", "stale_window"]
