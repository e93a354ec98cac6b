"""The shape of ``columns.yaml`` as pydantic v2 models: keys, types, ranges, allowed values.

Strict on purpose: YAML turns ``yes`` into a boolean and ``1.0`` into a float, and a clerk's typo
must be an error naming the key, not a silently different value. Every model forbids unknown keys
(``validation`` turns that into "did you mean …"). What needs more than the shape — URLs resolved
against ``site.base_url``, duplicate ids, 待填写 placeholders, 不予公开 ranges — is checked by
``validation`` on the validated values.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from zwgk.audit.catalog.records import AGENCY_LEVELS, COLUMN_CLASSES, KINDS, PERIODS

SELECTORS = ("list_entry", "list_title", "list_date", "next_page", "title", "publish_date",
             "written_date", "doc_number")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False,
                              populate_by_name=True)


def _int(lo: int, hi: int) -> Any:
    return Annotated[int, Field(ge=lo, le=hi)]


def _float(lo: float, hi: float) -> Any:
    return Annotated[float, Field(ge=lo, le=hi)]


def _as_date(value: Any) -> Any:
    """YAML reads 2024-01-01 as a date and "2024-01-01" as text: accept both."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("须为日期 YYYY-MM-DD（审计窗口的第一天）") from None
    return value


def _as_list(value: Any) -> Any:
    """``units: 办公室`` means ``units: [办公室]``."""
    return [value] if isinstance(value, str) else value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


TextList = Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(_as_list)]
ColumnClass = Literal[tuple(COLUMN_CLASSES)]  # type: ignore[valid-type]


class VetoModel(_Strict):
    empty_columns: _int(1, 1000) | None = None
    stale_columns: _int(1, 1000) | None = None
    dynamic_policy_stale: _int(1, 1000) | None = None


class AuditModel(_Strict):
    stale_windows: dict[ColumnClass, _int(1, 3660)] | None = None
    veto: VetoModel | None = None
    date_conflict_days: _int(0, 366) | None = None
    content_min_chars: _int(0, 10000) | None = None
    interpretation_workdays: _int(0, 3660) | None = None
    since: Annotated[date, BeforeValidator(_as_date)] | None = None
    wordlist: Annotated[str, Field(min_length=1)] | None = None  # 检查指标自查: wording_error

    @field_validator("since")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and not 1990 <= value.year <= 2100:
            raise ValueError("须为1990年至2100年之间的日期")
        return value


class SiteModel(_Strict):
    name: str
    base_url: str
    download_delay: _float(0, 60) | None = None
    concurrency: _int(1, 32) | None = None
    user_agent: str | None = None
    obey_robots: bool | None = None
    timeout: _float(1, 300) | None = None
    retries: _int(0, 10) | None = None
    max_pages_per_column: _int(1, 10000) | None = None
    audit: AuditModel | None = None
    revalidate_days: _int(0, 3650) | None = None
    retry_backoff: _float(0, 600) | None = None
    agency_level: Literal[tuple(AGENCY_LEVELS)] | None = None  # type: ignore[valid-type]
    homepage: Annotated[str, Field(min_length=1)] | None = None  # 检查指标自查: homepage_stale

    _name = field_validator("name")(_non_blank)

    @field_validator("user_agent")
    @classmethod
    def _header_safe(cls, value: str | None) -> str | None:
        # HTTP headers are ASCII; Scrapy would encode others in the page's charset.
        if value is not None and (not value.strip() or len(value) > 500 or not value.isascii()):
            raise ValueError("须为非空的 ASCII 文本（不超过500个字符）")
        return value.strip() if value is not None else None


class ColumnModel(_Strict):
    name: str | None = ""
    url: str
    selectors: dict[Literal[SELECTORS], str] | None = None  # type: ignore[valid-type]
    klass: ColumnClass | None = Field(default=None, alias="class")


class _Workdays(_Strict):
    workdays: _int(0, 3660)


class _MaxAge(_Strict):
    max_age_days: _int(0, 3660)


class _Period(_Strict):
    period: Literal[PERIODS]  # type: ignore[valid-type]
    grace_days: _int(0, 366) = 0  # the days allowed after a period ends ("结束后15日内")


class _Lag(_Strict):
    """A lag in working days or in calendar days (exactly one of them)."""

    workdays: _int(0, 3660) | None = None
    days: _int(0, 3660) | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> "_Lag":
        if (self.workdays is None) == (self.days is None):
            raise ValueError("须写 workdays（工作日）或 days（自然日）其中之一")
        return self


class _Flag(_Strict):
    """``annual_report_late: {}``: a rule without parameters, switched on."""


class RulesModel(_Strict):
    """``rules:``: replaces the derived rules entirely; ``false`` switches one off."""

    publish_lag: _Lag | Literal[False] | None = None
    stale: _MaxAge | Literal[False] | None = None
    period_missed: _Period | Literal[False] | None = None
    meeting_late: _Lag | Literal[False] | None = None
    interpretation_late: _Workdays | Literal[False] | None = None
    annual_report_late: bool | _Flag | None = None
    interpretation_missing: _Workdays | Literal[False] | None = None
    validity_missing: bool | _Flag | None = None


class ItemModel(_Strict):
    id: str | int | float
    category: str | None = ""
    name: str
    content: str | None = ""
    deadline: str | None = ""
    method: str | None = ""
    units: TextList = []
    columns: Annotated[list[ColumnModel], Field(min_length=1)]
    doc_series: TextList = []
    rules: RulesModel | None = None
    docno_exempt: TextList | dict[str, Any] = []
    kind: Literal[KINDS] | None = None  # type: ignore[valid-type]

    _name = field_validator("name")(_non_blank)

    @field_validator("columns", mode="before")
    @classmethod
    def _bare_urls(cls, value: Any) -> Any:
        """``columns: ["a/index.html"]`` means ``[{url: "a/index.html"}]``."""
        if isinstance(value, list):
            return [{"url": v} if isinstance(v, str) else v for v in value]
        return value


__all__ = ["SiteModel", "AuditModel", "VetoModel", "ColumnModel", "ItemModel", "RulesModel",
           "SELECTORS"]
