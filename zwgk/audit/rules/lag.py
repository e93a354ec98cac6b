"""Lag rules: how long after an event an article went online.

- publish_lag: 成文日期 -> 发布日期 in working days (条例 Art. 26: 20 working days; or the
  catalog's own 公开时限).
- interpretation_late: the policy's 发布日期 -> its 解读's 发布日期 in working days (the catalog's
  "政策文件公开后的3个工作日之内").
- meeting_late: the meeting date read from the article -> 发布日期 in calendar days (the catalog's
  "会议召开后3日内").

Lag needs precise dates, so these rules use the article's own 发布日期 only (never the list date)
and skip articles missing a date rather than guessing.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, article_label, catalog_source,
                         estimated_note, in_window, is_estimated, judged, live, normalize_title,
                         normalize_url, units_text)

# --- meeting dates ---------------------------------------------------------------------------

_FULL_DATE_RE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_PARTIAL_DATE_RE = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_NEWLINES_RE = re.compile(r"[\r\n]+")
_SPACES_RE = re.compile(r"\s+")
_CLAUSE_END_RE = re.compile(r"[。；;！!？?]")
# After the date, in the same clause: the date is when a meeting took place.
_MEETING_WORD_RE = re.compile(r"召开|举行|举办|会议|办公会|座谈会|例会|研讨会|推进会|调度会")
# Between the date and the meeting word: the date belongs to a document, not to the meeting.
_DOCUMENT_VERB_RE = re.compile(r"印发|发布|出台|施行|实施|公布|下发|颁布|签发|发文")
# Right before the date: a label such as 会议时间：.
_MEETING_LABEL_RE = re.compile(r"(?:会议|召开|开会)(?:时间|日期)[:：]?$")
_CLAUSE_WINDOW = 40  # characters after a date that may still describe it
_VERB_WINDOW = 12
_LABEL_WINDOW = 8


def _flatten(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES_RE.sub("", _NEWLINES_RE.sub("。", text))


def meeting_dates(text: str, publish: date) -> list[date]:
    """Dates in ``text`` that say when a meeting took place ("2026年11月3日，…召开",
    "11月3日上午…召开" with the year of ``publish``, "于2026年11月3日召开", "会议时间：…")."""
    flat = _flatten(text)
    found: list[tuple[int, int, date]] = []
    for regex, has_year in ((_FULL_DATE_RE, True), (_ISO_DATE_RE, True), (_PARTIAL_DATE_RE, False)):
        for m in regex.finditer(flat):
            try:
                if has_year:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                else:
                    d = date(publish.year, int(m.group(1)), int(m.group(2)))
                    if d > publish:  # "12月30日" read in a January article
                        d = date(publish.year - 1, d.month, d.day)
            except ValueError:
                continue
            found.append((m.start(), m.end(), d))
    found.sort()
    out: list[date] = []
    for index, (start, end, d) in enumerate(found):
        limit = min(len(flat), end + _CLAUSE_WINDOW)
        if index + 1 < len(found):
            limit = min(limit, found[index + 1][0])
        stop = _CLAUSE_END_RE.search(flat, end, limit)
        clause = flat[end:stop.start() if stop else limit]
        before = flat[max(0, start - _LABEL_WINDOW):start]
        word = _MEETING_WORD_RE.search(clause)
        tied = word is not None and not _DOCUMENT_VERB_RE.search(
            clause[:min(word.start(), _VERB_WINDOW)])
        if tied or _MEETING_LABEL_RE.search(before):
            out.append(d)
    return out


def meeting_date(article: Article) -> date | None:
    """The meeting date of a 会议 article: from the title, else the body; the date nearest
    before (or on) the publish date."""
    if article.publish_date is None:
        return None
    for text in (article.title, article.body_text):
        dates = [d for d in meeting_dates(text, article.publish_date) if d <= article.publish_date]
        if dates:
            return max(dates)
    return None


# --- policy of a 解读 -------------------------------------------------------------------------

_BOOK_TITLE_RE = re.compile(r"《([^《》]{2,150})》")
_POLICY_ANCHOR_RE = re.compile(r"相关文件|原文|政策文件|文件全文|正文|全文")


def _earliest(candidates: list[Article]) -> Article | None:
    dated = [a for a in candidates if a.publish_date is not None]
    return min(dated, key=lambda a: (a.publish_date, a.url)) if dated else None


def _latest_before(candidates: list[Article], when: date | None) -> Article | None:
    dated = [a for a in candidates if a.publish_date is not None
             and (when is None or a.publish_date <= when)]
    return max(dated, key=lambda a: (a.publish_date, a.url)) if dated else None


def _by_title(title: str, ctx: AuditContext, exclude: str) -> Article | None:
    return _earliest([a for a in ctx.articles_by_title.get(normalize_title(title), [])
                      if normalize_url(a.url) != exclude])


def find_policy(article: Article, ctx: AuditContext) -> Article | None:
    """The crawled policy document a 解读 explains, or None.

    Tried in order (most explicit evidence first):
    1. a body link to a crawled article whose anchor is its title or a 相关文件/原文-type label,
       or whose anchor is 《title》 of a crawled article;
    2. a 《title》 quoted in the 解读's own title: a document of that title, else the latest
       document (published on or before the 解读) whose title carries the same 《name》;
    3. any other body link to a crawled article of another catalog item;
    4. a 《title》 quoted in the body: the one published last on or before the 解读.
    """
    own = normalize_url(article.url)
    by_url = ctx.articles_by_url
    for url, anchor in article.links:
        target = by_url.get(normalize_url(url))
        anchor_books = _BOOK_TITLE_RE.findall(anchor or "")
        if target is not None and normalize_url(target.url) != own and target.publish_date:
            if (normalize_title(anchor) == normalize_title(target.title)
                    or _POLICY_ANCHOR_RE.search(anchor or "") or anchor_books):
                return target
        for book in anchor_books:
            found = _by_title(book, ctx, own)
            if found is not None:
                return found
    for book in _BOOK_TITLE_RE.findall(article.title):
        found = _by_title(book, ctx, own)
        if found is not None:
            return found
    for book in _BOOK_TITLE_RE.findall(article.title):
        # "一图读懂《X办法》" explains "关于印发《X办法》的通知": the latest such document
        # published on or before the 解读.
        found = _latest_before([a for a in ctx.articles_by_book.get(normalize_title(book), [])
                                if normalize_url(a.url) != own], article.publish_date)
        if found is not None:
            return found
    for url, _anchor in article.links:
        target = by_url.get(normalize_url(url))
        if (target is not None and target.item_id != article.item_id
                and normalize_url(target.url) != own and target.publish_date):
            return target
    books = [found for book in _BOOK_TITLE_RE.findall(article.body_text)
             if (found := _by_title(book, ctx, own)) is not None]
    if not books:
        return None
    if article.publish_date is not None:
        before = [a for a in books if a.publish_date <= article.publish_date]
        if before:
            return max(before, key=lambda a: a.publish_date)
    return min(books, key=lambda a: a.publish_date)


# --- rules -----------------------------------------------------------------------------------

def publish_lag(item: Item, articles: list[Article], columns: list[ColumnFetch],
                ctx: AuditContext) -> list[Finding]:
    """成文 (or the event the 公开时限 names) -> 发布, in working days or calendar days as the
    公开时限 says. Only documents in the audit window that are the item's own are judged."""
    workdays, days_limit = item.rules.publish_lag_workdays, item.rules.publish_lag_days
    if workdays is None and days_limit is None:
        return []
    field_name = "publish_lag_workdays" if workdays is not None else "publish_lag_days"
    out: list[Finding] = []
    source = catalog_source(item, "publish_lag", field_name,
                            "《政府信息公开条例》第二十六条（20个工作日内公开）")
    event = item.rules.lag_from or "成文"
    for a in live(articles):
        if a.written_date is None or a.publish_date is None or not judged(item, a, ctx):
            continue
        if workdays is not None:
            days, limit, unit = ctx.calendar.workdays_between(a.written_date, a.publish_date), \
                workdays, "个工作日"
            note = estimated_note(ctx, a.written_date, a.publish_date)
            estimated = is_estimated(ctx, a.written_date, a.publish_date)
        else:
            days, limit, unit = (a.publish_date - a.written_date).days, days_limit, "日"
            note, estimated = "", False
        if days <= limit:
            continue
        number = f"（{a.doc_number}）" if a.doc_number else ""
        out.append(Finding(
            rule="publish_lag", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}{number}成文日期{a.written_date}，发布日期{a.publish_date}，"
                     f"相隔{days}{unit}，超过“{limit}{unit}内发布”的时限{note}。"
                     f"请{units_text(item)}说明延迟原因，今后在{event}后{limit}{unit}内发布。"),
            details={"doc_number": a.doc_number, "written_date": a.written_date.isoformat(),
                     "publish_date": a.publish_date.isoformat(),
                     ("working_days" if workdays is not None else "days"): days,
                     "estimated": estimated},
            source=source,
        ))
    return out


