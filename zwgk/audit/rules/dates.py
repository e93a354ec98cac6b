"""Date rules: is every article dated, and is the date believable?

- date_missing (warn): an article page that shows no 发布日期 of its own. The 2015 普查评分表 says
  an article without a visible publish time counts as not updated: when its list shows no date
  either, the freshness rules already treat it so (the message says which case it is).
- date_future (fail): the article's own page shows a 发布日期 after the audit date. The 检查指标
  treats a forged date (伪造发稿日期) as 弄虚作假; a typo does the same harm, since it keeps a
  column looking fresh. Freshness rules ignore such dates (``freshness_date``). The crawler does
  not use such a date but stores what the page showed (``rejected_publish_date``), so the audit
  decides from what the page says, not from the extractor having dropped it.
- date_future_unverified (warn): only the list shows a date after the audit date and the page
  shows none (or could not be read): a 会议预告 may list the meeting day, so the evidence does not
  prove a false 发布日期. A list date after as-of whose page shows an earlier 发布日期 is no
  finding at all (the page's date is the publish date).
- date_conflict (warn): the visible 发布日期 and the page's PubDate metadata (《政府网站网页设计规范》)
  differ by more than ``site.audit.date_conflict_days``. The visible date wins for every other
  rule; the conflict is reported because one of the two misinforms readers or search engines.

Attachments listed directly (a PDF in a list) have no page of their own and are not judged by
date_missing; pages the crawler never fetched (off-site) or could not read are not judged.
"""
from __future__ import annotations

from datetime import date

from zwgk.grammar.attachment_urls import is_attachment_url
from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item,
                              article_label, live, units_text)


def _readable_page(a: Article) -> bool:
    return a.fetched and a.error is None and not is_attachment_url(a.url)


def _own_date(a: Article) -> bool:
    """The page itself shows a usable 发布日期 (not the list's date standing in for it)."""
    return a.publish_date is not None and a.date_source not in ("list", "rejected")


def page_future_date(a: Article, as_of: date) -> date | None:
    """The 发布日期 the article's own page shows when it is after ``as_of``; else None.

    A date the crawler set aside (``rejected_publish_date``) counts when it is a real calendar
    date of this or the next century's years a date grammar reads (19xx/20xx): a CMS placeholder
    such as 9999-12-31 is no claim of a publish day (date_missing names it)."""
    if _own_date(a) and a.publish_date is not None and a.publish_date > as_of:
        return a.publish_date
    try:
        shown = date.fromisoformat((a.rejected_publish_date or "")[:10])
    except ValueError:
        return None
    return shown if 1900 <= shown.year <= 2099 and shown > as_of else None


def date_missing(item: Item, articles: list[Article], columns: list[ColumnFetch],
                 ctx: AuditContext) -> list[Finding]:
    out: list[Finding] = []
    for a in live(articles):
        if not _readable_page(a):
            continue
        if (_own_date(a) or (a.list_date is not None and a.list_date > ctx.as_of)
                or page_future_date(a, ctx.as_of) is not None):
            continue  # a future date (page or list): date_future / date_future_unverified say it
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
        shown = page_future_date(a, ctx.as_of)
        if shown is None:
            continue
        out.append(Finding(
            rule="date_future", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}文章页显示的发布日期{shown}晚于检查日{ctx.as_of}，"
                     f"发布日期失实（检查指标将伪造发稿日期视为弄虚作假）。"
                     f"请{units_text(item)}更正为实际发布日期。"),
            details={"url": a.url, "publish_date": shown.isoformat(), "date_source": "page",
                     "list_date": a.list_date.isoformat() if a.list_date else None},
        ))
    return out


def date_future_unverified(item: Item, articles: list[Article], columns: list[ColumnFetch],
                           ctx: AuditContext) -> list[Finding]:
    """A list date after as-of that the page neither confirms nor corrects: warn, no veto."""
    out: list[Finding] = []
    for a in live(articles):
        if (a.list_date is None or a.list_date <= ctx.as_of or _own_date(a)
                or page_future_date(a, ctx.as_of) is not None):
            continue  # no future list date, the page shows its own (earlier) date, or date_future
        if not a.fetched:
            why, reason = "文章页未抓取（站外链接），无法核实发布日期", "page_not_fetched"
        elif a.error is not None:
            why, reason = "文章页未能读取，无法核实发布日期", "page_unreadable"
        elif is_attachment_url(a.url):
            why, reason = "该条目是直接列出的附件，没有可核实发布日期的文章页", "attachment"
        else:
            why, reason = "文章页未标注发布日期，无法核实", "page_undated"
        out.append(Finding(
            rule="date_future_unverified", severity="warn", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}列表页显示的日期{a.list_date}晚于检查日{ctx.as_of}，"
                     f"{why}。列表日期可能是活动或会议日期（如会议预告），不据此认定发布日期失实；"
                     f"请{units_text(item)}核实：列表应显示发布日期，文章页应标注发布日期。"),
            details={"url": a.url, "list_date": a.list_date.isoformat(), "reason": reason},
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


__all__ = ["date_missing", "date_future", "date_future_unverified", "date_conflict",
           "page_future_date", "is_attachment_url"]
