"""Article extraction for zwgk: one entry point over small pure extractors (see docs/extraction.md).

    from zwgk.crawler.extract import decode_html, extract_article
    fields = extract_article(decode_html(body, "gb2312"), url, as_of=date(2026, 11, 20))
"""
from __future__ import annotations

from .core import extract_article
from .encoding import decode_html
from .types import ArticleFields

__all__ = ["ArticleFields", "decode_html", "extract_article"]
