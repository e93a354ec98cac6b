"""What a pagination reader found, and the pager texts several readers share.

Pagination is read before entries: where the pager sits helps the generic reader tell the
column's own list from a sidebar list (the pager follows the main list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import normalize
from .dom import HtmlElement, element_text

# 共12页 / 共 12 页 / 第1/12页 / 1/12页
_TOTAL_PAGES_RES = (
    re.compile(r"共\s*(\d{1,6})\s*页"),
    re.compile(r"第?\s*\d{1,6}\s*/\s*(\d{1,6})\s*页"),
    re.compile(r"(?:总页数|页数)\s*[:：]?\s*(\d{1,6})"),
)
# 共95条 / 共 95 条记录 / 总计95条 / 记录数：95
_TOTAL_RECORDS_RES = (
    re.compile(r"(?:共|总计|合计|总共)\s*(?:有\s*)?(\d{1,7})\s*(?:条|篇|个|项|份)"),
    re.compile(r"(?:记录数|总记录数|信息数|总条数)\s*[:：]?\s*(\d{1,7})"),
)


@dataclass
class Paging:
    style: str  # trs | query | nextlink
    next_urls: list[str] = field(default_factory=list)
    total_pages: int | None = None
    total_records: int | None = None
    notes: list[str] = field(default_factory=list)
    # An element of the pager (or the script that draws it), for locating the main list.
    anchor: HtmlElement | None = None


def total_pages_in(text: str) -> int | None:
    t = normalize(text)
    for pattern in _TOTAL_PAGES_RES:
        m = pattern.search(t)
        if m and int(m.group(1)) > 0:
            return int(m.group(1))
    return None


def total_pages_near(anchor: HtmlElement, levels: int = 3, max_chars: int = 400) -> int | None:
    """共N页 printed in the pager around a pager link (a few levels up, short texts only, so a
    number elsewhere on the page is not taken)."""
    node: HtmlElement | None = anchor.getparent()
    for _ in range(levels):
        if node is None:
            return None
        text = element_text(node)
        if len(text) > max_chars:
            return None
        found = total_pages_in(text)
        if found is not None:
            return found
        node = node.getparent()
    return None


def total_records_in(text: str) -> int | None:
    t = normalize(text)
    for pattern in _TOTAL_RECORDS_RES:
        m = pattern.search(t)
        if m:
            return int(m.group(1))
    return None
