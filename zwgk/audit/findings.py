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
    "docno_jump": "文号疑似录入错误",
    "docno_format": "文号格式不规范",
    "publish_lag": "发布超时",
    "interpretation_late": "解读发布超时",
    "meeting_late": "会议信息发布超时",
    "period_missed": "周期内未更新",
    "stale": "栏目长期未更新",
    "empty_column": "空白栏目",
    "column_unreachable": "栏目无法访问",
    "column_unreadable": "栏目未能读取（需浏览器）",
    "broken_link": "链接失效",
    "annual_report_late": "年度报告逾期",
    "annual_report_incomplete": "年度报告内容不全",
    "date_missing": "未标注发布日期",
    "date_future": "发布日期晚于检查日",
    "date_conflict": "发布日期与页面元数据不一致",
    "interpretation_missing": "政策文件缺少解读",
    "validity_missing": "规范性文件未标注有效性",
    "content_missing": "全文发布信息无正文",
    "robots_disallowed": "栏目被robots.txt禁止抓取",
    "pagination_capped": "栏目分页超过上限",
    "page_too_large": "页面过大未能读取",
    "deadline_unparsed": "公开时限无法识别",
    "date_future_unverified": "列表日期晚于检查日（待核实）",
    "content_unlocated": "未能定位正文（待核实）",
}

# Where each rule comes from, shown with every finding. A rule whose threshold comes from the
# catalog names the 公开时限 in its message; this is the standing source.
_CHECK_INDEX = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
SOURCES: dict[str, str] = {
    "docno_gap": "责任分工“要求连号更新”；GB/T 9704—2012《党政机关公文格式》第7.2.5条",
    "docno_duplicate": "GB/T 9704—2012《党政机关公文格式》第7.2.5条（发文字号）",
    "docno_format": "GB/T 9704—2012《党政机关公文格式》第7.2.5条（发文字号）",
    "docno_jump": "GB/T 9704—2012《党政机关公文格式》第7.2.5条（发文字号按年度顺序编号）",
    "publish_lag": "《政府信息公开条例》第二十六条（20个工作日内公开）；责任分工的公开时限",
    "interpretation_late": "责任分工的公开时限（政策文件公开后N个工作日内解读）",
    "interpretation_missing": "责任分工：政策文件解读按“谁起草、谁解读”；公开时限（政策文件公开后N个工作日内）",
    "meeting_late": "责任分工的公开时限（会议召开后N日内）",
    "period_missed": "责任分工的公开时限（年度/半年/季度/月度更新）",
    "stale": _CHECK_INDEX + "单项否决指标“栏目不更新”",
    "empty_column": _CHECK_INDEX + "单项否决指标“栏目不更新”（空白栏目）",
    "column_unreachable": _CHECK_INDEX + "单项否决指标“站点无法访问”（15秒打不开）",
    "broken_link": _CHECK_INDEX + "扣分指标“链接可用性”",
    "annual_report_late": "《政府信息公开条例》第四十九条（部门每年1月31日前、县级以上地方人民政府3月31日前公布上一年度报告）",
    "annual_report_incomplete": "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号（年度报告格式）",
    "date_missing": "全国政府网站普查评分表（国办发〔2015〕15号）：未注明信息发布时间的视为不更新",
    "date_future": _CHECK_INDEX + "单项否决指标“严重错误”（弄虚作假，如伪造发稿日期）",
    "date_conflict": "《政府网站网页设计规范》（国办发〔2017〕47号附件）：PubDate 元数据应为发布时间",
    "validity_missing": "责任分工（规范性文件：在已发布的文件上明确标注文件的废止、失效等情况）",
    "content_missing": "责任分工的公开方式“全文发布”",
    "column_unreadable": "本检查的抓取能力（脚本加载的列表、WAF 验证页面）；未读取的栏目不作判断，不计入空白栏目",
    "robots_disallowed": "网站 robots.txt（RFC 9309）；本检查默认遵守，未读取的栏目不作判断",
    "pagination_capped": "本检查的抓取上限（site.max_pages_per_column）；" + _CHECK_INDEX + "“栏目不更新”须读全栏目",
    "page_too_large": "本检查的下载上限（16 MB）；" + _CHECK_INDEX + "扣分指标“链接可用性”",
    "deadline_unparsed": "责任分工的公开时限；本检查的公开时限语法（docs/rules.md）",
    "date_future_unverified": (_CHECK_INDEX + "单项否决指标“严重错误”（伪造发稿日期）：仅列表日期晚于"
                               "检查日、文章页未标注发布日期，证据不足，不作否决"),
    "content_unlocated": "责任分工的公开方式“全文发布”；本检查未能在页面中定位正文（框架、脚本加载等），不作判断",
}

# What the administrator of this audit (not the 责任单位) can do about a rule's findings in the
# configuration. A unit's task says what the unit does; these go to the report's own section.
ADMIN_ADVICE: dict[str, str] = {
    "docno_gap": ("责任单位确认依法不予公开的文号，在 columns.yaml 该事项的 docno_exempt 中登记"
                  "（如 docno_exempt: {\"某某发〔2026〕\": [3, \"5-7\"]}），今后不再提示为缺号。"),
}

# What identifies one defect across nights (history keys): detail keys, plus "url" for the
# page the finding is about (details["url"], else the first evidence URL). Values that change
# while the defect stays (an age in days, the list of missing numbers) are left out on purpose.
IDENTITY: dict[str, tuple[str, ...]] = {
    "docno_gap": ("series_prefix", "year"),
    "docno_duplicate": ("series_prefix", "year", "number"),
    "docno_jump": ("series_prefix", "year"),
    "docno_format": ("doc_number", "url"),
    "publish_lag": ("url",),
    "interpretation_late": ("url",),
    "interpretation_missing": ("url",),
    "meeting_late": ("url",),
    "period_missed": ("period",),
    "stale": ("column_url",),
    "empty_column": ("column_url",),
    "column_unreachable": ("column_url",),
    "column_unreadable": ("column_url",),
    "broken_link": ("url",),
    "annual_report_late": ("year",),
    "annual_report_incomplete": ("year",),
    "date_missing": ("url",),
    "date_future": ("url",),
    "date_conflict": ("url",),
    "validity_missing": ("url",),
    "content_missing": ("url",),
    "robots_disallowed": ("column_url",),
    "pagination_capped": ("column_url",),
    "page_too_large": ("url",),
    "deadline_unparsed": ("deadline",),
    "date_future_unverified": ("url",),
    "content_unlocated": ("url",),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    item_id: str
    evidence: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    # Where the rule comes from; "" = the rule's standing source (SOURCES).
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "evidence": list(self.evidence),
            "details": _jsonable(self.details),
            "source": self.source or SOURCES.get(self.rule, ""),
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
    """An item none of whose columns could be read is unknown (无法判断): what it published
    was never seen, so it neither passes nor fails on its content — the unreachable column
    stays a finding of its own. Otherwise fail beats warn beats pass."""
    if not reachable:
        return "unknown"
    severities = {f.severity for f in findings}
    if "fail" in severities:
        return "fail"
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


__all__ = ["Finding", "ItemResult", "RULES", "SOURCES", "ADMIN_ADVICE", "IDENTITY",
           "SEVERITY_ORDER", "item_status", "asdict"]
