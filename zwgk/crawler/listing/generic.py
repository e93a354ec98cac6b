"""The column's own list on any page: the main repeated block of links that carry dates.

How it decides, step by step (each step is cheap; the whole page is walked a few times):

1. Candidate links: an href a person can follow (no javascript:/mailto:/#) and a title that is
   not page furniture (numbers, 下一页, 更多 …).
2. Rows: each link's nearest li/tr/dd/dt/p/div/article/section. A row without a date climbs
   (at most three levels) while the parent holds no other candidate link — ``<dt>`` to its
   ``<dl>``, a title ``<div>`` to its ``<li>``. A row holding three or more links with no row
   markup of their own (``<a>…</a> [date]<br>`` runs) is split per link.
3. Blocks: rows are grouped by their structural path (tag, class and id of every ancestor, digits
   ignored), so a list cut into several ``<ul>`` of five stays one block while a sidebar in a
   different container is another.
4. Exclusion: a block inside nav/header/footer/aside, an ARIA navigation/banner/contentinfo/
   complementary region, or an element whose class/id says nav, menu, header, footer, side(bar),
   breadcrumb, links, related, hot, rank … is never the list — unless that element wraps most of
   the page's links (a page-wide wrapper named "menu_hov" says nothing). Rows naming the site
   owner (版权所有, ICP备 …) are footer rows. A block needs dated rows (at least one, and a fifth of
   its rows).
5. Score: dated rows (undated count a quarter), then multiplied: ×2 when the pager sits next to
   the block, ×(1 + share of entries under the column's own directory), ×1.5 when the block's
   heading names the column (meta ColumnName or <title>), ×0.2 when the heading says 相关/最新/
   热点/推荐/排行 … (not the column name), ×1.2 for list-like class names. When the page says
   "暂无信息" outside any script template, only a block next to that message (within two levels)
   and not headed like a side box may count: an empty column must not borrow the sidebar's links.

Undated rows are kept only when they sit in the chosen block.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .dates import date_only, dates_in, shows_unread_date
from .dom import (NON_TEXT_TAGS, HtmlElement, class_tokens, element_text, norm_space, resolve_href,
                  text_outside)
from .rows import (RowEntry, is_entry_text, is_footer_row, link_title, pick_link, row_date,
                   shows_partial_date, table_date_column)
from .types import ListEntry

_ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "article", "section"})
_STOP_TAGS = frozenset({"body", "html"})
_NEG_TAGS = frozenset({"nav", "header", "footer", "aside"})
_NEG_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu",
                        "menubar", "tablist"})
_NEG_TOKENS = frozenset({
    "nav", "navbar", "subnav", "menu", "submenu", "header", "head", "top", "topbar", "logo", "banner",
    "footer", "foot", "bottom", "copyright", "banquan", "bq", "side", "sidebar", "aside", "sidenav",
    "related", "relate", "xgwz", "xgxx", "xglj", "hot", "hots", "rank", "ranking", "recommend",
    "tuijian", "rmtj", "rdtj", "breadcrumb", "crumb", "crumbs", "location", "position", "dqwz",
    "weizhi", "link", "links", "friend", "friendlink", "flink", "yqlj", "share", "bdshare", "search",
    "toolbar", "skip", "dropdown",
})
_NEG_SUBSTRINGS = ("navigation", "sidebar", "breadcrumb", "footer", "header", "copyright", "navbar",
                   "menu", "friendlink")
_POS_TOKENS = frozenset({"list", "lists", "news", "article", "articles", "content", "main", "con",
                         "xxgk", "gkml", "doc", "docs", "wj", "zwgk", "info", "item", "items", "lb",
                         "column", "lanmu", "data"})
_NEG_HEADING_RE = re.compile(r"相关|推荐|热点|热门|排行|猜你|友情|最新|图片|视频|专题|阅读")
_EMPTY_MARK_RE = re.compile(
    r"暂无(?:信息|数据|内容|记录|相关|文章|公开|文件)|没有(?:找到)?(?:相关|符合条件的)?(?:信息|数据|记录|内容|文章)|"
    r"无相关(?:信息|数据|记录|内容)|无(?:信息|数据|记录)")
_TITLE_SPLIT_RE = re.compile(r"\s*[_|\-–—]\s*")
_DIGITS_RE = re.compile(r"\d+")
_TEMPLATE_ATTR_RE = re.compile(r"^(?:ms-|v-|ng-|x-|:|@|\*ng|data-bind|th:)", re.I)

_WRAPPER_SHARE = 0.6  # a negative name on an element holding this share of links is ignored
_MAX_CLIMB = 3
_MIN_FLAT_LINKS = 3


@dataclass
class GenericResult:
    entries: list[ListEntry] = field(default_factory=list)
    container: HtmlElement | None = None
    empty_marker: str | None = None  # the "暂无信息" text the page shows, if any


@dataclass
class _Row:
    entry: RowEntry
    chain: list[HtmlElement]  # the row element and the exclusive ancestors tried above it


def find_entries(root: HtmlElement, base: str, page_url: str,
                 pager: HtmlElement | None = None, exclude: frozenset[str] = frozenset()) -> GenericResult:
    cands = _candidates(root, base, exclude)
    marker = _empty_marker(root)
    result = GenericResult(empty_marker=element_text(marker) if marker is not None else None)
    if not cands:
        return result
    counts: dict[HtmlElement, int] = defaultdict(int)
    for a in cands:
        for anc in a.iterancestors():
            counts[anc] += 1
    rows = _rows(cands, counts, base)
    if not rows:
        return result
    sigs: dict[HtmlElement, str] = {}
    dated_keys = {_key(r.entry.row, sigs) for r in rows if r.entry.shows_date}
    groups: dict[tuple[str, ...], list[RowEntry]] = defaultdict(list)
    for r in rows:
        if not r.entry.shows_date:
            # an undated row joins the dated block its structure matches, if any
            for el in r.chain:
                if _key(el, sigs) in dated_keys:
                    r.entry.row = el
                    break
        groups[_key(r.entry.row, sigs)].append(r.entry)

    context = _Context(root, page_url, pager, marker, counts, len(cands))
    best: tuple[float, list[RowEntry], HtmlElement] | None = None
    for members in groups.values():
        scored = _score(members, context)
        if scored is None:
            continue
        score, container = scored
        if best is None or score > best[0]:
            best = (score, members, container)
    if best is None:
        return result
    order = {el: i for i, el in enumerate(root.iter())}
    members = sorted(best[1], key=lambda e: order.get(e.link, 0))
    seen: set[str] = set()
    for e in members:
        if e.url in seen:
            continue
        seen.add(e.url)
        result.entries.append(ListEntry(e.url, e.title, e.date))
    result.container = best[2]
    return result


# --- candidates and rows ----------------------------------------------------------------------

def _candidates(root: HtmlElement, base: str, exclude: frozenset[str]) -> list[HtmlElement]:
    found = []
    for a in root.iter("a"):
        url = resolve_href(base, a.get("href"))
        if url is None or url in exclude:
            continue
        if not is_entry_text(link_title(a)):
            continue
        if any(isinstance(anc.tag, str) and anc.tag in NON_TEXT_TAGS for anc in a.iterancestors()):
            continue
        found.append(a)
    return found


def _row_of(a: HtmlElement) -> HtmlElement | None:
    for anc in a.iterancestors():
        if not isinstance(anc.tag, str) or anc.tag in _STOP_TAGS:
            return None
        if anc.tag in _ROW_TAGS:
            return anc
    return None


def _rows(cands: list[HtmlElement], counts: dict[HtmlElement, int], base: str) -> list[_Row]:
    by_row: dict[HtmlElement, list[HtmlElement]] = {}
    for a in cands:
        row = _row_of(a)
        if row is not None:
            by_row.setdefault(row, []).append(a)
    rows: list[_Row] = []
    table_cols: dict[HtmlElement, int | None] = {}
    footer_blocks: dict[HtmlElement, bool] = {}
    for row, links in by_row.items():
        if len(links) >= _MIN_FLAT_LINKS and _is_flat(row, links):
            flat = _flat_rows(row, links, base)
            shown = sum(1 for r in flat if r.entry.shows_date)
            if shown >= 2 and shown * 2 >= len(flat):  # a run of dated links, not badge links
                rows.extend(flat)
                continue
        picked = pick_link(links, base)
        if picked is None:
            continue
        link, url, title = picked
        column = _date_column(row, table_cols)
        value = row_date(row, link, url, column)
        chain = [row]
        if value is None:
            node = row.getparent()
            for _ in range(_MAX_CLIMB):
                if node is None or not isinstance(node.tag, str) or node.tag in _STOP_TAGS \
                        or counts[node] != counts[row]:
                    break
                chain.append(node)
                value = row_date(node, link, url, None)
                if value is not None:
                    break
                node = node.getparent()
        element = chain[-1] if value is not None else row
        if is_footer_row(element, link, footer_blocks):
            continue
        shown = value is not None or shows_partial_date(row, link)
        rows.append(_Row(RowEntry(element, link, url, title, value, shown), chain))
    return rows


def _date_column(row: HtmlElement, cache: dict[HtmlElement, int | None]) -> int | None:
    if row.tag != "tr":
        return None
    table = next((anc for anc in row.iterancestors() if anc.tag == "table"), None)
    if table is None:
        return None
    if table not in cache:
        cache[table] = table_date_column(table)
    return cache[table]


def _is_flat(row: HtmlElement, links: list[HtmlElement]) -> bool:
    """Links laid out as siblings without row markup: each link (or its wrapper) is a direct child
    holding no other link."""
    tops = [_top_child(row, a) for a in links]
    return len(set(tops)) == len(tops) and all(t is not None for t in tops)


def _top_child(row: HtmlElement, a: HtmlElement) -> HtmlElement | None:
    node = a
    while node is not None and node.getparent() is not row:
        node = node.getparent()
    return node


def _flat_rows(row: HtmlElement, links: list[HtmlElement], base: str) -> list[_Row]:
    tops = {_top_child(row, a): a for a in links}
    rows: list[_Row] = []
    children = [c for c in row if isinstance(c.tag, str)]
    for i, child in enumerate(children):
        a = tops.get(child)
        if a is None:
            continue
        url = resolve_href(base, a.get("href"))
        title = link_title(a)
        if url is None or not is_entry_text(title):
            continue
        # the date: inside the child beside the link, else in what follows up to the next link
        texts = [text_outside(child, a), child.tail or ""]
        for sib in children[i + 1:]:
            if sib in tops:
                break
            texts += [element_text(sib), sib.tail or ""]
        value = None
        shown = False
        for t in texts:
            value = date_only(t, url) or next(iter(dates_in(t)), None)
            shown = value is not None or shows_unread_date(t)
            if shown:
                break
        rows.append(_Row(RowEntry(child, a, url, title, value, shown), [child]))
    return rows


# --- grouping ---------------------------------------------------------------------------------

def _sig(el: HtmlElement, cache: dict[HtmlElement, str]) -> str:
    s = cache.get(el)
    if s is None:
        classes = sorted(_DIGITS_RE.sub("#", c) for c in (el.get("class") or "").split())
        ident = _DIGITS_RE.sub("#", el.get("id") or "")
        s = f"{el.tag}.{'.'.join(classes)}#{ident}"
        cache[el] = s
    return s


def _key(row: HtmlElement, cache: dict[HtmlElement, str]) -> tuple[str, ...]:
    """Row tag plus every ancestor's signature: rows of one list share it (the row's own class is
    left out: lists alternate odd/even row classes). Ancestors right above the row that look
    exactly like it are skipped: rows built from unclosed ``<div>``s nest each in the one before,
    and are still one list."""
    own = _sig(row, cache)
    path: list[str] = []
    for anc in row.iterancestors():
        sig = _sig(anc, cache)
        if path or sig != own:
            path.append(sig)
    return (str(row.tag),) + tuple(path)


# --- scoring ----------------------------------------------------------------------------------

@dataclass
class _Context:
    root: HtmlElement
    page_url: str
    pager: HtmlElement | None
    marker: HtmlElement | None
    counts: dict[HtmlElement, int]
    total_links: int
    column_names: list[str] = field(default_factory=list)
    netloc: str = ""
    directory: str = "/"

    def __post_init__(self) -> None:
        self.column_names = _column_names(self.root)
        try:
            parts = urlsplit(self.page_url)
            self.netloc = parts.netloc
            self.directory = parts.path.rsplit("/", 1)[0] + "/"
        except ValueError:
            self.netloc, self.directory = "", "/"


def _score(members: list[RowEntry], ctx: _Context) -> tuple[float, HtmlElement] | None:
    dated = sum(1 for m in members if m.shows_date)
    if dated == 0 or dated * 5 < len(members):
        return None
    first = members[0].row
    for el in [first, *first.iterancestors()]:
        if _is_negative(el) and ctx.counts.get(el, 0) < _WRAPPER_SHARE * ctx.total_links:
            return None
    container = _lca([m.row for m in members]) if len(members) > 1 else first.getparent()
    if container is None:
        container = first
    heading = _heading(container)
    names_column = any(name and name in heading for name in ctx.column_names)
    other_box = not names_column and bool(_NEG_HEADING_RE.search(heading))
    if ctx.marker is not None and (other_box or not _near(container, ctx.marker, 2)):
        return None
    score = dated + 0.25 * (len(members) - dated)
    if names_column:
        score *= 1.5
    elif other_box:
        score *= 0.2
    if ctx.pager is not None and _near(container, ctx.pager, 3):
        score *= 2
    inside = sum(1 for m in members if _under(m.url, ctx.netloc, ctx.directory))
    score *= 1 + inside / len(members)
    chain = [container, *list(container.iterancestors())[:3]]
    if any(t in _POS_TOKENS for el in chain for t in class_tokens(el)):
        score *= 1.2
    return score, container


def _is_negative(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str) or el.tag in _STOP_TAGS:
        return False
    if el.tag in _NEG_TAGS or (el.get("role") or "").lower() in _NEG_ROLES:
        return True
    tokens = class_tokens(el)
    if any(t in _NEG_TOKENS for t in tokens):
        return True
    return any(s in t for t in tokens for s in _NEG_SUBSTRINGS)


def _under(url: str, netloc: str, directory: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.netloc == netloc and parts.path.startswith(directory)


def _path(el: HtmlElement) -> list[HtmlElement]:
    return list(reversed([el, *el.iterancestors()]))


def _lca(elements: list[HtmlElement]) -> HtmlElement | None:
    common = _path(elements[0])
    for el in elements[1:]:
        path = _path(el)
        n = 0
        while n < len(common) and n < len(path) and common[n] is path[n]:
            n += 1
        common = common[:n]
        if not common:
            return None
    return common[-1] if common else None


def _near(container: HtmlElement, other: HtmlElement, levels: int) -> bool:
    """``other`` lies within ``levels`` ancestors of the container."""
    lca = _lca([container, other])
    if lca is None:
        return False
    return len(_path(container)) - len(_path(lca)) <= levels


def _heading(container: HtmlElement) -> str:
    """The short text just before the block (a box title such as 最新动态 or the column name)."""
    for el in [container, *list(container.iterancestors())[:3]]:
        if el.tag in _STOP_TAGS:
            break
        for i, sib in enumerate(el.itersiblings(preceding=True)):
            if i >= 2:
                break
            if not isinstance(sib.tag, str) or sib.tag in NON_TEXT_TAGS:
                continue
            text = element_text(sib)
            if 2 <= len(text) <= 40:
                return text
    return ""


def _column_names(root: HtmlElement) -> list[str]:
    names = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "columnname":
            value = norm_space(meta.get("content"))
            if value and value.lower() != "null":
                names.append(value)
    for title in root.iter("title"):
        first = _TITLE_SPLIT_RE.split(norm_space(title.text_content()))[0]
        if 2 <= len(first) <= 20:
            names.append(first)
        break
    return names


def _empty_marker(root: HtmlElement) -> HtmlElement | None:
    """An element saying the list is empty (暂无信息 …) that a person without JavaScript sees:
    not inside a script template (attributes like ms-if, v-if, ng-if)."""
    body = root.find("body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in NON_TEXT_TAGS:
            continue
        own = norm_space(el.text)
        if not own or not _EMPTY_MARK_RE.search(own) or len(own) > 30:
            continue
        lineage = [el, *el.iterancestors()]
        if any(_TEMPLATE_ATTR_RE.match(attr) for node in lineage for attr in node.attrib):
            continue
        if any(isinstance(n.tag, str) and (n.tag in NON_TEXT_TAGS or n.tag == "a") for n in lineage):
            continue
        return el
    return None
