"""Duties on the documents themselves, from the catalog's 公开方式 and 内容 columns.

- content_missing (fail): an item published 全文发布 must carry the text: an article page with
  neither body text nor a working attachment (a title-only page, or only a link to a file that
  answers ≥ 400) is not a full-text publication.
- content_unlocated (warn): a page of such an item whose body the crawler could not locate (the
  text sits in a frame, a script writes it, or the page shows no recognisable article) and that
  has no working attachment: what text was read is not known to be the body, so the evidence
  proves neither a title-only page nor a full text; the unit is asked to check.
- validity_missing (warn): a 规范性文件 must show its 有效性 (the catalog: "在已发布的文件上明确标注
  文件的废止、失效等情况").
- interpretation_missing (fail): a 规范性文件 (or an item configured as a major policy) with no
  解读 anywhere on the site once its window ("政策文件公开后的3个工作日之内") has passed. A
  document marked 失效/废止 no longer needs one.
"""
from __future__ import annotations

import re
import unicodedata

from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, INTERPRETATION_TITLE_RE,
                         article_label, estimated_note, is_estimated, judged, live, normalize_url,
                         units_text)
from zwgk.audit.rules.dates import is_attachment_url

_FULL_TEXT_RE = re.compile(r"全文")
# 公开方式 that publish nothing on the page itself: not judged for content.
_NOT_ON_PAGE_RE = re.compile(r"依申请|不予公开|不公开|线下|公告栏|现场|查阅")
_SPACE_RE = re.compile(r"\s+")
# Pages whose content is an image or a video the crawler does not record (图解, 视频解读).
_VISUAL_TITLE_RE = re.compile(r"图解|一图|图说|海报|视频|长图")
_VALIDITY_RE = re.compile(r"有效|失效|废止|修订|修改|暂停|停止执行")
_REPEALED_RE = re.compile(r"失效|废止")
# Page-footer lines: when an article's content is empty, an extractor may fall back to them.
_FOOTER_RE = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位|承办单位|技术支持")


# Where a text may be cut so that NFKC of the two parts, joined, is NFKC of the whole: before a
# line break, a printable ASCII character or a CJK ideograph (no canonical composition takes one
# of them as its second character, and each is a starter that stops reordering).
_SAFE_CUT_RE = re.compile(r"[\n\x21-\x7e\u4e00-\u9fff]")


def prefix_budget(enough: int, title_chars: int) -> int:
    """Where to cut: room for the title (bodies often repeat it first) and ``enough`` twice over;
    a prefix that proves nothing costs one more count of the whole text."""
    return 2 * (enough + title_chars) + 32


def _count(text: str, title: str) -> int:
    text = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text))
    return len(text.replace(title, "") if title else text)


def _body_chars(a: Article, enough: int | None = None) -> int:
    """Characters of body text that are neither the title repeated nor page-footer lines.

    With ``enough``: exact when below it; otherwise any count ≥ ``enough``, read from the start
    of the text only (NFKC of every whole body was the audit's biggest cost at 100k articles).
    Why a prefix proves it: cut at a _SAFE_CUT_RE position, NFKC and whitespace removal of the
    prefix give a prefix of the whole's; removing the title from the whole can take at most
    len(title) - 1 more of its characters (one occurrence cut by the prefix's end)."""
    text = "\n".join(line for line in (a.body_text or "").splitlines()
                     if not _FOOTER_RE.search(line))
    title = _SPACE_RE.sub("", unicodedata.normalize("NFKC", a.title or ""))
    if enough is not None:
        cut = _SAFE_CUT_RE.search(text, prefix_budget(enough, len(title)))
        if cut is not None:
            counted = _count(text[:cut.start()], title)
            if counted - max(len(title) - 1, 0) >= enough:
                return counted
    return _count(text, title)


