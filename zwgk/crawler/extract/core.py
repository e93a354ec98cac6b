"""extract_article: the documented order of extractors (see docs/extraction.md).

1. parse once (lxml), read <meta> (and <title> when needed), apply per-column selectors;
2. flatten the visible body into lines (tree.flatten), find the title line and the main content
   (the best run of text lines, content.best_run);
3. mark boilerplate (navigation, sidebars, footers, dated link lists) and ignore its lines;
4. scan labels once (info tables + labelled text) and pick each field by evidence order:
   publish_date  selector > infotable > text (near the title) > meta > url > dateparser
   written_date  selector > infotable > text
   doc_number    selector > infotable > text > title > first lines of the body
   The meta PubDate is read early but a visible date wins; a disagreeing meta value is kept in
   `meta_publish_date`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from lxml import etree

from zwgk.grammar.attachment_urls import is_attachment_url
from zwgk.grammar.asof import site_today

from . import docnumber, labels
from .boilerplate import dated_link_lists, dropped_named, name_kind
from .content import best_run, body_links, body_text, extend_run, line_values, lowest_common_ancestor
from .dates import find_date, in_range, leading_date, shown_date_text
from .fallback import title_area_date
from .labels import Hit
from .meta import MetaInfo, read_meta
from .selectors import select_texts
from .settings import (
    DOCNO_BODY_LINES,
    DOCNO_BODY_LONG_LINES,
    DOCNO_LINE_MAX_CHARS,
    LONG_LINE_CHARS,
    MIN_PUBLISH_DATE,
    MIN_WRITTEN_DATE,
    STRONG_LABEL_LINES_AFTER_TITLE,
    STRONG_LABEL_LINES_BEFORE_TITLE,
    WEAK_LABEL_LINES_AFTER_TITLE,
    WEAK_LABEL_LINES_BEFORE_TITLE,
)
from .title import locate, main_heading, page_title, trim
from .tree import Line, body_of, flatten, parse_html, within
from .types import ArticleFields
from .urls import url_date
from . import meta as _meta

_HTTP_PREFIXES = ("http://", "https://")


def _lines_within(lines: list[Line], nodes: set[etree._Element]) -> list[bool]:
    """For each line: does its block lie inside (or is it) one of `nodes`? Memoised walk upwards."""
    memo: dict[etree._Element, bool] = {}
    flags: list[bool] = []
    for line in lines:
        chain: list[etree._Element] = []
        cur: etree._Element | None = line.block
        result = False
        while cur is not None:
            known = memo.get(cur)
            if known is not None:
                result = known
                break
            if cur in nodes:
                result = True
                break
            chain.append(cur)
            cur = cur.getparent()
        for el in chain:
            memo[el] = result
        flags.append(result)
    return flags


def _ancestors_or_self(el: etree._Element | None) -> set[etree._Element]:
    if el is None:
        return set()
    found = {el}
    found.update(el.iterancestors())
    return found


class _Page:
    """Everything computed once per page and shared by the field pickers."""

    def __init__(self, html: str, url: str, selectors: dict[str, str], notes: list[str]) -> None:
        self.notes = notes
        self.root = parse_html(html)
        self.ok = self.root is not None
        if not self.ok:
            return
        root = self.root
        self.meta: MetaInfo = read_meta(root)
        self.selected = {
            key: select_texts(root, expr, notes)
            for key, expr in selectors.items()
            if isinstance(expr, str) and expr.strip()
        }
        self.known_title = (self.selected.get("title") or [""])[0] or self.meta.title
        # <title> is only needed when neither a selector nor ArticleTitle gives the title.
        self.doc_title = "" if self.known_title else page_title(root, self.meta.site_name)
        self.url = url or (self.meta.url if self.meta.url.lower().startswith(_HTTP_PREFIXES) else "")
        # Fast path: navigation, footers … are not walked. Walk again in full when that may have
        # hidden something needed (see _layout's return value).
        body = body_of(root)
        if not self._layout(body, skip_strong=True):
            self._layout(body, skip_strong=False)

    def _layout(self, body: etree._Element, skip_strong: bool) -> bool:
        """Lines, title line, content run, boilerplate, labels and links. Returns False when blocks
        skipped by `skip_strong` may hold the article, its title or its visible date."""
        flat = flatten(body, name_kind, skip_strong)
        self.lines = lines = flat.lines
        count = len(lines)
        skipped = [nb.el for nb in flat.named if nb.skipped]
        penalised = [line.strong for line in lines]
        known = self.known_title
        title_idx = locate(lines, known, penalised) if known else None
        if skipped and (not lines or (known and title_idx is None)):
            return False
        run = best_run(line_values(lines, penalised, title_idx))
        if run is None and any(penalised):  # the whole article sits in an oddly named block
            penalised = [False] * count
            run = best_run(line_values(lines, penalised, title_idx))
        if run is None and skipped:
            return False
        self.heading_title = False
        if title_idx is None and not known:
            title_idx = main_heading(lines, run, self.doc_title, penalised)
            self.heading_title = title_idx is not None
        self.title_idx = title_idx
        if run is not None:
            content = lowest_common_ancestor(lines[run[0]].block, lines[run[1]].block)
            run = extend_run(lines, run, penalised, content, title_idx)
        else:
            content = body
        self.content = content
        title_el = lines[title_idx].block if title_idx is not None else None
        container = lowest_common_ancestor(title_el, content) if title_el is not None else content
        protected = _ancestors_or_self(content) | _ancestors_or_self(title_el)
        # A container that is the whole body says nothing about where the article ends.
        article = container if container is not body and container is not self.root else None
        dropped = dropped_named(flat.named, protected, article)
        lists = [el for el in dated_link_lists(lines) if el not in protected]
        in_list = _lines_within(lines, set(lists)) if lists else [False] * count
        if dropped:
            self.keep = [
                not (in_list[i] or (line.named and not dropped.isdisjoint(line.named)))
                for i, line in enumerate(lines)
            ]
        else:
            self.keep = [not flag for flag in in_list]
        self.run_found = run is not None
        lo, hi = run if run is not None else (0, -1)
        self.in_content = [lo <= i <= hi and self.keep[i] for i in range(count)]
        self.anchor = title_idx if title_idx is not None else lo
        self.run_end = hi if run is not None else count - 1
        self.hits: list[Hit] = labels.scan(lines, self.keep)
        if skipped and article is not None and not _has_visible_date(self.hits):
            # a strongly named block inside the article (an "article-foot" line?) may hold the date
            if any(within(el, article) for el in skipped):
                return False
        # Body links: visible links inside the article container, outside boilerplate and share bars.
        first, last = _extent(lines, container, (lo, hi) if run is not None else (0, count - 1), title_idx)
        self.links: list[etree._Element] = []
        for a, idx in flat.links:
            idx = min(idx, count - 1)
            in_run = first <= idx <= last
            # An attachment link just below a short run: an attachment-only article (the page
            # is its title, its date and "附件：<a>…</a>").
            near_run = (last < idx <= last + ATTACHMENT_LINES_AFTER_RUN
                        and is_attachment_url(a.get("href") or ""))
            if not (in_run or near_run) or not self.keep[idx]:
                continue
            if any(nb.kind == "strong" and nb.el not in protected for nb in lines[idx].named):
                continue
            self.links.append(a)
        return True


# Lines below the article's text run where an attachment link still belongs to the article.
ATTACHMENT_LINES_AFTER_RUN = 8


def _has_visible_date(hits: list[Hit]) -> bool:
    return any(
        hit.kind in (labels.PUBLISH, labels.UPDATE, labels.WEAK_DATE)
        and leading_date(hit.value) is not None for hit in hits
    )


def _extent(
    lines: list[Line], container: etree._Element, known: tuple[int, int], title_idx: int | None
) -> tuple[int, int]:
    """First and last line index inside `container`, grown from the `known` lines (lo, hi)."""
    lo, hi = known
    if title_idx is not None:
        lo, hi = min(lo, title_idx), max(hi, title_idx)
    if hi < lo:
        return 0, -1

    while lo > 0 and within(lines[lo - 1].block, container):
        lo -= 1
    while hi + 1 < len(lines) and within(lines[hi + 1].block, container):
        hi += 1
    return lo, hi


def _first_date(texts: Iterable[str], as_of: date, earliest: date) -> date | None:
    for text in texts:
        found = in_range(find_date(text), as_of, earliest)
        if found is not None:
            return found
    return None


def _hit_dates(hits: Iterable[Hit], as_of: date, earliest: date) -> Iterable[tuple[Hit, date]]:
    for hit in hits:
        found = in_range(leading_date(hit.value), as_of, earliest)
        if found is not None:
            yield hit, found


def _near(hit: Hit, anchor: int, before: int, after: int) -> bool:
    return -before <= hit.line - anchor <= after


def _distance(hit: Hit, anchor: int) -> int:
    delta = hit.line - anchor
    return delta if delta >= 0 else -2 * delta + 1  # a date above the title is less likely


def _visible_publish(page: _Page, as_of: date) -> tuple[date, str] | None:
    """The labelled date, by precedence: infotable 发布日期; 发布时间/日期 near the title;
    更新时间/信息时间 in an infotable or near the title (date_source "update"); bare 日期/时间 near
    the title; 发布 labels far from the title outside the content; 更新 labels likewise. Dates
    after ``as_of`` are not read (``_note_rejected_visible`` asks again with a later bound)."""
    table_hits = (h for h in page.hits if h.kind == labels.PUBLISH and h.infotable)
    for _hit, found in _hit_dates(table_hits, as_of, MIN_PUBLISH_DATE):
        return found, "infotable"
    anchor = page.anchor

    def by_distance(kind: str) -> list[tuple[Hit, date]]:
        return sorted(_hit_dates((h for h in page.hits if h.kind == kind), as_of, MIN_PUBLISH_DATE),
                      key=lambda pair: _distance(pair[0], anchor))

    strong, update, weak = by_distance(labels.PUBLISH), by_distance(labels.UPDATE), \
        by_distance(labels.WEAK_DATE)
    for hit, found in strong:
        if _near(hit, anchor, STRONG_LABEL_LINES_BEFORE_TITLE, STRONG_LABEL_LINES_AFTER_TITLE):
            return found, "text"
    for hit, found in update:
        if hit.infotable or _near(hit, anchor, STRONG_LABEL_LINES_BEFORE_TITLE,
                                  STRONG_LABEL_LINES_AFTER_TITLE):
            return found, "update"
    for hit, found in weak:
        if _near(hit, anchor, WEAK_LABEL_LINES_BEFORE_TITLE, WEAK_LABEL_LINES_AFTER_TITLE):
            return found, "text"
    for source, hits in (("text", strong), ("update", update)):
        for hit, found in hits:  # far from the title: an article footer line, not running text
            if not page.in_content[hit.line]:
                return found, source
    return None


# The latest date a 发布日期 label is read as a claim about the page (later: a typo such as 20266).
LATEST_CLAIMED_DATE = date(2099, 12, 31)


def _note_rejected_visible(page: _Page, out: ArticleFields, as_of: date) -> None:
    """A labelled 发布日期 after as-of (or before 1990) is never used, but it is evidence (a
    forged or mistyped date): say so, so the audit's reader can see why the page looks undated.

    A future date counts as the page's own only where its own 发布日期 would have been read (the
    same places and precedence as ``_visible_publish``: info table, near the title, the article's
    footer): a future date elsewhere — a sidebar's 预告, another article's line — is no claim of
    this page, and the audit fails a page (date_future, a veto) on this field alone."""
    found = _visible_publish(page, LATEST_CLAIMED_DATE)
    if found is not None and found[0] > as_of:
        out.notes.append(f"visible publish date {found[0]} out of range (as of {as_of}), ignored")
        out.rejected_publish_date = found[0].isoformat()
        return
    for hit in page.hits:
        if hit.kind in (labels.PUBLISH, labels.UPDATE):
            shown = leading_date(hit.value)
            if shown is not None and shown < MIN_PUBLISH_DATE:
                out.notes.append(f"visible publish date {shown} out of range (as of {as_of}), ignored")
                out.rejected_publish_date = shown.isoformat()
                return
            text = shown_date_text(hit.value) if shown is None else None
            if text is not None:
                out.notes.append(f"visible publish date {text} is not a possible date, ignored")
                out.rejected_publish_date = text
                return


def _pick_publish(page: _Page, out: ArticleFields, as_of: date) -> None:
    meta_value = in_range(page.meta.publish_date, as_of)
    if page.meta.publish_date is not None and meta_value is None:
        out.notes.append(f"meta publish date {page.meta.publish_date} out of range, ignored")
    chosen: tuple[date, str] | None = None
    if "publish_date" in page.selected:
        found = _first_date(page.selected["publish_date"], as_of, MIN_PUBLISH_DATE)
        if found is not None:
            chosen = (found, "selector")
    if chosen is None:
        chosen = _visible_publish(page, as_of)
        if chosen is None:
            _note_rejected_visible(page, out, as_of)
    if chosen is not None:
        out.publish_date, out.date_source = chosen
        if meta_value is not None and meta_value != chosen[0]:
            out.meta_publish_date = meta_value
            out.notes.append(f"meta PubDate {meta_value} differs from visible {chosen[0]}; visible wins")
        return
    if meta_value is not None:
        out.publish_date, out.date_source = meta_value, "meta"
        return
    from_url = url_date(page.url)
    day = in_range(from_url.day, as_of)
    if day is not None:
        out.publish_date, out.date_source = day, "url"
        return
    start = page.title_idx + 1 if page.title_idx is not None else page.anchor
    found = in_range(title_area_date(page.lines, start, max(page.run_end, start), page.keep), as_of)
    if found is not None and from_url.month is not None and (found.year, found.month) != from_url.month:
        out.notes.append(f"title-area date {found} contradicts URL month {from_url.month}; ignored")
        found = None
    if found is not None:
        out.publish_date, out.date_source = found, "dateparser"
    elif from_url.month is not None:
        out.notes.append("URL gives only the month %04d-%02d; no publish day found" % from_url.month)


def _pick_written(page: _Page, out: ArticleFields, as_of: date) -> None:
    if "written_date" in page.selected:
        found = _first_date(page.selected["written_date"], as_of, MIN_WRITTEN_DATE)
        if found is not None:
            out.written_date, out.written_source = found, "selector"
            return
    written = [h for h in page.hits if h.kind == labels.WRITTEN]
    for infotable in (True, False):
        for hit, found in _hit_dates((h for h in written if h.infotable is infotable), as_of, MIN_WRITTEN_DATE):
            out.written_date, out.written_source = found, "infotable" if infotable else "text"
            return


def _docno_in_body(page: _Page) -> str | None:
    start = page.anchor
    seen = long_lines = 0
    for idx in range(start, len(page.lines)):
        if not page.keep[idx] or not (page.in_content[idx] or idx - start < DOCNO_BODY_LINES):
            continue
        text = page.lines[idx].text
        seen += 1
        if seen > DOCNO_BODY_LINES:
            break
        if len(text) <= DOCNO_LINE_MAX_CHARS:
            found = docnumber.on_own_line(text)
            if found:
                return found
        if len(text) >= LONG_LINE_CHARS and idx != page.title_idx:
            long_lines += 1
            if long_lines >= DOCNO_BODY_LONG_LINES:
                break
    return None


def _pick_docno(page: _Page, out: ArticleFields) -> None:
    for text in page.selected.get("doc_number", []):
        found = docnumber.clean_labelled(text)
        if found:
            out.doc_number, out.doc_number_source = found, "selector"
            return
    docno_hits = [h for h in page.hits if h.kind == labels.DOCNO]
    for infotable in (True, False):
        for hit in docno_hits:
            if hit.infotable is infotable:
                found = docnumber.clean_labelled(hit.value)
                if found:
                    out.doc_number, out.doc_number_source = found, "infotable" if infotable else "text"
                    return
    titles = [out.title]
    if page.title_idx is not None:
        titles.append(page.lines[page.title_idx].text)
    for title in titles:
        found = docnumber.in_title(title) if title else None
        if found:
            out.doc_number, out.doc_number_source = found, "title"
            return
    found = _docno_in_body(page)
    if found:
        out.doc_number, out.doc_number_source = found, "body"


def _pick_title(page: _Page, out: ArticleFields) -> None:
    selected = page.selected.get("title")
    if selected:
        out.title = trim(selected[0])
        return
    if page.meta.title:
        out.title = trim(page.meta.title)
        return
    for hit in page.hits:
        if hit.kind == labels.TITLE and hit.infotable:
            value = labels.cut_value(hit.value)
            if value:
                out.title = trim(_meta.clean_text(value))
                return
    if page.heading_title and page.title_idx is not None:
        out.title = trim(page.lines[page.title_idx].text)
        return
    out.title = trim(page.doc_title)


def _pick_validity(page: _Page, out: ArticleFields) -> None:
    for infotable in (True, False):
        for hit in page.hits:
            if hit.kind == labels.VALIDITY and hit.infotable is infotable:
                value = labels.cut_value(hit.value).split(" ")[0].strip()
                if value and value not in {"无", "暂无", "/", "-", "—"}:
                    out.validity = value[:20]
                    return


def extract(html: str, url: str, as_of: date, selectors: dict[str, str]) -> ArticleFields:
    """The extraction itself; may raise on a bug (tests call it directly to see bugs)."""
    out = ArticleFields()
    page = _Page(html, url, selectors, out.notes)
    if not page.ok:
        out.notes.append("empty or unparseable page")
        out.body_status = "no_text"
        return out
    _pick_title(page, out)
    _pick_publish(page, out, as_of)
    _pick_written(page, out, as_of)
    _pick_docno(page, out)
    _pick_validity(page, out)
    if out.written_date and out.publish_date and out.written_date > out.publish_date:
        out.notes.append(f"成文日期 {out.written_date} after 发布日期 {out.publish_date}")
    body_lines = [line for line, flag in zip(page.lines, page.in_content) if flag]
    out.body_text = body_text(body_lines)
    out.links = body_links(page.links, page.url)
    out.body_status = _body_status(page, sum(len(line.text) for line in body_lines))
    return out


# A body shorter than this (characters) next to a frame may be the frame's, not the page's.
SHORT_BODY_CHARS = 60
# An inline script with this many CJK characters carries text a reader sees (document.write …).
SCRIPT_TEXT_CJK_CHARS = 20
_FRAME_TAGS = ("iframe", "frame", "embed", "object")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _body_status(page: _Page, chars: int) -> str:
    """Why the body could not be located ("" when it was): see ArticleFields.body_status.

    A page whose title was found and whose body is empty is a located, empty body (a title-only
    page): only a frame or a text-writing script in the article's part of the page (after its
    title, outside navigation, header, footer and share bars), or no recognisable article at
    all, makes the body "not located"."""
    if page.run_found and chars >= SHORT_BODY_CHARS:
        return ""
    body = body_of(page.root)
    title = page.lines[page.title_idx].block if page.title_idx is not None else None
    after_title = title is None
    for el in body.iter():
        if el is title:
            after_title = True
            continue
        if not after_title or not isinstance(el.tag, str) or _in_boilerplate(el):
            continue
        if el.tag in _FRAME_TAGS and (el.get("src") or el.get("data") or "").strip():
            return "frame"
        if el.tag == "script" and len(_CJK_RE.findall(el.text or "")) >= SCRIPT_TEXT_CJK_CHARS:
            return "script"
    if page.root.find(".//frameset") is not None:
        return "frame"
    if not page.run_found and page.title_idx is None:
        return "no_text"
    return ""


def _in_boilerplate(el: etree._Element) -> bool:
    """Inside a block named as navigation, header, footer, share bar … (boilerplate.name_kind)."""
    for node in (el, *el.iterancestors()):
        if isinstance(node.tag, str) and name_kind(node.tag, node.get("class") or "",
                                                   node.get("id") or "") == "strong":
            return True
    return False


def extract_article(
    html: str,
    url: str = "",
    *,
    as_of: date | None = None,
    selectors: dict[str, str] | None = None,
) -> ArticleFields:
    """Extract title, dates, 文号, validity, body text and links from one article page.

    Never raises: a page that cannot be read yields empty fields and a note. `as_of` (default
    today) bounds dates from above; `selectors` maps title/publish_date/written_date/doc_number to a
    CSS or XPath expression tried before the general rules.
    """
    if not isinstance(html, str):
        html = "" if html is None else str(html)
    try:
        return extract(html, url or "", as_of or site_today(), dict(selectors or {}))
    except Exception as err:  # a crawler must survive any page; the note makes the failure visible
        return ArticleFields(notes=[f"extraction failed: {type(err).__name__}: {err}"[:300]])
