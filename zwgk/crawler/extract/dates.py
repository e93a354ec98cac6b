"""Date strings → `date`: the formats Chinese government pages print, and range validation.

Why our own parser: every extractor needs "the first date in this short string", and the formats
are few (2024-05-12, 2024/5/12, 2024.05.12, 2024年5月12日, 二〇二四年五月十二日, meta faults such as
12-hour clocks or M/D/YYYY). Regexes are two orders of magnitude faster than dateparser, which is
kept for the last resort only (see fallback.py).
"""
from __future__ import annotations

import re
from datetime import date

from .settings import MIN_PUBLISH_DATE

# 2024-05-12, 2024/5/12, 2024.05.12 (same separator twice), optional spaces around separators.
_NUMERIC = r"(?P<y1>(?:19|20)\d{2})\s*(?P<s>[-/.])\s*(?P<m1>\d{1,2})\s*(?P=s)\s*(?P<d1>\d{1,2})(?!\d)"
# 2024年5月12日 (日 optional: "2024年05月12" occurs), spaces allowed (OCR-ish/Word markup).
_HANZI_SEP = r"(?P<y2>(?:19|20)\d{2})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})(?!\d)"
# 二〇二四年五月十二日 / 二○一八年十二月二十一日 (落款 style, sometimes copied into info tables).
_CN_DIGITS = "〇○零一二三四五六七八九"
_HANZI_NUM = (
    rf"(?P<y3>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<m3>[一二三四五六七八九十]{{1,3}})\s*月"
    rf"\s*(?P<d3>[一二三四五六七八九十]{{1,3}})\s*日"
)
DATE_RE = re.compile(rf"(?<!\d)(?:{_NUMERIC}|{_HANZI_SEP})|{_HANZI_NUM}")
# A value that *starts* with a date (after optional brackets / spaces): used for labelled values so
# "发布日期： 浏览次数：12 … 2019-01-01" does not pick a far-away date.
_LEADING_JUNK_RE = re.compile(r"^[\s\[【(（〔<]*")
# Compact 20240512 (URLs, meta) and US-style 5/12/2024 (ASP.NET meta with a 12-hour clock).
COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
US_RE = re.compile(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?!\d)")

_CN_VALUE = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_small_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十一 → 21, 三十 → 30 (month and day numerals only)."""
    if "十" not in text:
        return _CN_VALUE.get(text, 0) if len(text) == 1 else 0
    tens, _, units = text.partition("十")
    return (_CN_VALUE.get(tens, 0) if tens else 1) * 10 + (_CN_VALUE.get(units, 0) if units else 0)


def make_date(year: int, month: int, day: int) -> date | None:
    """A calendar date, or None for impossible values (2024-02-30, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> date | None:
    if m.group("y1"):
        return make_date(int(m.group("y1")), int(m.group("m1")), int(m.group("d1")))
    if m.group("y2"):
        return make_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
    year = int("".join(str(_CN_VALUE[c]) for c in m.group("y3")))
    return make_date(year, _cn_small_number(m.group("m3")), _cn_small_number(m.group("d3")))


def find_date(text: str) -> date | None:
    """The first well-formed calendar date anywhere in `text`."""
    for m in DATE_RE.finditer(text):
        found = _from_match(m)
        if found is not None:
            return found
    return None


def leading_date(text: str) -> date | None:
    """A date at the very start of a labelled value (brackets and spaces allowed before it)."""
    start = _LEADING_JUNK_RE.match(text)
    rest = text[start.end():] if start else text
    m = DATE_RE.match(rest)
    return _from_match(m) if m else None


# Date-shaped, whatever the year (9999-12-31, 0000-00-00 placeholders of a CMS): evidence that a
# page *shows* a publish date, even when it is not one we can use.
_ANY_YEAR_RE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)")


def shown_date_text(text: str) -> str | None:
    """The Y-M-D text a labelled value starts with, any year (``9999-12-31``); None if none."""
    start = _LEADING_JUNK_RE.match(text)
    m = _ANY_YEAR_RE.match(text[start.end():] if start else text)
    return "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def meta_date(text: str) -> date | None:
    """Dates as page metadata writes them, faults included.

    Why separate: meta values are machine-written and short, so compact (20240512) and US
    (5/12/2024 3:15:00 PM) forms are safe to accept here while they are not in running text.
    """
    text = text.strip()
    if not text or text.lower() in {"null", "none", "undefined", "nan", "0"}:
        return None
    found = leading_date(text)
    if found is not None:
        return found
    m = US_RE.search(text)
    if m:
        month, day = int(m.group("m")), int(m.group("d"))
        if month > 12 >= day:  # D/M/YYYY
            month, day = day, month
        return make_date(int(m.group("y")), month, day)
    m = COMPACT_RE.search(text)
    if m:
        return make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return find_date(text)


def in_range(value: date | None, as_of: date, earliest: date = MIN_PUBLISH_DATE) -> date | None:
    """`value` if it lies in [earliest, as_of], else None (a future or prehistoric date is a misread)."""
    if value is None or value < earliest or value > as_of:
        return None
    return value
