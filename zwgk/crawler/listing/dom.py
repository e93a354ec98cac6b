"""Parsing and link helpers shared by the list readers.

Why a module of its own: every reader needs the same defensive steps (strip characters lxml
refuses, drop an XML declaration that lxml rejects on ``str`` input, resolve hrefs without
letting a malformed URL raise) and the same notion of "a link a person could click".
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

HtmlElement = lxml.html.HtmlElement

# lxml refuses NUL/control characters and lone surrogates in str input.
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# lxml raises on a str that still carries an encoding declaration.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACE_RE = re.compile(r"\s+")
_SKIP_HREF_RE = re.compile(r"^\s*(?:javascript|mailto|tel|data|about|vbscript|file|sms)\s*:", re.I)
# Browsers drop tabs and newlines inside URLs.
_URL_JUNK_RE = re.compile(r"[\t\r\n]")
_TABLE_ROW_START_RE = re.compile(r"<\s*(?:tr|td|th)\b", re.I)
_TOKEN_SPLIT_RE = re.compile(r"[\s\-_]+")
_DEFAULT_DOC_RE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)

# Elements whose text a person never reads as part of a list row.
NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "select", "option"})


def clean_text(text: str) -> str:
    """Remove what lxml cannot take; keep everything a page could legitimately hold."""
    return _BAD_CHARS_RE.sub("", text or "")


def strip_xml_declaration(text: str) -> str:
    return _XML_DECL_RE.sub("", text, count=1)


def parse_html(text: str) -> HtmlElement:
    """Parse any string into an <html> tree; never raises (an empty or hostile string gives an
    empty document). Comments and processing instructions are dropped: their text is invisible."""
    source = strip_xml_declaration(clean_text(text))
    # huge_tree: without it libxml2 drops everything nested 256 levels deep (300 unclosed <font>
    # or <div> tags lose the list); input size is bounded by the download cap.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                                  huge_tree=True)
    if source.strip():
        try:
            root = lxml.html.document_fromstring(source, parser=parser)
            if root is not None:
                return root
        except (etree.ParserError, ValueError):
            pass
    return lxml.html.document_fromstring("<html><body></body></html>", parser=parser)


def parse_fragment(fragment: str) -> HtmlElement:
    """Parse an HTML snippet (a Hanweb record) into a <div> wrapper. Table rows are wrapped in a
    table first, or the HTML parser would throw the row markup away."""
    source = clean_text(fragment).strip()
    if _TABLE_ROW_START_RE.match(source):
        source = f"<table>{source}</table>"
    try:
        return lxml.html.fragment_fromstring(source or "<span></span>", create_parent="div",
                                             parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return lxml.html.fragment_fromstring("<span></span>", create_parent="div")


def norm_space(text: str | None) -> str:
    """Collapse whitespace runs (ASCII, NBSP, ideographic space) and trim."""
    return _SPACE_RE.sub(" ", text or "").strip()


def safe_urljoin(base: str, href: str) -> str | None:
    """urljoin that answers None instead of raising on malformed input (e.g. a bad IPv6 host)."""
    try:
        joined = urljoin(base, href)
        urlsplit(joined)  # raises ValueError on a malformed netloc
        return joined
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def resolve_href(base: str, href: str | None) -> str | None:
    """Absolute URL a person reaches by clicking, without fragment; None for links that lead to
    no page (javascript:, mailto:, '#' …)."""
    if href is None:
        return None
    href = _URL_JUNK_RE.sub("", href).strip()
    if not href or href.startswith("#") or _SKIP_HREF_RE.match(href):
        return None
    joined = safe_urljoin(base, href)
    if joined is None:
        return None
    try:
        return urldefrag(joined).url
    except ValueError:
        return None


def document_base(root: HtmlElement, url: str) -> str:
    """The URL relative links resolve against: <base href> when the page declares one."""
    for base in root.iter("base"):
        href = base.get("href")
        if href and href.strip():
            joined = safe_urljoin(url, _URL_JUNK_RE.sub("", href).strip())
            if joined:
                return joined
    return url


def element_text(el: HtmlElement) -> str:
    """Visible text of an element (script/style content excluded), whitespace collapsed."""
    parts: list[str] = []
    _collect_text(el, None, parts)
    return norm_space(" ".join(parts))


def text_outside(el: HtmlElement, skip: HtmlElement | None, *more: HtmlElement) -> str:
    """Visible text of ``el`` without the subtree ``skip`` (used to read a row's text without the
    entry title, which may itself hold date-like numbers) nor the subtrees ``more``."""
    parts: list[str] = []
    _collect_text(el, (skip, *more) if more else skip, parts)
    return norm_space(" ".join(parts))


def nested_row(row: HtmlElement) -> HtmlElement | None:
    """The first element inside ``row`` that looks exactly like it (same tag and class): rows
    built from unclosed ``<div>``s nest each in the one before. None for ordinary rows."""
    for d in row.iterdescendants(row.tag):
        if d.get("class") == row.get("class"):
            return d
    return None


def _collect_text(el: HtmlElement, skip, parts: list[str]) -> None:
    stack: list[tuple[HtmlElement, bool]] = [(el, False)]
    # Iterative walk: deeply nested hostile markup must not hit the recursion limit.
    while stack:
        node, tail_only = stack.pop()
        if tail_only:
            if node.tail:
                parts.append(node.tail)
            continue
        if node is not el:
            stack.append((node, True))  # its tail comes after its content
        if (node in skip if isinstance(skip, tuple) else node is skip) \
                or not isinstance(node.tag, str) or node.tag in NON_TEXT_TAGS:
            continue
        if node.text:
            parts.append(node.text)
        for child in reversed(node):
            stack.append((child, False))


def class_tokens(el: HtmlElement) -> list[str]:
    """Lower-case tokens of class and id, split on spaces, '-' and '_' (``side_r`` -> side, r)."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return [t for t in _TOKEN_SPLIT_RE.split(raw) if t]


def same_page(a: str, b: str) -> bool:
    """Two URLs name the same page (ignoring fragment and a trailing default document)."""
    def key(u: str) -> str:
        u = u.split("#", 1)[0]
        return _DEFAULT_DOC_RE.sub("/", u)
    return key(a) == key(b)