def interpretation_late(item: Item, articles: list[Article], columns: list[ColumnFetch],
                        ctx: AuditContext) -> list[Finding]:
    limit = item.rules.interpretation_late_workdays
    if limit is None:
        return []
    out: list[Finding] = []
    for a in live(articles):
        if a.publish_date is None or not in_window(a, ctx):
            continue
        policy = find_policy(a, ctx)
        if policy is None or policy.publish_date is None:
            continue
        days = ctx.calendar.workdays_between(policy.publish_date, a.publish_date)
        if days <= limit:
            continue
        out.append(Finding(
            rule="interpretation_late", severity="fail", item_id=item.id,
            evidence=(a.url, policy.url),
            message=(f"解读{article_label(a)}发布于{a.publish_date}，所解读的政策文件"
                     f"{article_label(policy)}发布于{policy.publish_date}，相隔{days}个工作日，"
                     f"超过“政策文件公开后{limit}个工作日内发布解读”的时限"
                     f"{estimated_note(ctx, policy.publish_date, a.publish_date)}。"
                     f"请{units_text(item)}按“谁起草、谁解读”与政策文件同步发布解读。"),
            details={"policy_url": policy.url,
                     "policy_publish_date": policy.publish_date.isoformat(),
                     "publish_date": a.publish_date.isoformat(), "working_days": days,
                     "estimated": is_estimated(ctx, policy.publish_date, a.publish_date)},
            source=catalog_source(item, "interpretation_late", "interpretation_late_workdays",
                                  "“谁起草、谁解读”"),
        ))
    return out


