"""Per-column selectors (CSS or XPath) configured for sites the general rules misread.

Why first in the order: a person who looked at the site and wrote a selector knows better than any
heuristic. A selector that is invalid or finds nothing is ignored (with a note), never fatal.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from lxml import etree
from lxml.cssselect import CSSSelector

from .tree import norm

FIELDS = ("title", "publish_date", "written_date", "doc_number")
_XPATH_START_RE = re.compile(r"^\s*(?:/|\(|\./|\.\./|[a-z-]+\s*\()", re.I)

Compiled = Callable[[etree._Element], list]


@lru_cache(maxsize=512)
def compile_selector(expr: str) -> Compiled:
    """XPath when the string looks like a path (starts with / ( ./), CSS otherwise."""
    if _XPATH_START_RE.match(expr):
        return etree.XPath(expr)
    return CSSSelector(expr, translator="html")


def _as_text(item: object) -> str:
    if isinstance(item, etree._Element):
        if item.tag == "meta":
            return norm(item.get("content") or "")
        return norm("".join(item.itertext())) or norm(item.get("content") or item.get("title") or "")
    if isinstance(item, (str, bytes)):
        return norm(item.decode("utf-8", "replace") if isinstance(item, bytes) else item)
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return str(item)
    return ""


def select_texts(root: etree._Element, expr: str, notes: list[str]) -> list[str]:
    """Texts of all matches of `expr` (element text, meta content, or XPath string results)."""
    try:
        result = compile_selector(expr)(root)
    except Exception as err:  # invalid expression or evaluation error: a config fault, not a crash
        notes.append(f"selector {expr!r} ignored: {type(err).__name__}")
        return []
    items = result if isinstance(result, list) else [result]
    return [t for t in (_as_text(i) for i in items) if t]
