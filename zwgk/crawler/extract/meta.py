"""National page metadata (《政府网站网页设计规范》): ArticleTitle, PubDate, SiteName, Url.

Real pages deviate: content="" or "null", lower-case names (pubdate), seconds or a 12-hour clock,
other vendors' names (firstpublishedtime, article:published_time). Regeneration times (Maketime,
"页面生成时间" in meta others, lastmodifiedtime) are NOT publish dates and are ignored on purpose.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from .dates import meta_date
from .tree import norm

# Publish-date meta names, best first (lower-cased).
PUBLISH_NAMES = (
    "pubdate", "publishdate", "publish_date", "publishtime", "publish-date", "firstpublishedtime",
    "article:published_time", "og:published_time", "og:release_date", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dc.date", "datepublished",
)
_RANK = {name: i for i, name in enumerate(PUBLISH_NAMES)}
_TITLE_NAMES = ("articletitle",)
_URL_NAMES = ("url", "og:url")
_NULLS = frozenset(("", "null", "none", "undefined", "nan"))
_WANTED = frozenset((*PUBLISH_NAMES, *_TITLE_NAMES, *_URL_NAMES, "sitename"))


@dataclass(slots=True)
class MetaInfo:
    """What the page's <meta> tags say about the article."""

    title: str = ""
    publish_date: date | None = None
    publish_raw: str = ""
    site_name: str = ""
    url: str = ""


def clean_text(value: str) -> str:
    """Meta text with whitespace normalised; "", "null", "undefined" … become "".

    The value is kept literally: a title may legitimately contain "<" (a page that prints
    `<script>` in its title must be read as that text, not "repaired")."""
    value = norm(value)
    return "" if value.lower() in _NULLS else value


def read_meta(root: etree._Element) -> MetaInfo:
    """Read the national metadata in <head>; the first parseable value of the best name wins."""
    info = MetaInfo()
    head = root.find("head")
    if head is None:  # fragments have no metadata
        return info
    best_rank = len(PUBLISH_NAMES)
    for el in head.iter("meta"):
        name = el.get("name") or el.get("property")
        if not name:
            continue
        name = name.strip().lower()
        if name not in _WANTED:
            continue
        content = el.get("content") or ""
        if name in _RANK and _RANK[name] < best_rank:
            parsed = meta_date(content)
            if parsed is not None:
                info.publish_date, info.publish_raw, best_rank = parsed, content.strip(), _RANK[name]
        elif name in _TITLE_NAMES and not info.title:
            info.title = clean_text(content)
        elif name == "sitename" and not info.site_name:
            info.site_name = clean_text(content)
        elif name in _URL_NAMES and not info.url:
            info.url = content.strip()
    if not info.url:
        for link in head.iter("link"):
            if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
                info.url = (link.get("href") or "").strip()
                break
    return info
