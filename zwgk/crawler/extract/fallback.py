"""Last resort for the publish date: an unlabeled date in the title area, parsed by dateparser if
our regexes cannot read it.

Why so narrow: a date labelled as something else (留言时间：, 截止日期：) is skipped, and an
unlabeled date in running text is usually an event date, a deadline or the date
of a quoted document. Only short lines right after the title (before the body paragraphs start)
are looked at, and dateparser — slow to import and to run — is called only for date-looking
strings our own patterns do not understand ("May 12, 2024", "12 May 2024").
"""
from __future__ import annotations

import re
from datetime import date

from .dates import DATE_RE, find_date
from .settings import FALLBACK_LINE_MAX_CHARS, FALLBACK_LINES_AFTER_TITLE, LONG_LINE_CHARS
from .tree import Line

_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MONTHISH_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}\s*月", re.I
)
_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _dateparser(text: str) -> date | None:
    try:
        import dateparser  # lazy: importing it costs ~0.3 s
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    try:
        parsed = dateparser.parse(text, languages=["zh", "en"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed else None


def title_area_date(lines: list[Line], start: int, end: int, keep: list[bool]) -> date | None:
    """First date in the short lines from `start` until the body paragraphs begin (at most up to
    line `end`, the end of the main content)."""
    seen = 0
    for idx in range(max(start, 0), min(end + 1, len(lines))):
        if not keep[idx] or lines[idx].strong:
            continue
        text = lines[idx].text
        if len(text) >= LONG_LINE_CHARS:
            break  # the body paragraphs begin
        seen += 1
        if seen > FALLBACK_LINES_AFTER_TITLE:
            break
        if len(text) > FALLBACK_LINE_MAX_CHARS or not _YEAR_RE.search(text):
            continue
        m = DATE_RE.search(text)
        head = text[: m.start()] if m else text
        if ":" in head or "：" in head:
            continue  # "留言时间：…", "截止日期：…": a date labelled as something else
        found = find_date(text)
        if found is None and _MONTHISH_RE.search(text):
            found = _dateparser(text)
        if found is not None:
            return found
    return None
