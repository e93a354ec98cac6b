"""The spider's attachment steps (crawler/attachments): an article waits for its attachments,
fetched one after another (size-capped, the site's rules), read, and what they show fills what
the page lacks."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from zwgk.grammar.privacy import redact
from zwgk.crawler.attachments import (ATTACHMENT_MAX_BYTES, file_kind, is_attachment_url,
                                      read_attachment)
from zwgk.crawler.attachments.fields import document_fields
from zwgk.crawler.items import ArticleItem, AttachmentItem, FetchErrorItem, PageFactsItem
from zwgk.crawler.pagefacts import attachment_facts
from zwgk.crawler.spiders import linkcheck
from zwgk.crawler.spiders.responses import failure_reason, header

# Attachments read per article, and the body length below which a page is "attachment-only".
MAX_ATTACHMENTS_PER_ARTICLE = 3
ATTACHMENT_BODY_CHARS = 100

if TYPE_CHECKING:
    from zwgk.crawler.spiders.columns import ColumnWalk


class AttachmentSteps:
    """Mixin of ColumnsSpider (walks, site_hosts, browser_cookies, as_of …)."""


    def _attachments_to_read(self, article: ArticleItem) -> list[str]:
        """The article's attachment links worth fetching tonight: those of a page that lacks
        its 文号, its 成文日期 or a body (an attachment-only publication), on the site."""
        if article.doc_number and article.written_date and \
                len(article.body_text) >= ATTACHMENT_BODY_CHARS:
            return []
        site = self.site_hosts
        found: list[str] = []
        for link, _anchor in article.links:
            if is_attachment_url(link) and link not in found and link != article.url \
                    and (site is None or site.allows(link)):
                found.append(link)
        return found[:MAX_ATTACHMENTS_PER_ARTICLE]

    def _next_attachment(self, walk: ColumnWalk, article: ArticleItem,
                         files: list[str]) -> Iterator[Any]:
        """Request the article's next attachment not read tonight (one read each, however many
        articles link it); when none is left, the article itself (its in-flight count ends)."""
        while files:
            known: AttachmentItem | None = self.attachments_read.get(files[0])
            if known is None and files[0] in self.attachments_waiting:
                # being fetched for another article: wait for it
                self.attachments_waiting[files[0]].append((walk, article, files[1:]))
                return
            if known is None:
                self.attachments_waiting[files[0]] = []
                yield scrapy.Request(files[0], callback=self.parse_attachment,
                                     errback=self.attachment_failed, dont_filter=True,
                                     priority=self.article_priority + 1,
                                     cookies=self.browser_cookies or None,
                                     meta={"col": walk.key, "zwgk_article": article,
                                           "zwgk_file": files[0], "zwgk_files": files[1:],
                                           "download_maxsize": ATTACHMENT_MAX_BYTES,
                                           "download_warnsize": ATTACHMENT_MAX_BYTES})
                return
            _merge(article, known)
            files = files[1:]
        walk.articles_in_flight -= 1
        yield article

    def _attachment_done(self, meta: dict[str, Any], found: AttachmentItem) -> Iterator[Any]:
        """Record an attachment, merge it into its article, go on with the next one."""
        walk = self.walks[meta["col"]]
        article: ArticleItem = meta["zwgk_article"]
        walk.stats[f"attachments_{found.status.split(':')[0]}"] += 1
        self.attachments_read[found.url] = found
        _merge(article, found)
        yield found
        if found.http_status == 0 or found.http_status >= 400:
            error = found.status if found.http_status == 0 else "http_status"
            yield FetchErrorItem(found.url, found.http_status or None, error)
            # the fetch was this link's check too (检查指标自查 broken_link, found_on the article)
            yield linkcheck.broken(found.url, (walk.item_id, walk.column_url, article.url),
                                   found.http_status or None, error)
        yield from self._next_attachment(walk, article, meta["zwgk_files"])
        for other_walk, other, rest in self.attachments_waiting.pop(found.url, []):
            _merge(other, found)
            yield from self._next_attachment(other_walk, other, rest)

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        article: ArticleItem = meta["zwgk_article"]
        status, kind, text = response.status, "", ""
        doc_number = written = None
        if response.status >= 400:
            state = "http_status"
        else:
            found_kind = file_kind(response.url, header(response, "Content-Type"),
                                   header(response, "Content-Disposition"))
            kind = found_kind or ""
            if found_kind is None or (isinstance(response, TextResponse) and kind == ""
                                      and b"<html" in response.body[:2048].lower()):
                state = "not_a_file"
            else:
                read = read_attachment(response.body, kind)
                state, text = read.status, read.text
                if text:
                    fields = document_fields(text, response.url, self.as_of)
                    doc_number = fields.doc_number
                    written = fields.written_date.isoformat() if fields.written_date else None
        if text:  # 检查指标自查: personal data in attachments, counted masked; the text stored masked
            walk = self.walks[meta["col"]]
            yield PageFactsItem(meta["zwgk_file"], "attachment", walk.item_id, walk.column_url,
                                attachment_facts(text))
            text = redact(text)
        found = AttachmentItem(meta["zwgk_file"], article.url, status, kind, state,
                               len(response.body), text, doc_number, written)
        yield from self._attachment_done(meta, found)

    def attachment_failed(self, failure: Failure) -> Iterator[Any]:
        status, reason = failure_reason(failure)
        meta = failure.request.meta
        state = "too_large" if reason.startswith("page_too_large") else reason
        found = AttachmentItem(meta["zwgk_file"], meta["zwgk_article"].url, status or 0,
                               status=state)
        if state == "too_large":  # it exists: not a broken link
            found.http_status = 200
        yield from self._attachment_done(meta, found)


def _merge(article: ArticleItem, found: AttachmentItem) -> None:
    """What the attachment shows fills what the page lacks (the page wins where it shows it).
    The attachments table records which attachment gave a 文号; written_source says it."""
    if found.doc_number and not article.doc_number:
        article.doc_number = found.doc_number
    if found.written_date and not article.written_date:
        article.written_date, article.written_source = found.written_date, "attachment"
