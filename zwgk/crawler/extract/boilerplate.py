"""Which parts of a page are not the article: navigation, sidebars, footers, lists of other articles.

Why it matters: a sidebar "相关文章"/"最新动态" list and a footer "网站更新：2026-11-20" carry dates
newer than the article; taking one of them is the classic false publish date. Rules are general
(no site is special-cased):
- <nav>, <footer>, <aside> and blocks whose class/id names navigation, footer, sidebar, breadcrumb,
  copyright, share … ("strong" names) are dropped when they lie outside the article container;
- blocks with ambiguous names (right, left, side, bottom, related, xgwz, list, hot …) and strong
  blocks inside the article container are dropped only when link-heavy;
- any container of at least DATED_LIST_MIN_ITEMS link items that each show a date is dropped;
- nothing that contains the title or the main content is ever dropped.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .settings import DATED_LIST_MIN_ITEMS, LINK_HEAVY_MIN_LINKS, LINK_HEAVY_MIN_RATIO
from .tree import Line, Named, within

_STRONG_TAGS = frozenset(("nav", "footer", "aside"))
_TOKEN_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Strong: the name says "not the article".
_STRONG_SUBSTRINGS = ("footer", "sidebar", "navbar", "breadcrumb", "copyright", "banquan", "friendlink", "bdshare")
_STRONG_PREFIXES = (
    "foot", "nav", "menu", "crumb", "sidenav", "subnav", "yqlj", "share", "weizhi", "dqwz", "position",
    "location",
)
# Ambiguous: layout words that may also wrap real content; dropped only when link-heavy.
_AMBIGUOUS_PREFIXES = (
    "right", "left", "side", "bottom", "related", "relevant", "xgwz", "xgxx", "xglj", "recommend", "tuijian",
    "hot", "rank", "list", "news", "more", "tab", "aside", "extra", "column", "link",
)
# Full dates (2024-05-12, 2024年5月12日) or month-day (05-12, [11-20]) as lists show them.
_DATEISH_RE = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|(?<!\d)[01]?\d[-/.][0-3]\d(?!\d)"
)
_DATE_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:时间|日期)\s*[:：]|[\[\]【】()（）]")
_CELL_TAGS = frozenset(("td", "th", "dd", "dt"))
# A list item is mostly its link: at least this share of the line is link text.
_LIST_ITEM_LINK_SHARE = 0.4


@lru_cache(maxsize=8192)
def name_kind(tag: str, cls: str, ident: str) -> str:
    """'strong', 'ambiguous' or '' for a block's tag, class and id."""
    if tag in _STRONG_TAGS:
        return "strong"
    raw = _CAMEL_RE.sub(" ", f"{cls} {ident}").lower()
    kind = ""
    for token in _TOKEN_SPLIT_RE.split(raw):
        if not token:
            continue
        if token.startswith(_STRONG_PREFIXES) or any(s in token for s in _STRONG_SUBSTRINGS):
            return "strong"
        if token.startswith(_AMBIGUOUS_PREFIXES):
            kind = "ambiguous"
    return kind


def link_heavy(block: Named) -> bool:
    """At least LINK_HEAVY_MIN_LINKS links whose text is a fair share of the block's text."""
    return block.links >= LINK_HEAVY_MIN_LINKS and block.link_chars >= LINK_HEAVY_MIN_RATIO * max(block.chars, 1)


def _has_date(text: str) -> bool:
    return _DATEISH_RE.search(text) is not None


def _item_of(block: etree._Element) -> etree._Element:
    """A table cell or dl cell belongs to its row; other blocks are items themselves."""
    if block.tag in _CELL_TAGS:
        parent = block.getparent()
        if parent is not None:
            return parent
    return block


def dated_link_lists(lines: list[Line]) -> list[etree._Element]:
    """Containers holding several link items that each show a date (lists of other articles).

    An item is a line made mostly of link text with a date on it or in the next cell of its row.
    Several such lines in one block (links separated by <br>) make that block the list; otherwise
    the parent of at least DATED_LIST_MIN_ITEMS such items is.
    """
    per_item: dict[etree._Element, int] = {}
    for idx, line in enumerate(lines):
        if not line.link_chars:
            continue
        item = _item_of(line.block)
        text = line.text
        if idx + 1 < len(lines) and _item_of(lines[idx + 1].block) is item:
            text += " " + lines[idx + 1].text
        if not _has_date(text):
            continue
        share = _LIST_ITEM_LINK_SHARE
        if line.link_chars < share * len(text):
            # "标题 发布时间：2026-11-10": the date and its label do not count against the link share
            rest = _DATE_LABEL_RE.sub("", _DATEISH_RE.sub("", text))
            if line.link_chars < share * len("".join(rest.split())):
                continue
        per_item[item] = per_item.get(item, 0) + 1
    lists: list[etree._Element] = []
    per_container: dict[etree._Element, int] = {}
    for item, count in per_item.items():
        if count >= DATED_LIST_MIN_ITEMS:
            lists.append(item)
            continue
        container = item.getparent()
        if container is not None:
            per_container[container] = per_container.get(container, 0) + 1
    lists.extend(c for c, n in per_container.items() if n >= DATED_LIST_MIN_ITEMS)
    return lists


def dropped_named(
    named: list[Named], protected: set[etree._Element], container: etree._Element | None
) -> set[Named]:
    """Named blocks to ignore. `protected` holds the ancestors-or-self of the title and content
    nodes; `container` is the article container (their lowest common ancestor)."""
    found: set[Named] = set()
    for block in named:
        if block.el in protected:
            continue
        outside = container is None or not within(block.el, container)
        if link_heavy(block) or (block.kind == "strong" and outside):
            found.add(block)
    return found
