"""The main content (the best run of text lines), body text and body links.

Why scoring and not class names: templates name the body `UCAP-CONTENT`, `zoom`, `TRS_Editor`,
`article_content`, `con` … or nothing. Lines with own text and Chinese punctuation score, link text
and metadata lines cost; the best contiguous run of lines is the body.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from .settings import CONTENT_MIN_LINE_CHARS, MAX_BODY_CHARS
from .tree import Line, norm, within

_PUNCT = tuple("，。；、！？,;")
# "索 引 号：…", "发布日期：…": metadata lines, not paragraphs (they would make info tables win).
_LABEL_LINE_RE = re.compile(r"^[^\s:：]{1,6}(?:\s[^\s:：]{1,3}){0,3}\s*[:：]")
_HTTP_RE = re.compile(r"^https?://", re.I)
_SKIP_HREF_RE = re.compile(r"^\s*(?:javascript:|mailto:|tel:|#|data:)", re.I)


_CELL_TAGS = frozenset(("td", "th"))


def _data_table_of(block: etree._Element, cache: dict[etree._Element, bool]) -> bool:
    """True when ``block`` is (inside) a cell of a data table: two or more rows of two or more
    cells, no links, no nested table — a 公示 roster of names and amounts, not a layout table."""
    cell = block if block.tag in _CELL_TAGS else next(
        (a for a in block.iterancestors() if a.tag in _CELL_TAGS), None)
    if cell is None:
        return False
    table = next((a for a in cell.iterancestors() if a.tag == "table"), None)
    if table is None:
        return False
    if table not in cache:
        rows = [r for r in table.iter("tr") if len([c for c in r if c.tag in _CELL_TAGS]) >= 2]
        cache[table] = (len(rows) >= 2 and next(table.iter("a"), None) is None
                        and next(iter(table.iterdescendants("table")), None) is None)
    return cache[table]


def line_values(lines: list[Line], penalised: list[bool], title_idx: int | None) -> list[float]:
    """How much each line looks like article text: own characters and punctuation count for it,
    link text and shortness against it. Metadata lines ("发布日期：…"), the title and lines inside
    blocks named as boilerplate are negative. A cell of a data table (a roster of names and
    amounts) is short by nature: its own characters count without the shortness penalty."""
    values: list[float] = []
    tables: dict[etree._Element, bool] = {}
    for idx, line in enumerate(lines):
        text = line.text
        size = len(text)
        if penalised[idx]:
            value = -float(size) - CONTENT_MIN_LINE_CHARS
        elif idx == title_idx or (("：" in text or ":" in text) and _LABEL_LINE_RE.match(text)):
            value = -2.0 * CONTENT_MIN_LINE_CHARS
        else:
            links = line.link_chars
            own = size - links
            punct = sum(map(text.count, _PUNCT)) if own > links else 0
            shortness = 0 if links == 0 and _data_table_of(line.block, tables) else CONTENT_MIN_LINE_CHARS
            value = own + 3 * punct - 3 * links - shortness
        values.append(value)
    return values


def best_run(values: list[float]) -> tuple[int, int] | None:
    """The contiguous run of lines with the largest total value (Kadane); None if none is positive.

    Why a run of lines and not a scored element: bodies pasted from Word are tables of short cells
    that readability-style parent scoring spreads over many <td>s; a run of consecutive positive
    lines finds them, and navigation/sidebars (negative) cut runs apart.
    """
    best_sum, best = 0.0, None
    run_sum, run_start = 0.0, 0
    for idx, value in enumerate(values):
        if run_sum <= 0:
            run_sum, run_start = value, idx
        else:
            run_sum += value
        if run_sum > best_sum:
            best_sum, best = run_sum, (run_start, idx)
    return best


def extend_run(
    lines: list[Line], run: tuple[int, int], penalised: list[bool], node: etree._Element, title_idx: int | None
) -> tuple[int, int]:
    """Grow the run over neighbouring plain lines (no links) inside the same content element: the
    落款 (signing office and date), a salutation, or the "一、项目编号：" rows of a form are short
    or label-like but part of the body."""

    def plain(idx: int) -> bool:
        line = lines[idx]
        return not penalised[idx] and idx != title_idx and line.link_chars == 0 and within(line.block, node)

    lo, hi = run
    while lo > 0 and plain(lo - 1):
        lo -= 1
    while hi + 1 < len(lines) and plain(hi + 1):
        hi += 1
    return lo, hi


def lowest_common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    """The deepest element containing both `a` and `b`."""
    seen = {a}
    seen.update(a.iterancestors())
    if b in seen:
        return b
    for anc in b.iterancestors():
        if anc in seen:
            return anc
    return b


def body_text(lines: list[Line]) -> str:
    """Lines joined by newlines, trimmed to MAX_BODY_CHARS."""
    text = "\n".join(line.text for line in lines)
    return text[:MAX_BODY_CHARS]


def body_links(anchors: list[etree._Element], base_url: str) -> list[tuple[str, str]]:
    """Absolute http(s) URLs of `anchors` with their anchor text (or title), first occurrence only."""
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or _SKIP_HREF_RE.match(href):
            continue
        try:
            absolute = urljoin(base_url, href) if base_url else href
        except ValueError:
            continue
        if not _HTTP_RE.match(absolute) or absolute in seen:
            continue
        seen.add(absolute)
        text = norm("".join(a.itertext())) or norm(a.get("title") or "")
        links.append((absolute, text))
    return links
