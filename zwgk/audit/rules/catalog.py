"""Findings about the catalog itself, so an administrator sees what the audit could not judge.

- deadline_unparsed (warn): the 公开时限 grammar (``audit.catalog.deadlines``) could not read the
  item's deadline text (or part of it). The item is still crawled and judged for presence (empty
  column, unreachable column, broken links); the finding names the text and shows how to state
  the rule with ``rules:`` in columns.yaml.
"""
from __future__ import annotations

from zwgk.audit.findings import Finding
from zwgk.audit.rules import AuditContext, Article, ColumnFetch, Item


def deadline_unparsed(item: Item, articles: list[Article], columns: list[ColumnFetch],
                      ctx: AuditContext) -> list[Finding]:
    if not item.deadline_unparsed:
        return []
    return [Finding(
        rule="deadline_unparsed", severity="warn", item_id=item.id, evidence=tuple(c.url for c in item.columns),
        message=(f"事项“{item.name}”的公开时限“{item.deadline}”中“{item.deadline_unparsed}”"
                 f"无法识别，本次仅检查栏目是否存在、可访问、有内容，未检查时限。"
                 f"请管理员在 columns.yaml 中为事项 {item.id} 写明 rules，例如 "
                 f"rules: {{publish_lag: {{workdays: 20}}}} 或 rules: {{stale: {{max_age_days: 180}}}}"
                 f"（见 docs/rules.md）。"),
        details={"deadline": item.deadline, "unparsed": item.deadline_unparsed},
    )]


__all__ = ["deadline_unparsed"]
