"""The article title and where it stands on the page.

Order: ArticleTitle meta; else the main heading (h1-h3 or an element whose class/id says title:
the one showing the <title> text, else the one nearest before the content); else <title> minus
the site-name suffix. The title's line index is
what "near the title" means for labelled dates and for the 文号 under the heading.
"""
from __future__ import annotations

import re

from lxml import etree

from .meta import clean_text
from .settings import MAX_TITLE_CHARS
from .tree import Line, squeeze

_TAG_RE = re.compile(r"<[^>]*>")
_SUFFIX_SPLIT_RE = re.compile(r"\s*(?:[|｜_－—–]+|\s-\s|--+)\s*")
_MIN_TITLE_CHARS = 4
_MIN_PARTIAL_CHARS = 8
_ELLIPSIS_RE = re.compile(r"(?:\.\.\.|…+)$")
_LABEL_START_RE = re.compile(r"^[^\s:：]{1,6}(?:\s[^\s:：]{1,3}){0,3}\s*[:：]")


def page_title(root: etree._Element, site_name: str = "") -> str:
    """<title> without the site-name / column suffixes (`标题 - 某某市人民政府`, `标题_栏目_网站`)."""
    head = root.find("head")
    el = head.find("title") if head is not None else None
    if el is None:
        return ""
    # Some CMSs paste Word markup into <title>, where browsers show it as text: drop it here,
    # since <title> is only a fallback and a hint for finding the heading.
    text = clean_text(_TAG_RE.sub("", "".join(el.itertext())))
    if not text:
        return ""
    if site_name:
        text = text.replace(site_name, " ").strip(" -_|－—")
    parts = [p for p in _SUFFIX_SPLIT_RE.split(text) if p]
    if not parts:
        return ""
    first = parts[0]
    if len(first) >= _MIN_TITLE_CHARS:
        return first
    return max(parts, key=len)


def _matches(line_text: str, wanted: str) -> bool:
    """Does a page line show the wanted title? Equal, or a long enough prefix/extension of it, or
    its end ("站点名 栏目名 标题" <title>s put the site first)."""
    line = _ELLIPSIS_RE.sub("", squeeze(line_text))
    if not line:
        return False
    if line == wanted:
        return True
    return len(line) >= _MIN_PARTIAL_CHARS and (
        wanted.startswith(line) or line.startswith(wanted) or wanted.endswith(line)
    )


def locate(lines: list[Line], known: str, avoid: list[bool]) -> int | None:
    """Index of the first line showing the known title (meta or <title>), headings preferred,
    lines flagged in `avoid` (navigation, footers) only when nothing else matches."""
    wanted = squeeze(known)
    if len(wanted) < _MIN_TITLE_CHARS:
        return None
    fallback = avoided = None
    for idx, line in enumerate(lines):
        if _matches(line.text, wanted):
            if avoid[idx]:
                avoided = idx if avoided is None else avoided
                continue
            if line.heading:
                return idx
            if fallback is None:
                fallback = idx
    return fallback if fallback is not None else avoided


def _is_heading_candidate(line: Line) -> bool:
    text = line.text
    return (
        line.heading
        and len(squeeze(text)) >= _MIN_TITLE_CHARS
        and line.link_chars < len(text) / 2
        and not _LABEL_START_RE.match(text)  # "发布日期：…" in a div.small-title is no title
    )


def main_heading(
    lines: list[Line], content: tuple[int, int] | None, hint: str, avoid: list[bool]
) -> int | None:
    """The article's heading line: an h1-h3 / class-"title" line that shows `hint` (the <title>),
    else any line showing it, else the heading nearest before the main content (lines
    `content`), else the first heading inside it. Headings after the content (sidebars) never."""
    candidates = [i for i, line in enumerate(lines) if not avoid[i] and _is_heading_candidate(line)]
    wanted = squeeze(hint)
    if len(wanted) >= _MIN_TITLE_CHARS:
        for i in candidates:
            if _matches(lines[i].text, wanted):
                return i
        # a plain line showing a long enough <title> (a short one is often just the column name)
        shown = locate(lines, hint, avoid) if len(wanted) >= _MIN_PARTIAL_CHARS else None
        if shown is not None and (content is None or shown <= content[1]):
            return shown
    if content is None:
        return candidates[0] if candidates else None
    start, end = content
    earlier = [i for i in candidates if i <= start]
    if earlier:
        return earlier[-1]
    inside = [i for i in candidates if start <= i <= end]
    return inside[0] if inside else None


def trim(title: str) -> str:
    return title[:MAX_TITLE_CHARS].strip()
