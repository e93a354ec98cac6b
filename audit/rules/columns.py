"""Site rules, applied to every item: can the column be read, does it hold anything, do its
links work (检查指标: 站点无法访问, 空白栏目; broken links are a deduction item)."""
from __future__ import annotations

from audit.findings import Finding
from audit.rules import (AuditContext, Article, ColumnFetch, Item, column_name, is_broken,
                         units_text)


def column_unreachable(item: Item, articles: list[Article], columns: list[ColumnFetch],
                       ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for c in columns:
        if c.reachable:
            continue
        if c.status is None:
            what = f"无响应（{c.error}）" if c.error else "无响应"
        else:
            what = f"HTTP {c.status}" + (f"（{c.error}）" if c.error else "")
        out.append(Finding(
            rule="column_unreachable", severity="fail", item_id=item.id, evidence=(c.column_url,),
            message=(f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）无法访问：{what}。"
                     f"请{units_text(item)}联系网站运维恢复栏目访问，并核对栏目地址。"),
            details={"column_url": c.column_url, "status": c.status, "error": c.error},
        ))
    return out


def empty_column(item: Item, articles: list[Article], columns: list[ColumnFetch],
                 ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for c in columns:
        if not c.reachable or c.entries > 0:
            continue
        out.append(Finding(
            rule="empty_column", severity="fail", item_id=item.id, evidence=(c.column_url,),
            message=(f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）没有任何信息"
                     f"（空白栏目）。请{units_text(item)}发布本栏目应公开的“{item.name}”信息，"
                     f"确无内容的应说明情况或调整栏目设置。"),
            details={"column_url": c.column_url},
        ))
    return out


def broken_link(item: Item, articles: list[Article], columns: list[ColumnFetch],
                ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for a in articles:
        if not is_broken(a) or a.url in seen:
            continue
        seen.add(a.url)
        what = f"HTTP {a.http_status}" if a.http_status else "无法连接"
        label = f"“{a.title}”" if a.title else "链接"
        where = f"（所在列表页：{a.found_on}）" if a.found_on else ""
        out.append(Finding(
            rule="broken_link", severity="warn", item_id=item.id,
            evidence=tuple(u for u in (a.url, a.found_on) if u),
            message=(f"{label}（{a.url}）打开失败：{what}{where}。"
                     f"请{units_text(item)}修复该链接或恢复页面。"),
            details={"url": a.url, "status": a.http_status, "found_on": a.found_on},
        ))
    return out


__all__ = ["column_unreachable", "empty_column", "broken_link"]
