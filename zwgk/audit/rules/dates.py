"""Date rules: is every article dated, and is the date believable?

- date_missing (warn): an article page that shows no 发布日期 of its own. The 2015 普查评分表 says
  an article without a visible publish time counts as not updated: when its list shows no date
  either, the freshness rules already treat it so (the message says which case it is).
- date_future (fail): a 发布日期 after the audit date. The 检查指标 treats a forged date (伪造发稿
  日期) as 弄虚作假; a typo does the same harm, since it keeps a column looking fresh. Freshness
  rules ignore such dates (``freshness_date``).
- date_conflict (warn): the visible 发布日期 and the page's PubDate metadata (《政府网站网页设计规范》)
  differ by more than ``site.audit.date_conflict_days``. The visible date wins for every other
  rule; the conflict is reported because one of the two misinforms readers or search engines.

Attachments listed directly (a PDF in a list) have no page of their own and are not judged by
date_missing; pages the crawler never fetched (off-site) or could not read are not judged.
"""
from __future__ import annotations

from zwgk.grammar.attachment_urls import is_attachment_url
from zwgk.audit.findings import Finding
from zwgk.audit.rules import (URL_CACHE_SIZE, AuditContext, Article, ColumnFetch, Item,
                              article_label, live, split_url, units_text)


def _readable_page(a: Article) -> bool:
    return a.fetched and a.error is None and not is_attachment_url(a.url)


def date_missing(item: Item, articles: list[Article], columns: list[ColumnFetch],
                 ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for a in live(articles):
        if not _readable_page(a):
            continue
        own = a.publish_date is not None and a.date_source != "list"
        if own or (a.list_date is not None and a.list_date > ctx.as_of):
            continue  # a future date is dropped by the extractor as a misread: date_future says it
        if a.publish_date_rejected:
            listed = f"列表页显示{a.list_date}，" if a.list_date is not None else ""
            what = (f"文章页标注的发布日期不可能正确（晚于检查日、早于1990年或为9999-12-31之类的"
                    f"占位日期），未予采用（{listed}本次检查按未标注发布日期处理）。"
                    f"请{units_text(item)}更正文章页的发布日期。")
        elif a.list_date is not None:
            what = (f"文章页未标注发布日期（仅列表页显示{a.list_date}）。"
                    f"请{units_text(item)}在文章页标注发布日期。")
        else:
            what = ("列表页和文章页均未标注发布日期，按检查指标视为未更新。"
                    f"请{units_text(item)}为该信息标注发布日期。")
        out.append(Finding(
            rule="date_missing", severity="warn", item_id=item.id, evidence=(a.url,),
            message=f"{article_label(a)}{what}",
            details={"url": a.url, "list_date": a.list_date.isoformat() if a.list_date else None,
                     **({"reason": "date_rejected"} if a.publish_date_rejected else {})},
        ))
    return out


def date_future(item: Item, articles: list[Article], columns: list[ColumnFetch],
                ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for a in live(articles):
        shown = a.publish_date or a.list_date
        if shown is None or shown <= ctx.as_of:
            continue
        where = "列表页" if a.date_source == "list" or a.publish_date is None else "文章页"
        out.append(Finding(
            rule="date_future", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}{where}显示的发布日期{shown}晚于检查日{ctx.as_of}，"
                     f"发布日期失实（检查指标将伪造发稿日期视为弄虚作假）。"
                     f"请{units_text(item)}更正为实际发布日期。"),
            details={"url": a.url, "publish_date": shown.isoformat(),
                     "date_source": a.date_source or None},
        ))
    return out


def date_conflict(item: Item, articles: list[Article], columns: list[ColumnFetch],
                  ctx: AuditContext) -> list[Finding]:
    tolerance = ctx.settings.date_conflict_days
    out: list[Finding] = []
    for a in live(articles):
        if a.meta_publish_date is None or a.publish_date is None or a.date_source in ("meta", "list"):
            continue
        days = abs((a.publish_date - a.meta_publish_date).days)
        if days <= tolerance:
            continue
        out.append(Finding(
            rule="date_conflict", severity="warn", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}页面显示的发布日期为{a.publish_date}，页面元数据 PubDate "
                     f"却为{a.meta_publish_date}，相差{days}天（本次检查以页面显示的日期为准）。"
                     f"请{units_text(item)}联系网站运维核对并统一发布日期。"),
            details={"url": a.url, "publish_date": a.publish_date.isoformat(),
                     "meta_publish_date": a.meta_publish_date.isoformat(), "days": days},
        ))
    return out


__all__ = ["date_missing", "date_future", "date_conflict", "is_attachment_url"]
