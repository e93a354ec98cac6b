"""One list row -> one entry: which link is the entry, what its title is, which date it shows.

Shared by the generic reader, the Hanweb record reader and the selector override, so that a
row reads the same whichever reader found it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import date_only, dates_in, shows_unread_date
from .dom import HtmlElement, element_text, nested_row, norm_space, resolve_href, text_outside

# Link texts that name a pager control or a page function, never an entry.
_NON_ENTRY_TEXT_RE = re.compile(
    r"^(?:\d{1,4}|[<>«»‹›…\s.+]+|首页|上一?页|下一?页|前一?页|后一?页|尾页|末页|最后一?页|第\s*\d+\s*页|"
    r"(?:查看)?更多\s*[<>«»‹›+.…]*|[\[【(（]\s*更多\s*[\]】)）]|more\s*[<>«»‹›+.…]*|"
    r"返回(?:顶部|首页|列表|上一?页|上级)?|打印(?:本页|此页)?|关闭(?:本页|窗口|页面)?|(?:加入)?收藏(?:本站|本页)?|"
    r"跳转|go|确定|next(?: page)?|prev(?:ious)?(?: page)?|first|last|top|home|登录|注册|"
    r"无障碍(?:浏览|阅读)?|长者模式|退出长者模式|移动版|繁体版?|简体版?|english)$",
    re.I)
_ELLIPSIS_RE = re.compile(r"(?:\.\.\.|…+|\.{2,})$")
# Words of a site footer: a row holding them is the footer, whatever its markup.
_FOOTER_WORDS_RE = re.compile(r"版权所有|copyright|©|ICP备|网站标识码|公网安备|技术支持|主办单位|承办单位|网站更新|"
                              r"站点更新", re.I)
# Words no list block holds: when the row's parent block has them, the row is in the footer.
_FOOTER_BLOCK_RE = re.compile(r"版权所有|copyright|©|ICP备|网站标识码|公网安备", re.I)
_DATE_CELL_HEAD_RE = re.compile(r"发布|公开|更新")
_ANY_DATE_HEAD_RE = re.compile(r"日期|时间")
_DATE_LEAF_TAGS = frozenset({"span", "em", "i", "b", "font", "time", "td", "th", "div", "p", "small",
                             "strong", "label", "dd", "li", "cite", "var", "s"})


@dataclass
class RowEntry:
    """What a row yields, with the elements readers need for grouping and scoring."""
    row: HtmlElement
    link: HtmlElement
    url: str
    title: str
    date: date | None
    # The row shows a date, even when its year is unknown (a bare "10-12"): a list-row signal.
    shows_date: bool = False

    def __post_init__(self) -> None:
        self.shows_date = self.shows_date or self.date is not None


def link_title(a: HtmlElement) -> str:
    """The title a person reads: the link's title attribute, unless it is empty or the visible
    text is the longer, untruncated one."""
    attr = norm_space(a.get("title"))
    text = _text_without_dates(a)
    if not attr:
        return text
    if not text or _ELLIPSIS_RE.search(text) or len(attr) >= len(text):
        return attr
    return text


def _text_without_dates(a: HtmlElement) -> str:
    """Link text without a child element that is only a date (rows wrapped whole in an <a>)."""
    dated = [el for el in a.iterdescendants() if isinstance(el.tag, str)
             and len(el) == 0 and date_only(element_text(el)) is not None]
    if not dated:
        text = element_text(a)
    else:
        text = text_outside(a, None)
        for el in dated:
            text = text.replace(element_text(el), " ", 1)
    if not text:
        img_alt = [norm_space(img.get("alt")) for img in a.iter("img") if img.get("alt")]
        text = img_alt[0] if img_alt else ""
    return norm_space(text)


def is_entry_text(title: str) -> bool:
    """False for texts of pager controls, "更多", numbers and similar page furniture."""
    return len(title) >= 2 and not _NON_ENTRY_TEXT_RE.match(title)


def is_footer_row(row: HtmlElement, link: HtmlElement,
                  block_cache: dict[HtmlElement, bool] | None = None) -> bool:
    """The row's text beside its link names the site owner (版权所有, ICP备 …), or its parent
    block does: a footer line. ``block_cache`` spares re-reading a parent shared by many rows."""
    if _FOOTER_WORDS_RE.search(text_outside(row, link)):
        return True
    parent = row.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return False
    cache = block_cache if block_cache is not None else {}
    if parent not in cache:
        cache[parent] = bool(_FOOTER_BLOCK_RE.search(element_text(parent)))
    return cache[parent]


def pick_link(links: list[HtmlElement], base: str) -> tuple[HtmlElement, str, str] | None:
    """The entry link of a row: the one with the longest usable title (a row may also hold a
    解读/PDF badge link or an image link to the same page)."""
    best: tuple[HtmlElement, str, str] | None = None
    for a in links:
        url = resolve_href(base, a.get("href"))
        if url is None:
            continue
        title = link_title(a)
        if not is_entry_text(title):
            continue
        if best is None or len(title) > len(best[2]):
            best = (a, url, title)
    return best


def row_date(row: HtmlElement, link: HtmlElement, url: str, date_column: int | None = None) -> date | None:
    """The date the row shows next to its entry.

    Preference: the cell under a 发布日期-like table header; an element whose whole text is a date
    (the last one: 成文日期 columns come before 发布日期); a date in the row's free text outside
    the title; a date element inside the link (rows wrapped whole in an <a>)."""
    if date_column is not None and row.tag == "tr":
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if date_column < len(cells) and not _contains(cells[date_column], link):
            found = dates_in(element_text(cells[date_column]))
            if found:
                return found[-1]
    leaf_dates = []
    nested = nested_row(row)  # the next row of an unclosed-<div> list: its dates are its own
    for el in row.iterdescendants():
        if not isinstance(el.tag, str) or el.tag not in _DATE_LEAF_TAGS or _contains(link, el):
            continue
        if nested is not None and _contains(nested, el):
            continue
        if _contains(el, link):
            continue
        value = date_only(element_text(el), url)
        if value is not None:
            leaf_dates.append(value)
    if leaf_dates:
        return leaf_dates[-1]
    outside = text_outside(row, link, nested) if nested is not None else text_outside(row, link)
    value = date_only(outside, url)
    if value is not None:
        return value
    found = dates_in(outside)
    if found:
        return found[-1]
    for el in link.iterdescendants():
        if isinstance(el.tag, str) and len(el) == 0:
            value = date_only(element_text(el), url)
            if value is not None:
                return value
    return None


def shows_partial_date(row: HtmlElement, link: HtmlElement) -> bool:
    """A year-less date (``10-12``, ``[10-12]``) or a date range beside the link: the row is a
    dated list row even though it shows no publish date we can take."""
    for el in row.iterdescendants():
        if isinstance(el.tag, str) and len(el) == 0 and not _contains(link, el) \
                and shows_unread_date(element_text(el)):
            return True
    return shows_unread_date(text_outside(row, link))


def _contains(ancestor: HtmlElement, el: HtmlElement) -> bool:
    """True when ``el`` is ``ancestor`` or lies inside it."""
    node: HtmlElement | None = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def table_date_column(table: HtmlElement) -> int | None:
    """Index of the 发布日期 (else 日期/时间) column, read from the table's header row."""
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if not cells:
            continue
        is_header = any(c.tag == "th" for c in cells) or not any(True for _ in tr.iter("a"))
        if not is_header:
            return None
        texts = [element_text(c) for c in cells]
        for i, t in enumerate(texts):
            if _ANY_DATE_HEAD_RE.search(t) and _DATE_CELL_HEAD_RE.search(t):
                return i
        for i, t in enumerate(texts):
            if _ANY_DATE_HEAD_RE.search(t) and len(t) <= 8:
                return i
        return None
    return None


def entry_from_row(row: HtmlElement, base: str, date_column: int | None = None) -> RowEntry | None:
    """Read a row that is known to be one entry (a Hanweb record, a selector match)."""
    picked = pick_link(list(row.iter("a")), base)
    if picked is None:
        return None
    link, url, title = picked
    return RowEntry(row, link, url, title, row_date(row, link, url, date_column))
