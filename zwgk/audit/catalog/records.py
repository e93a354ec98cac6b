"""The records a catalog (``columns.yaml``) is read into: site, items, columns, rules, thresholds.

Plain frozen dataclasses with no validation of their own (``validation`` builds them from YAML, the
deadline grammar (``deadlines``) derives ``Rules`` from 公开时限 text), so the audit and the tests
can construct them directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

# --- rules -----------------------------------------------------------------------------------

PERIODS = ("year", "halfyear", "quarter", "month")
STALE_DAYS_DEFAULT = 180  # 检查指标: 通知公告/政策文件类 not updated in 6 months

# 检查指标 column classes and their "not updated" windows in days, as monitoring vendors encode
# the indicator's 2 weeks / 6 months / 12 months. A column selects one with ``class:``; a site may
# change the days (``site.audit.stale_windows``).
COLUMN_CLASSES: dict[str, int] = {"dynamic": 14, "notice": 180, "policy": 180, "personnel": 365,
                                  "plan": 365}
COLUMN_CLASS_NAMES: dict[str, str] = {"dynamic": "动态/要闻类", "notice": "通知公告类",
                                      "policy": "政策文件类", "personnel": "人事类",
                                      "plan": "规划计划类"}
# Placeholder that `zwgk catalog import` writes where only the user knows the value.
PLACEHOLDER = "待填写"
PERIOD_NAMES = {"year": "每个自然年度", "halfyear": "每个半年", "quarter": "每个季度", "month": "每个月"}
# What an item is (``kind:``, else inferred by ``kinds``): selects the rules tied to the kind.
KINDS = ("annual_report", "normative", "policy", "interpretation", "meeting", "personnel",
         "other")
KIND_NAMES = {"annual_report": "政府信息公开工作年度报告", "normative": "规范性文件",
              "policy": "政策文件", "interpretation": "政策解读", "meeting": "会议",
              "personnel": "人事信息", "other": "其他"}
# 条例第四十九条: whose annual report is due when.
AGENCY_LEVELS = {"department": (1, 31), "government": (3, 31)}


@dataclass(frozen=True)
class AuditSettings:
    """Site-wide thresholds (``site.audit``). Defaults follow the national 检查指标; local rules
    are often stricter, so every number can be changed in columns.yaml."""

    stale_windows: tuple[tuple[str, int], ...] = tuple(COLUMN_CLASSES.items())
    veto_empty_columns: int = 5         # 空白栏目 ≥ 5
    veto_stale_columns: int = 10        # 应更新而未更新的栏目 ≥ 10
    veto_dynamic_policy_stale: int = 5  # 动态/要闻 + 通知公告/政策文件 not updated ≥ 5
    date_conflict_days: int = 1         # |visible − PubDate meta| above this is a conflict
    content_min_chars: int = 1          # a body shorter than this counts as no body text (1: empty)
    interpretation_workdays: int | None = None  # None: the window of the catalog's 解读 item
    # The audit window: lag, 文号 and 解读 rules judge documents published on or after it (older
    # ones still count for stale and period coverage). None: 1 January of the year before as-of.
    since: date | None = None
    # 检查指标自查 (issue 15): the bureau's list of wrong terms (read relative to columns.yaml;
    # None: no wording check), see docs/rules.md wording_error.
    wordlist: str | None = None

    def window_start(self, as_of: date) -> date:
        return self.since if self.since is not None else date(as_of.year - 1, 1, 1)

    def window(self, klass: str) -> int:
        return dict(self.stale_windows)[klass]


@dataclass(frozen=True)
class Rules:
    """Which deadline checks apply to an item, with their thresholds. ``None`` = not checked."""

    publish_lag_workdays: int | None = None
    # The same lag in calendar days ("N日内", "N天内"); the event it counts from, as named.
    publish_lag_days: int | None = None
    lag_from: str = ""
    stale_days: int | None = None
    period: str | None = None  # one of PERIODS
    # A period counts as missed only this many days after it ends ("每季度结束后15日内").
    period_grace_days: int = 0
    meeting_late_days: int | None = None
    meeting_late_workdays: int | None = None
    interpretation_late_workdays: int | None = None
    annual_report: bool = False
    # A 规范性文件 / major policy needs a 解读 within this many working days of its publication.
    interpretation_missing_workdays: int | None = None
    # A 规范性文件 must show its 有效性 (有效/失效/废止).
    validity_required: bool = False

    def describe(self) -> list[str]:
        """Human (Chinese) description of each active rule, for the report."""
        out = []
        start = self.lag_from or "成文"
        if self.publish_lag_workdays is not None:
            out.append(f"{start}后{self.publish_lag_workdays}个工作日内发布")
        if self.publish_lag_days is not None:
            out.append(f"{start}后{self.publish_lag_days}日内发布")
        if self.stale_days is not None:
            out.append(f"最新信息不得早于{self.stale_days}天前")
        if self.period:
            grace = f"（期满后{self.period_grace_days}日内）" if self.period_grace_days else ""
            out.append(PERIOD_NAMES[self.period] + "至少发布一条" + grace)
        if self.meeting_late_days is not None:
            out.append(f"会议召开后{self.meeting_late_days}日内发布")
        if self.meeting_late_workdays is not None:
            out.append(f"会议召开后{self.meeting_late_workdays}个工作日内发布")
        if self.interpretation_late_workdays is not None:
            out.append(f"政策文件公开后{self.interpretation_late_workdays}个工作日内发布解读")
        if self.annual_report:
            out.append("上一年度政府信息公开工作年度报告须于条例第四十九条规定的期限前发布"
                       "（部门1月31日，县级以上地方人民政府3月31日），"
                       "并包含统一格式的六部分内容（国办公开办函〔2021〕30号）")
        if self.interpretation_missing_workdays is not None:
            out.append(f"文件公开后{self.interpretation_missing_workdays}个工作日内须有解读")
        if self.validity_required:
            out.append("须标注有效性（有效、失效、废止）")
        return out


# --- config records --------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    url: str  # absolute, resolved against site.base_url
    # Optional CSS/XPath overrides for list pages and articles (see docs/config.md).
    selectors: dict[str, str] = field(default_factory=dict)
    # 检查指标 column class (COLUMN_CLASSES): selects the column's stale window.
    klass: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    category: str
    name: str
    content: str
    deadline: str
    units: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: Rules
    doc_series: tuple[str, ...] = ()
    method: str = ""  # 公开方式
    # Known never-published 文号 ("X住建发〔2024〕7号") that must not be reported as gaps.
    docno_exempt: tuple[str, ...] = ()
    kind: str = "other"  # one of KINDS
    # The part of the 公开时限 the deadline grammar could not read ("" when all was read).
    deadline_unparsed: str = ""


@dataclass(frozen=True)
class Site:
    name: str
    base_url: str
    download_delay: float = 1.0
    concurrency: int = 2
    user_agent: str = "zwgk/0.1 (+https://github.com/zwgk/zwgk; disclosure audit)"
    obey_robots: bool = True
    timeout: float = 15.0  # 检查指标: a request failing at 15 s counts as unreachable
    retries: int = 2
    max_pages_per_column: int = 50
    audit: AuditSettings = field(default_factory=AuditSettings)
    # Nightly crawls skip known articles; each is re-checked (conditional GET) and each column's
    # list re-read to its end about once per this many days (0 = every run).
    revalidate_days: int = 30
    retry_backoff: float = 1.0  # seconds before the first retry on 429/5xx, doubled each time
    # 条例第四十九条: department (部门, report due 1月31日) or government (县级以上地方人民政府, 3月31日).
    agency_level: str = "department"
    homepage: str | None = None  # the home page judged by homepage_stale (None: base_url)


@dataclass(frozen=True)
class Config:
    path: str
    site: Site
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def with_base_url(self, base_url: str) -> "Config":
        """The same catalog pointed at another host (the demo on a free port, a staging copy)."""
        old = self.site.base_url
        items = tuple(
            replace(it, columns=tuple(replace(c, url=_rebase(c.url, old, base_url)) for c in it.columns))
            for it in self.items
        )
        homepage = _rebase(self.site.homepage, old, base_url) if self.site.homepage else None
        return replace(self, site=replace(self.site, base_url=base_url, homepage=homepage),
                       items=items)


def _rebase(url: str, old_base: str, new_base: str) -> str:
    if url.startswith(old_base):
        return new_base + url[len(old_base):]
    return url


