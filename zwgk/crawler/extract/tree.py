"""Parse once with lxml and flatten the visible page into text lines, in one pass.

Why lines: every extractor (info-table labels, labelled dates near the title, 文号 under the
heading, content scoring, body text) works on the same reading-order sequence of text lines, where
a line ends at each block element (div, p, td, li, dt, dd, br …) and inline elements (span, font,
b, a …) do not break it. One pass over the tree builds the lines, skips what a reader never
sees (scripts, styles, form controls, blocks with display:none / ng-hide / hidden …), notes the
blocks whose names suggest boilerplate with their text and link statistics, and records the
visible links, so the page is walked in Python only once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator

from lxml import etree

# Elements whose content is never visible text.
DROP_TAGS = frozenset(
    "script style noscript template iframe frame frameset object embed svg canvas select option "
    "textarea button input map audio video head title meta link".split()
)
# Blocks: a line ends where one of these starts or ends.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu "
    "nav ol p pre section summary table tbody td tfoot th thead tr ul caption colgroup legend "
    "marquee".split()
)
HEADING_TAGS = frozenset(("h1", "h2", "h3"))
_NAMED_TAGS = frozenset(("nav", "footer", "aside"))
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS_RE = re.compile(r"(?:^|\s)(?:ng-hide|hidden|hide|d-none|sr-only)(?:\s|$)", re.I)
_TITLE_NAME_RE = re.compile(r"title|biaoti|headline", re.I)
_ENCODING_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*\?>")

# huge_tree: without it libxml2 drops everything nested 256 levels deep (300 unclosed <font> tags
# hide a page's date and text). Input size is bounded by the download cap (DOWNLOAD_MAXSIZE).
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, default_doctype=False,
    collect_ids=False, huge_tree=True,
)

NameKind = Callable[[str, str, str], str]


def norm(text: str) -> str:
    """Collapse whitespace (full-width and NBSP included) and trim.

    str.split() knows every Unicode space (U+3000, NBSP, en-space …) and is much faster than a
    regex; zero-width characters are removed first when present."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """Remove all whitespace: `文　　号` → `文号`, for comparing labels and titles."""
    return "".join(text.split())


def parse_html(html: str) -> etree._Element | None:
    """Parse a page or fragment into a plain lxml tree; None when there is nothing to parse.

    Plain `etree` elements, not `lxml.html` ones: the html element-class lookup costs a Python
    call per element. Never raises on garbage (control characters, lone surrogates, XML prologs).
    """
    if not html or html.isspace():
        return None
    # libxml2 replaces control characters and invalid bytes itself; "replace" covers lone surrogates.
    data = _ENCODING_DECL_RE.sub(b"", html.encode("utf-8", "replace"))
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root


def within(el: etree._Element, ancestor: etree._Element) -> bool:
    """Is `el` the element `ancestor` or inside it?"""
    return el is ancestor or any(anc is ancestor for anc in el.iterancestors())


def body_of(root: etree._Element) -> etree._Element:
    """The <body> element, or the root for odd documents."""
    body = root.find("body")
    return body if body is not None else root


@lru_cache(maxsize=4096)
def _hidden_class(cls: str) -> bool:
    return bool(_HIDDEN_CLASS_RE.search(cls))


@lru_cache(maxsize=4096)
def _hidden_style(style: str) -> bool:
    """Word-pasted bodies repeat the same long style strings (with "mso-…: none") on every
    paragraph: caching the answer per string saves a case-insensitive regex scan each time."""
    return bool(_HIDDEN_STYLE_RE.search(style))


@lru_cache(maxsize=4096)
def _title_name(name: str) -> bool:
    return bool(_TITLE_NAME_RE.search(name))


@dataclass(slots=True, eq=False)
class Named:
    """A block whose tag/class/id suggests boilerplate, with the text statistics of its subtree
    (gathered during the walk, so link density needs no second pass)."""

    el: etree._Element
    kind: str  # "strong" or "ambiguous"
    chars: int = 0
    link_chars: int = 0
    links: int = 0
    skipped: bool = False  # not walked at all (flatten(skip_strong=True)): no lines, no statistics


_NO_NAMED: tuple[Named, ...] = ()


@dataclass(slots=True)
class Line:
    """One line of visible text and the innermost block element it came from."""

    text: str
    block: etree._Element
    link_chars: int = 0  # characters inside <a>
    heading: bool = False  # inside h1-h3 or an element whose class/id says "title"
    pieces: list[str] = field(default_factory=list)  # the text nodes, in order
    named: tuple[Named, ...] = _NO_NAMED  # boilerplate-named blocks enclosing the line
    strong: bool = False  # inside a block whose name is strongly boilerplate (nav, footer …)


@dataclass(slots=True)
class Flat:
    """The flattened page: lines, boilerplate-named blocks, and visible links with the index of
    the line their text belongs to."""

    lines: list[Line]
    named: list[Named]
    links: list[tuple[etree._Element, int]]


_BLOCK, _LINK, _HEADING, _NAMED, _STRONG = 1, 2, 4, 8, 16


def flatten(start: etree._Element, name_kind: NameKind, skip_strong: bool = False) -> Flat:
    """Walk the subtree under `start` once (see module docstring).

    `name_kind(tag, class, id)` says whether a block's name marks it as boilerplate ("strong",
    "ambiguous" or ""). With `skip_strong`, strongly named blocks (navigation, footers …) are not
    walked at all (a third of a typical page); the caller walks again without skipping when the
    result shows that something it needs might be inside one.

    Speed notes (this loop is most of the extraction time): a depth-first walk over a stack of
    child iterators lets skipped subtrees (scripts, hidden blocks, navigation) go unvisited — on
    real pages a third of the body's elements — and needs no `getparent()` per element;
    attribute reads are the next cost, so only block elements are asked for class/id/style
    (hidden inline elements are therefore not detected, hidden blocks are). The line-emitting
    code is inlined twice on purpose: a helper call per line costs more.
    """
    lines: list[Line] = []
    named: list[Named] = []
    open_named: list[Named] = []
    found_links: list[tuple[etree._Element, int]] = []
    pieces: list[str] = []
    link_chars = 0
    headings = 0
    links = 0
    strong = 0
    blocks: list[etree._Element] = [start]
    # The innermost open element, the iterator over its children and its flags live in locals;
    # the enclosing open elements' triples wait on `saved` (one push and one pop per element).
    cur_it, cur_el, cur_flag = iter(start), start, _BLOCK
    saved: list[tuple[Iterator[etree._Element], etree._Element, int]] = []
    append_line = lines.append
    block_tags, drop_tags, heading_tags, named_tags = BLOCK_TAGS, DROP_TAGS, HEADING_TAGS, _NAMED_TAGS

    text = start.text
    if text and not text.isspace():
        pieces.append(text)
    while True:
        el = next(cur_it, None)
        if el is None:  # the innermost open element ends
            flag, closed = cur_flag, cur_el
            if flag & _BLOCK:
                if pieces:
                    line = " ".join("".join(pieces).split())
                    if line:
                        if open_named:
                            for nb in open_named:
                                nb.chars += len(line)
                                nb.link_chars += link_chars
                            append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces,
                                             tuple(open_named), strong > 0))
                        else:
                            append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces))
                    pieces = []
                    link_chars = 0
                if not saved:
                    break  # `start` itself: its tail is not part of the subtree
                blocks.pop()
                if flag & _NAMED:
                    open_named.pop()
                    if flag & _STRONG:
                        strong -= 1
            elif flag:
                if flag & _LINK:
                    links -= 1
            if flag & _HEADING:
                headings -= 1
            cur_it, cur_el, cur_flag = saved.pop()
        else:
            tag = el.tag
            flag = -1  # -1: skipped with its subtree (only its tail is read)
            if tag.__class__ is str and tag not in drop_tags:
                if tag in block_tags:
                    # one items() call is cheaper than three get()s, and than none for bare blocks
                    cls = style = ident = None
                    attrs = el.items()
                    if attrs:
                        for key, value in attrs:
                            if key == "class":
                                cls = value if cls is None else cls
                            elif key == "style":
                                style = value if style is None else style
                            elif key == "id":
                                ident = value if ident is None else ident
                    if not ((cls and _hidden_class(cls)) or (
                        style and ("none" in style or "hidden" in style) and _hidden_style(style)
                    )):  # a hidden block is skipped without ending the line
                        if pieces:
                            line = " ".join("".join(pieces).split())
                            if line:
                                if open_named:
                                    for nb in open_named:
                                        nb.chars += len(line)
                                        nb.link_chars += link_chars
                                    append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces,
                                                     tuple(open_named), strong > 0))
                                else:
                                    append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces))
                            pieces = []
                            link_chars = 0
                        kind = name_kind(tag, cls or "", ident or "") if (cls or ident or tag in named_tags) else ""
                        if kind == "strong" and skip_strong:
                            named.append(Named(el, kind, skipped=True))
                        else:
                            flag = _BLOCK
                            if kind:
                                nb = Named(el, kind)
                                named.append(nb)
                                open_named.append(nb)
                                if kind == "strong":
                                    strong += 1
                                    flag |= _NAMED | _STRONG
                                else:
                                    flag |= _NAMED
                            blocks.append(el)
                            if tag in heading_tags or (cls and _title_name(cls)) or (ident and _title_name(ident)):
                                flag |= _HEADING
                                headings += 1
                elif tag == "br":
                    flag = 0
                    if pieces:
                        line = " ".join("".join(pieces).split())
                        if line:
                            if open_named:
                                for nb in open_named:
                                    nb.chars += len(line)
                                    nb.link_chars += link_chars
                                append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces,
                                                 tuple(open_named), strong > 0))
                            else:
                                append_line(Line(line, blocks[-1], link_chars, headings > 0, pieces))
                        pieces = []
                        link_chars = 0
                elif tag == "a":
                    flag = _LINK
                    links += 1
                    found_links.append((el, len(lines)))
                    for nb in open_named:
                        nb.links += 1
                else:
                    flag = 0
            if flag != -1:
                text = el.text
                if text:
                    if text.isspace():
                        if pieces:
                            pieces.append(" ")
                    else:
                        pieces.append(text)
                        if links:
                            link_chars += len(text.strip())
                if flag & _BLOCK or len(el):
                    saved.append((cur_it, cur_el, cur_flag))
                    cur_it, cur_el, cur_flag = iter(el), el, flag
                    continue
                if flag:  # a link without child elements ends here
                    links -= 1
            closed = el
        tail = closed.tail  # text after an element belongs to its parent's line
        if tail:
            if tail.isspace():
                if pieces:
                    pieces.append(" ")
            else:
                pieces.append(tail)
                if links:
                    link_chars += len(tail.strip())
    return Flat(lines, named, found_links)
