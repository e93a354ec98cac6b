"""Facts a page shows beyond its article fields, for the national inspection (检查指标自查).

The crawler collects them and knows nothing of rules: which ``<meta>`` tags the page carries,
which links are made invisible (with their markup as evidence), and what personal data its text
holds — scanned here, at crawl time, with the one grammar of ``zwgk.grammar.privacy``, so only counts
and masked samples are ever stored. ``audit.rules.inspection`` judges them.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html as lxml_html

from zwgk.grammar.privacy import Leak, merge, rows_text, scan

MAX_META = 40           # meta tags kept per page (a page with hundreds is hostile, not richer)
MAX_HIDDEN = 50         # hidden-link candidates kept per page (links to other hosts only)
MAX_MARKUP = 300        # characters of markup kept as evidence per hidden link
MAX_SCAN_CHARS = 2_000_000

# Inline CSS that makes an element invisible: (how, pattern). Order: the first match names it.
_HIDING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("display:none", re.compile(r"display\s*:\s*none", re.I)),
    ("visibility:hidden", re.compile(r"visibility\s*:\s*hidden", re.I)),
    ("font-size:0", re.compile(r"font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)", re.I)),
    ("off-screen", re.compile(r"(?:left|top|right|text-indent|margin-left|margin-top)\s*:\s*-\s*"
                              r"\d{3,}", re.I)),
    ("zero size", re.compile(r"(?:^|;|\s)(?:width|height)\s*:\s*0(?:px)?\s*(?:;|$|!)", re.I)),
)
_STYLE_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR_RE = re.compile(r"^\s*([.#])([\w-]+)\s*$")
_BLOCK_TAGS = tuple("p div br tr li dd dt h1 h2 h3 h4 h5 h6 table ul ol section article "
                    "header footer td th pre blockquote".split())
_SKIP_TEXT = ("script", "style", "noscript", "template")


@dataclass
class PageFacts:
    meta: dict[str, str] = field(default_factory=dict)           # name -> content (trimmed)
    hidden_links: list[dict[str, str]] = field(default_factory=list)  # href, how, markup
    leaks: list[dict[str, Any]] = field(default_factory=list)   # privacy.Leak as dicts (masked)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _hidden_rules(root: etree._Element) -> dict[tuple[str, str], str]:
    """``.class`` / ``#id`` selectors that the page's own <style> blocks hide."""
    out: dict[tuple[str, str], str] = {}
    for style in root.iter("style"):
        for selectors, body in _STYLE_RULE_RE.findall(style.text or ""):
            how = _how(body)
            if how is None:
                continue
            for selector in selectors.split(","):
                m = _SIMPLE_SELECTOR_RE.match(selector)
                if m:
                    out[(m.group(1), m.group(2))] = how
    return out


_ANY_HIDING_RE = re.compile("|".join(f"(?:{p.pattern})" for _, p in _HIDING), re.I)


@lru_cache(maxsize=4096)
def _how(style: str) -> str | None:
    """Cached per style string: templates repeat the same few styles on every element."""
    if not _ANY_HIDING_RE.search(style):
        return None
    for how, pattern in _HIDING:
        if pattern.search(style):
            return how
    return None


def _hides(node: etree._Element, rules: dict[tuple[str, str], str]) -> str | None:
    """How ``node`` itself makes its content invisible (None: it does not)."""
    if node.tag == "marquee":
        height = (node.get("height") or "").strip().removesuffix("px")
        width = (node.get("width") or "").strip().removesuffix("px")
        if height in ("0", "1") or width in ("0", "1") or _how(node.get("style") or "") == "zero size":
            return "marquee"
    if node.get("hidden") is not None:
        return "hidden attribute"
    style = node.get("style")
    if style:
        how = _how(style)
        if how is not None:
            return how
    if rules:
        for cls in (node.get("class") or "").split():
            if (".", cls) in rules:
                return rules[(".", cls)]
        if node.get("id") and ("#", node.get("id")) in rules:
            return rules[("#", node.get("id"))]
    return None


def _markup(el: etree._Element) -> str:
    text = etree.tostring(el, encoding="unicode", with_tail=False)
    return text[:MAX_MARKUP]


_CANDIDATES = etree.XPath("//*[@style or @hidden or self::marquee]")
_CANDIDATES_WITH_RULES = etree.XPath("//*[@style or @hidden or @class or @id or self::marquee]")


def hidden_links(root: etree._Element, base_url: str) -> list[dict[str, str]]:
    """Every http(s) link to another host than the page's that the page hides, with how and the
    hiding element's markup (hidden links to the page's own host are its menus: so many on real
    sites that they would crowd the others out). Why from the hiding elements down rather than
    from each link up: most pages hide little, and a page's hidden blocks are cheaper to visit
    than the ancestors of its hundreds of links."""
    rules = _hidden_rules(root)
    own_host = (urlsplit(base_url).hostname or "").lower()
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for hider in (_CANDIDATES_WITH_RULES if rules else _CANDIDATES)(root):
        if not isinstance(hider.tag, str):
            continue
        how = _hides(hider, rules)
        if how is None:
            continue
        for a in hider.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            try:
                absolute = urljoin(base_url, href)
            except ValueError:
                continue
            if not absolute.startswith(("http://", "https://")) or absolute in seen:
                continue
            seen.add(absolute)
            try:
                host = (urlsplit(absolute).hostname or "").lower()
            except ValueError:
                continue
            if host == own_host:
                continue
            out.append({"href": absolute, "how": how, "markup": _markup(hider)})
            if len(out) >= MAX_HIDDEN:
                return out
    return out


def page_lines(root: etree._Element) -> str:
    """All text of the page (hidden text too: it is published all the same), one line per
    block, row or list item, cells tab-separated — the shape ``privacy.scan`` reads rosters in.
    Changes ``root`` (call it last)."""
    etree.strip_elements(root, *_SKIP_TEXT, etree.Comment, with_tail=False)
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = ("\t" if el.tag in ("td", "th") else "\n") + (el.tail or "")
    return root.text_content()[:MAX_SCAN_CHARS]


def meta_tags(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip()
        if name and name not in out:
            out[name] = (m.get("content") or "").strip()[:200]
            if len(out) >= MAX_META:
                break
    return out


def leaks_json(leaks: list[Leak]) -> list[dict[str, Any]]:
    return [{"kind": x.kind, "count": x.count, "samples": list(x.samples)} for x in leaks]


def page_facts(html: str, url: str) -> PageFacts:
    """The facts of one HTML page (never raises on hostile markup: an empty record instead)."""
    try:
        root = lxml_html.fromstring(html) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return PageFacts()
    meta, hidden = meta_tags(root), hidden_links(root, url)
    return PageFacts(meta=meta, hidden_links=hidden, leaks=leaks_json(scan(page_lines(root))))


def attachment_facts(text: str, tables: Iterable[Iterable[Sequence[object]]] = ()) -> dict[str, Any]:
    """The facts of an attachment (PDF, DOCX, XLSX …) from the text a reader got out of it and
    its tables as rows: stored as a ``PageFactsItem`` of kind ``attachment`` (item and column of
    the article linking it), judged as ``privacy_leak`` with ``in_attachment: true``."""
    parts = [text or ""] + [rows_text(rows) for rows in tables]
    return {"leaks": leaks_json(merge(scan(part) for part in parts))}


__all__ = ["PageFacts", "page_facts", "attachment_facts", "page_lines", "hidden_links", "meta_tags", "leaks_json"]