def meeting_late(item: Item, articles: list[Article], columns: list[ColumnFetch],
                 ctx: AuditContext) -> list[Finding]:
    in_workdays = item.rules.meeting_late_workdays is not None
    limit = item.rules.meeting_late_workdays if in_workdays else item.rules.meeting_late_days
    if limit is None:
        return []
    unit = "个工作日" if in_workdays else "日"
    out: list[Finding] = []
    for a in live(articles):
        held = meeting_date(a)
        if held is None or a.publish_date is None or not in_window(a, ctx):
            continue
        days = (ctx.calendar.workdays_between(held, a.publish_date) if in_workdays
                else (a.publish_date - held).days)
        if days <= limit:
            continue
        out.append(Finding(
            rule="meeting_late", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}：会议于{held}召开，{a.publish_date}才发布，相隔{days}"
                     f"{'个工作日' if in_workdays else '天'}，"
                     f"超过“会议召开后{limit}{unit}内发布”的时限。"
                     f"请{units_text(item)}在会议召开后{limit}{unit}内发布会议信息。"),
            details={"meeting_date": held.isoformat(), "publish_date": a.publish_date.isoformat(),
                     "days": days},
            source=catalog_source(item, "meeting_late", "meeting_late_workdays" if in_workdays
                                  else "meeting_late_days"),
        ))
    return out


__all__ = ["publish_lag", "interpretation_late", "meeting_late", "meeting_date", "meeting_dates",
           "find_policy"]
