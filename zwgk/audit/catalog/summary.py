"""Each item's derived rules in Chinese, for ``zwgk validate``: an administrator checks what the
grammar and the kind inference made of the catalog before a night's audit relies on it."""
from __future__ import annotations

from zwgk.audit.catalog.records import KIND_NAMES, Config, Item


def item_summary(item: Item) -> str:
    """One line: id, name, kind, the 公开时限 as written and the rules it became."""
    rules = "；".join(item.rules.describe()) or "仅检查栏目存在、可访问、有内容"
    line = (f"{item.id} {item.name}［{KIND_NAMES.get(item.kind, item.kind)}］"
            f"公开时限“{item.deadline or '（未填）'}” → {rules}")
    if item.doc_series:
        line += f"；文号系列：{'、'.join(item.doc_series)}"
    if item.deadline_unparsed:
        line += f"（⚠ 无法识别“{item.deadline_unparsed}”：请用 rules: 写明）"
    return line


def config_summary(config: Config) -> list[str]:
    level = {"department": "部门（年度报告1月31日前）",
             "government": "县级以上地方人民政府（年度报告3月31日前）"}[config.site.agency_level]
    since = config.site.audit.since
    window = since.isoformat() if since else "检查日前一年的1月1日"
    return [f"机关层级：{level}；审计窗口起点：{window}",
            *(item_summary(item) for item in config.items)]


__all__ = ["item_summary", "config_summary"]
