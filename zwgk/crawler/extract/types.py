"""What the article extractors return (contract between extraction, spider, store and CLI)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ArticleFields:
    title: str = ""
    publish_date: date | None = None
    # Evidence for publish_date: "selector", "meta", "infotable", "text", "url", "dateparser", or "".
    date_source: str = ""
    written_date: date | None = None  # 成文日期 / 发文日期
    written_source: str = ""
    doc_number: str | None = None  # exactly as printed on the page
    doc_number_source: str = ""
    validity: str | None = None  # 有效性: 有效 / 失效 / 废止 …
    # A metadata publish date that disagrees with the visible one (the visible one wins).
    meta_publish_date: date | None = None
    # A visible 发布日期 the page shows but that cannot be its publish date (after as-of, before
    # 1990, or impossible such as 9999-12-31), as printed: the audit says so instead of "undated".
    rejected_publish_date: str | None = None
    body_text: str = ""
    # "" when the page's body was located (empty or not); else why it may lie where the extractor
    # cannot read it: "frame" (an iframe/frame/embed/object holds it), "script" (a script writes
    # it), "no_text" (no title and no text run: no recognisable article at all). The audit then
    # warns instead of calling a short body content_missing.
    body_status: str = ""
    # Body links as (absolute url, anchor text) — 相关文件/原文 links, attachments.
    links: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
