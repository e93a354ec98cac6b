"""Site rules, applied to every item: can the column be read, does it hold anything, do its
links work (检查指标: 站点无法访问, 空白栏目; broken links are a deduction item)."""
from __future__ import annotations

import re

from zwgk.grammar.attachment_urls import is_attachment_url
from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, column_name, is_broken,
                              normalize_url, units_text)

# Why a column could not be read (the crawler's vocabulary, findings.json details.reason).
REASONS = ("timeout", "connection_error", "redirect_loop", "http_status", "challenge",
           "empty_body", "offsite_redirect", "page_too_large", "credentials_in_url")
_REASON_TEXT = {
    "page_too_large": "列表页过大（超过16 MB下载上限，或压缩后膨胀超过上限），未能读取",
    "credentials_in_url": "栏目地址含用户名和密码（user:pass@），出于安全未予访问",
    "timeout": "请求超时，服务器未在时限内响应",
    "connection_error": "连接失败（连接被拒绝、中断或域名无法解析）",
    "redirect_loop": "页面循环跳转（重定向次数超过上限）",
    "empty_body": "服务器返回了空白页面（HTTP 200 但没有内容）",
    "not_html": "返回的不是网页",
    "read_error": "页面无法读取",
    "offsite_redirect": "栏目地址跳转到本网站以外的地址，出于安全考虑未访问",
}
# Why a column answered but could not be read by us (column_unreadable): the crawler's list
# notes start with "js_required:" for a script-filled list it could not render; a challenge
# page is a list error "challenge".
UNREADABLE = ("js_required", "challenge")
_UNREADABLE_TEXT = {
    "js_required": ("栏目列表由 JavaScript 脚本加载，不使用浏览器无法读取列表内容（并非空白栏目）",
                    "在 columns.yaml 的 site 中设置 render: auto 或 always 并安装 Chromium 后重新检查；"
                    "或请网站运维在网页中提供无需脚本即可浏览的列表"),
    "challenge": ("网站启用了反爬虫防护（WAF，如瑞数），返回的是 JavaScript 验证页面，"
                  "普通爬虫无法读取栏目内容（并非空白栏目）",
                  "需使用类浏览器客户端（如无头 Chromium 浏览器，site.render: auto）抓取，或请网站运维"
                  "将本检查的访问地址/User-Agent 加入 WAF 白名单后重新检查"),
}
# Article errors other rules report: not broken links.
PAGE_TOO_LARGE_RE = re.compile(r"^page_too_large: (\d+|\?) bytes")
ROBOTS = "robots_disallowed"


def unreachable_reason(c: ColumnFetch) -> str:
    """The reason of an unreachable column: the crawler's own word when it gave one; else
    http_status for a status >= 400, connection_error when nothing answered, and read_error
    for a page that answered but could not be read (the error says why)."""
    error = c.error or ""
    for reason in REASONS:
        if error.startswith(reason):
            return reason
    if c.status is not None and c.status >= 400:
        return "http_status"
    return "connection_error" if c.status is None else "read_error"