def content_missing(item: Item, articles: list[Article], columns: list[ColumnFetch],
                    ctx: AuditContext) -> list[Finding]:
    # No 公开方式 means the catalog default, 全文发布; 依申请公开 and the like are not judged.
    method = (item.method or "").strip()
    if method and (not _FULL_TEXT_RE.search(method) or _NOT_ON_PAGE_RE.search(method)):
        return []
    minimum = ctx.settings.content_min_chars
    out: list[Finding] = []
    for a in live(articles):
        if (not a.fetched or a.error is not None or is_attachment_url(a.url)
                or _VISUAL_TITLE_RE.search(a.title or "")):
            continue
        chars = _body_chars(a, enough=minimum)
        if chars >= minimum and not a.body_status:
            continue
        files = [url for url, _anchor in a.links if is_attachment_url(url)]
        dead = [url for url in files if ctx.link_status.get(normalize_url(url), 200) >= 400
                or ctx.link_status.get(normalize_url(url)) == 0]
        working = [url for url in files if url not in dead]
        if working:
            continue
        if a.body_status:  # what text was read is not known to be the body: say so, never fail
            out.append(_unlocated(item, a, chars, files))
            continue
        if dead:
            what = f"正文为空，附件（{dead[0]}）无法打开"
        else:
            what = "只有标题，既无正文也无附件"
        out.append(Finding(
            rule="content_missing", severity="fail", item_id=item.id,
            evidence=(a.url, *dead[:3]),
            message=(f"{article_label(a)}{what}，不符合“全文发布”的公开方式。"
                     f"请{units_text(item)}补充发布全文或可下载的附件。"),
            details={"url": a.url, "body_chars": chars, "attachments": files,
                     "broken_attachments": dead},
        ))
    return out


# Why a body could not be located, as the crawler stores it (Article.body_status).
_UNLOCATED_WHY = {
    "frame": "正文位于框架（iframe/frame）或嵌入对象中",
    "script": "正文由页面脚本生成",
    "no_text": "页面上没有可识别的标题和正文",
}


def _unlocated(item: Item, a: Article, chars: int, files: list[str]) -> Finding:
    why = _UNLOCATED_WHY.get(a.body_status, "页面结构无法识别")
    return Finding(
        rule="content_unlocated", severity="warn", item_id=item.id, evidence=(a.url,),
        message=(f"{article_label(a)}未能定位正文（{why}），本次检查无法判断是否全文发布，"
                 f"不认定为无正文。请{units_text(item)}核实该页面在浏览器中能否看到全文，"
                 f"并尽量以普通网页文本发布正文。"),
        details={"url": a.url, "reason": a.body_status, "body_chars": chars, "attachments": files},
    )


def validity_missing(item: Item, articles: list[Article], columns: list[ColumnFetch],
                     ctx: AuditContext) -> list[Finding]:
    if not item.rules.validity_required:
        return []
    out: list[Finding] = []
    for a in live(articles):
        if not a.fetched or a.error is not None or INTERPRETATION_TITLE_RE.search(a.title or ""):
            continue
        if _VALIDITY_RE.search(a.validity or ""):
            continue
        out.append(Finding(
            rule="validity_missing", severity="warn", item_id=item.id, evidence=(a.url,),
            message=(f"规范性文件{article_label(a)}未标注有效性（有效、失效或废止）。"
                     f"请{units_text(item)}在文件页面标注其效力状态。"),
            details={"url": a.url, "validity": a.validity},
        ))
    return out


def interpretation_missing(item: Item, articles: list[Article], columns: list[ColumnFetch],
                           ctx: AuditContext) -> list[Finding]:
    window = item.rules.interpretation_missing_workdays
    if window is None:
        return []
    explained = ctx.interpretations
    out: list[Finding] = []
    for a in live(articles):
        if (a.publish_date is None or a.publish_date > ctx.as_of or not judged(item, a, ctx)
                or INTERPRETATION_TITLE_RE.search(a.title or "")
                or _REPEALED_RE.search(a.validity or "")
                or normalize_url(a.url) in explained):
            continue
        # At most ``window`` working days have passed until the (window+1)-th working day after
        # publication; compared as dates so that a reused result knows its next deadline
        # (zwgk.audit.asof).
        if ctx.as_of < ctx.calendar.add_workdays(a.publish_date, window + 1):
            continue
        days = ctx.calendar.workdays_between(a.publish_date, ctx.as_of)
        number = f"（{a.doc_number}）" if a.doc_number else ""
        out.append(Finding(
            rule="interpretation_missing", severity="fail", item_id=item.id, evidence=(a.url,),
            message=(f"{article_label(a)}{number}于{a.publish_date}公开，至检查日已{days}个工作日，"
                     f"网站上仍未找到其政策解读（时限：公开后{window}个工作日内）"
                     f"{estimated_note(ctx, a.publish_date, ctx.as_of)}。"
                     f"请{units_text(item)}按“谁起草、谁解读”发布解读，并与文件相互链接。"),
            details={"url": a.url, "doc_number": a.doc_number,
                     "publish_date": a.publish_date.isoformat(), "working_days": days,
                     "window_workdays": window,
                     "estimated": is_estimated(ctx, a.publish_date, ctx.as_of)},
        ))
    return out


__all__ = ["content_missing", "validity_missing", "interpretation_missing"]
