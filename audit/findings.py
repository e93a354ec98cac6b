"""The Finding record and the ``findings.json`` contract other tools read."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Severity = Literal["fail", "warn", "info"]
Status = Literal["pass", "warn", "fail", "unknown"]

SEVERITY_ORDER: dict[str, int] = {"fail": 0, "warn": 1, "info": 2}

# Rule names are part of the findings.json contract: never rename one.
RULES: dict[str, str] = {
    "docno_gap": "文号疑似缺号",
    "docno_duplicate": "文号重复",
    "docno_format": "文号格式不规范",
    "publish_lag": "发布超时",
    "interpretation_late": "解读发布超时",
    "meeting_late": "会议信息发布超时",
    "period_missed": "周期内未更新",
    "stale": "栏目长期未更新",
    "empty_column": "空白栏目",
    "column_unreachable": "栏目无法访问",
    "broken_link": "链接失效",
    "annual_report_late": "年度报告逾期",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    item_id: str
    evidence: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "evidence": list(self.evidence),
            "details": _jsonable(self.details),
        }


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    name: str
    units: tuple[str, ...]
    status: Status
    latest_publish_date: date | None
    article_count: int
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "name": self.name,
            "units": list(self.units),
            "status": self.status,
            "latest_publish_date": _jsonable(self.latest_publish_date),
            "article_count": self.article_count,
            "findings": [f.to_json() for f in self.findings],
        }


def item_status(findings: list[Finding] | tuple[Finding, ...], reachable: bool) -> Status:
    """fail beats warn beats pass; an item none of whose columns could be read is unknown
    unless a fail was still established (e.g. the column being unreachable is itself a fail)."""
    severities = {f.severity for f in findings}
    if "fail" in severities:
        return "fail"
    if not reachable:
        return "unknown"
    if "warn" in severities:
        return "warn"
    return "pass"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


__all__ = ["Finding", "ItemResult", "RULES", "SEVERITY_ORDER", "item_status", "asdict"]
