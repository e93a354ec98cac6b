"""A "下一页" link: the next list page, one at a time.

The link is recognised by its text or title (下一页, 下页, 后页, next, >, ›); an image button
counts through its alt text. A "下一页" that only runs JavaScript (``javascript:goPage(2)``,
``href="#"`` with onclick) cannot be followed: the page reports that in its notes rather than
pretending the list ends here.
"""
from __future__ import annotations

import re

from .dom import HtmlElement, element_text, norm_space, resolve_href, same_page
from .paging import Paging, total_pages_near

_NEXT_TEXT_RE = re.compile(
    r"^(?:[\[【]?\s*(?:下一页|下页|后一页|后页|下一页\s*[>»›]+|下一頁)\s*[\]】]?|next(?:\s*page)?\s*[>»›]*|[>›]|下一页>>)$",
    re.I)
# javascript:goPage(2) navigates; javascript:void(0) / javascript:; is a disabled control.
_JS_CALL_RE = re.compile(r"^\s*javascript:\s*(?!void\b)[\w$.]+\s*\(", re.I)


def _label(a: HtmlElement) -> str:
    text = norm_space(element_text(a))
    if text:
        return text
    for img in a.iter("img"):
        alt = norm_space(img.get("alt") or img.get("title"))
        if alt:
            return alt
    return norm_space(a.get("title"))


# The note's prefix the spider's render step reads (crawler/render.py): pages beyond the first
# need a browser.
JS_PAGER = "js_pager"


def read(root: HtmlElement, base: str, page_url: str) -> Paging | None:
    js_only: HtmlElement | None = None
    for a in root.iter("a"):
        if not _NEXT_TEXT_RE.match(_label(a)):
            continue
        url = resolve_href(base, a.get("href"))
        if url is None:
            if js_only is None and (_JS_CALL_RE.match(a.get("href") or "") or a.get("onclick")):
                js_only = a
            continue
        if same_page(url, page_url):
            continue  # the last page often links "下一页" to itself
        return Paging(style="nextlink", next_urls=[url], total_pages=total_pages_near(a), anchor=a)
    if js_only is not None:
        return Paging(style="nextlink", total_pages=total_pages_near(js_only), anchor=js_only,
                      notes=[f"{JS_PAGER}: a 下一页 link exists but works only with JavaScript; "
                             f"later pages not reached"])
    return None