def column_unreachable(item: Item, articles: list[Article], columns: list[ColumnFetch],
                       ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for c in columns:
        if c.reachable or c.error == ROBOTS:  # robots.txt: robots_disallowed reports it
            continue
        reason = unreachable_reason(c)
        if reason == "challenge":
            continue  # column_unreadable: the site answers, we could not pass its check
        status = f"HTTP {c.status}" if c.status is not None else "无响应"
        severity = "fail"
        if reason == "offsite_redirect":
            # The column may have moved to another platform: unclear evidence, a warning.
            severity = "warn"
            what = _REASON_TEXT[reason]
            todo = ("核对栏目地址；如跳转后的地址确属本网站，可将其主机名加入 columns.yaml 的 "
                    "site.hosts 后重新检查")
        else:
            what = _REASON_TEXT.get(reason, status)
            if reason != "http_status":
                what = f"{what}（{status}）" if c.status is not None else what
            todo = "联系网站运维恢复栏目访问，并核对栏目地址"
        out.append(Finding(
            rule="column_unreachable", severity=severity, item_id=item.id, evidence=(c.column_url,),
            message=(f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）无法访问：{what}。"
                     f"请{units_text(item)}{todo}。"),
            details={"column_url": c.column_url, "status": c.status, "reason": reason,
                     "error": c.error},
        ))
    return out


def unreadable_reason(c: ColumnFetch) -> str | None:
    """js_required or challenge when the column answered but its list could not be read by us;
    None otherwise (an empty list that says so, a readable list, an unreachable column)."""
    if c.error and unreachable_reason(c) == "challenge":
        return "challenge"
    if c.reachable and c.entries == 0 and any(n.startswith("js_required") for n in c.notes):
        return "js_required"
    return None


def column_unreadable(item: Item, articles: list[Article], columns: list[ColumnFetch],
                      ctx: AuditContext) -> list[Finding]:
    """A column whose list a browser shows but zwgk could not read (script-filled list without
    rendering, a WAF challenge not passed): a warning saying why — never 空白栏目, whose count is
    a single veto. Accusing a unit of an empty column we simply could not see is the worst bug."""
    out: list[Finding] = []
    for c in columns:
        reason = unreadable_reason(c)
        if reason is None:
            continue
        what, todo = _UNREADABLE_TEXT[reason]
        status = f"HTTP {c.status}" if c.status is not None else "无响应"
        out.append(Finding(
            rule="column_unreadable", severity="warn", item_id=item.id, evidence=(c.column_url,),
            message=(f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）未能读取（{status}）："
                     f"{what}，本次未判断该栏目是否更新。如需检查，{todo}。"),
            details={"column_url": c.column_url, "status": c.status, "reason": reason,
                     "notes": [n for n in c.notes if n.startswith(UNREADABLE)][:3]},
        ))
    return out


def robots_disallowed(item: Item, articles: list[Article], columns: list[ColumnFetch],
                      ctx: AuditContext) -> list[Finding]:
    """A column the site's robots.txt forbids: not read, so not judged — said so, with the way
    a bureau auditing its own site can lift it."""
    return [Finding(
        rule="robots_disallowed", severity="warn", item_id=item.id, evidence=(c.column_url,),
        message=(f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）被网站 robots.txt "
                 f"禁止抓取，本次未检查。如为本单位网站的自查，可在 columns.yaml 的 site 中设置 "
                 f"obey_robots: false 后重新检查；或请网站运维调整 robots.txt。"),
        details={"column_url": c.column_url},
    ) for c in columns if c.error == ROBOTS]


def pagination_capped(item: Item, articles: list[Article], columns: list[ColumnFetch],
                      ctx: AuditContext) -> list[Finding]:
    """A column whose pagination did not end within the page cap (a trap, or a column larger
    than the cap): what lies beyond was not read, so rules over the whole column are partial."""
    return [_capped(item, c) for c in columns if c.capped]


def _capped(item: Item, c: ColumnFetch) -> Finding:
    details: dict[str, object] = {"column_url": c.column_url, "pages": c.pages}
    if c.entries_capped:
        details["entries_skipped"] = c.entries_capped
        message = (f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）的列表页所列条目超过"
                   f"抓取上限（每页或每栏目），{c.entries_capped} 条未检查（可能是链接陷阱，或列表"
                   f"异常）。请{units_text(item)}核对栏目列表是否正常。")
    else:
        message = (f"栏目“{column_name(item, c.column_url)}”（{c.column_url}）的分页在读取 {c.pages} "
                   f"页后仍未结束（可能是分页陷阱，或栏目页数超过上限），其后的页面未检查。"
                   f"请{units_text(item)}核对栏目分页是否正确；如栏目确有这么多页，可调高 "
                   f"site.max_pages_per_column。")
    return Finding(rule="pagination_capped", severity="warn", item_id=item.id,
                   evidence=(c.column_url,), message=message, details=details)


def page_too_large(item: Item, articles: list[Article], columns: list[ColumnFetch],
                   ctx: AuditContext) -> list[Finding]:
    """An article page larger than the download cap: not read (and not a broken link)."""
    out: list[Finding] = []
    seen: set[str] = set()
    for a in articles:
        m = PAGE_TOO_LARGE_RE.match(a.error or "")
        if m is None or a.url in seen:
            continue
        seen.add(a.url)
        size = int(m.group(1)) if m.group(1).isdigit() else None
        shown = f"{size / 1024 / 1024:.1f} MB" if size else "超过上限"
        out.append(Finding(
            rule="page_too_large", severity="warn", item_id=item.id,
            evidence=tuple(u for u in (a.url, a.found_on) if u),
            message=(f"{article_label_or_url(a)}（{a.url}）页面过大（{shown}），超过下载上限，"
                     f"未能读取。请{units_text(item)}检查该页面（是否误把附件或大量内容嵌入网页）。"),
            details={"url": a.url, "bytes": size},
        ))
    return out


def article_label_or_url(a: Article) -> str:
    return f"“{a.title}”" if a.title else "页面"


def empty_column(item: Item, articles: list[Article], columns: list[ColumnFetch],
                 ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for c in columns:
        if not c.reachable or c.entries > 0 or unreadable_reason(c) is not None:
            continue  # unreadable: column_unreadable says so (never 空白栏目)
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
        if a.error == ROBOTS or PAGE_TOO_LARGE_RE.match(a.error or ""):
            continue  # not broken: forbidden to us, or too large to read (page_too_large)
        seen.add(a.url)
        what = f"HTTP {a.http_status}" if a.http_status else "无法连接"
        if (a.error or "").startswith("offsite_redirect"):
            what = "页面跳转到本网站以外的地址，出于安全考虑未访问"
        label = f"“{a.title}”" if a.title else "链接"
        where = f"（所在列表页：{a.found_on}）" if a.found_on else ""
        out.append(Finding(
            rule="broken_link", severity="warn", item_id=item.id,
            evidence=tuple(u for u in (a.url, a.found_on) if u),
            message=(f"{label}（{a.url}）打开失败：{what}{where}。"
                     f"请{units_text(item)}修复该链接或恢复页面。"),
            details={"url": a.url, "status": a.http_status, "found_on": a.found_on},
        ))
    out.extend(_broken_attachments(item, articles, ctx, seen))
    return out


def _broken_attachments(item: Item, articles: list[Article], ctx: AuditContext,
                        seen: set[str]) -> list[Finding]:
    """Attachments of live articles that the crawler fetched and that failed (≥ 400, or no
    answer): broken links too. Attachments not fetched tonight have no status: not judged."""
    out: list[Finding] = []
    for a in articles:
        if is_broken(a) or not a.fetched:
            continue
        for url, anchor in a.links:
            status = ctx.link_status.get(normalize_url(url))
            if status is None or 0 < status < 400 or url in seen or not is_attachment_url(url):
                continue
            seen.add(url)
            what = f"HTTP {status}" if status else "无法连接"
            out.append(Finding(
                rule="broken_link", severity="warn", item_id=item.id, evidence=(url, a.url),
                message=(f"{article_label_or_url(a)}的附件“{anchor or url}”（{url}）打开失败："
                         f"{what}。请{units_text(item)}修复该附件链接。"),
                details={"url": url, "status": status, "found_on": a.url},
            ))
    return out


__all__ = ["column_unreachable", "column_unreadable", "unreadable_reason", "empty_column", "broken_link", "robots_disallowed",
           "pagination_capped", "page_too_large", "unreachable_reason", "REASONS"]
