"""Dates as list rows show them.

Why separate from the article extractors: a list row shows one short date next to a title
(``2026-10-12``, ``[2026-10-12]``, ``2026年10月12日``, sometimes only ``10-12``), while the title
itself may hold date-like text ("2026年9月18-22日平潭计划停电"). Readers therefore ask two
questions: is this element's whole text a date (``date_only``), and which dates occur in a free
run of text (``dates_in``). A year-less ``MM-DD`` is accepted only when the entry's URL carries a
date with the same month (and day, when the URL has one): then the year is not a guess.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

# 2026-10-12, 2026/10/12, 2026.10.12, 2026年10月12日 (spaces allowed around separators).
_YMD_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?")
# 10-12, 10/12, 10月12日 — whole text only.
_MD_ONLY_RE = re.compile(r"^(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# What joins the two ends of a date range ("征集时间：2026-11-01至2026-12-01", "2026.11.01—12.01",
# "2026-11-01 09:00 ~ 2026-12-01 17:00"): a range's dates say when something runs, not when the
# row was published, so neither end is a list date.
# (Text is NFKC-normalised first: full-width ～ and － arrive as ~ and -.)
_RANGE_JOIN_RE = re.compile(r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*)?(?:至|到|~|—|–|―|-{1,2})\s*(?=\d)")
# The end of a range when its year (and month) are the start's: 12-01, 12月1日, 22日.
_MD_END_RE = re.compile(r"(?:\d{1,2}\s*(?:[-/.]|月)\s*)?\d{1,2}(?![\d:])\s*日?")
# What may surround a date in a "date only" element: brackets, punctuation, a short label.
_DATE_FRAME_RE = re.compile(r"[\s\[\]()【】〔〕<>:：|·•\-—/]+")
# Only brackets and punctuation at the edges, for the year-less form (its "-" is the separator).
_EDGE_FRAME_RE = re.compile(r"^[\s\[\]()【】〔〕<>:：|·•]+|[\s\[\]()【】〔〕<>:：|·•]+$")
_LABEL_MAX = 6
# Dates a URL carries: TRS /t20261012_, Hanweb /art/2026/10/12/, /2026/10/12/, /202610/.
_URL_YMD_RES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})/"),
    re.compile(r"[/_]((?:19|20)\d{2})(\d{2})(\d{2})[/_.]"),
)
_URL_YM_RE = re.compile(r"/((?:19|20)\d{2})(\d{2})/")


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII (２０２６－１０－１２ -> 2026-10-12)."""
    return unicodedata.normalize("NFKC", text or "")


def _make(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _range_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a date range: from the first date's start to the end of what follows
    the joiner (a full date, or a year-less end such as ``12.01`` / ``12月1日``)."""
    spans = []
    for m in _YMD_RE.finditer(text):
        join = _RANGE_JOIN_RE.match(text, m.end())
        if join is None:
            continue
        end = _YMD_RE.match(text, join.end()) or _MD_END_RE.match(text, join.end())
        if end is not None:
            spans.append((m.start(), end.end()))
    return spans



def dates_in(text: str) -> list[date]:
    """Every valid Y-M-D date in a run of text, in order — except the ends of date ranges."""
    text = normalize(text)
    ranges = _range_spans(text)
    found = []
    for m in _YMD_RE.finditer(text):
        if any(start <= m.start() < end for start, end in ranges):
            continue
        value = _make(m.group(1), m.group(2), m.group(3))
        if value is not None:
            found.append(value)
    return found


def date_only(text: str, url: str | None = None) -> date | None:
    """The date when ``text`` is essentially just a date (brackets, a time of day or a short label
    such as 发布日期： allowed around it); a year-less MM-DD only with the year read from ``url``.
    A date range is not a date."""
    t = normalize(text).strip()
    if not t or len(t) > 40:
        return None
    m = _YMD_RE.search(t)
    if m and _range_spans(t):
        return None
    if m:
        rest = _TIME_RE.sub("", t[:m.start()] + t[m.end():])
        rest = _DATE_FRAME_RE.sub("", rest)
        if len(rest) <= _LABEL_MAX and not any(ch.isdigit() for ch in rest):
            return _make(m.group(1), m.group(2), m.group(3))
        return None
    md = _MD_ONLY_RE.match(_EDGE_FRAME_RE.sub("", t))
    if md and url:
        return year_from_url(url, int(md.group(1)), int(md.group(2)))
    return None


def is_partial_date(text: str) -> bool:
    """The whole text is a month-day date without a year (``10-12``, ``[10-12]``, ``10月12日``)."""
    t = normalize(text).strip()
    if not t or len(t) > 16:
        return False
    md = _MD_ONLY_RE.match(_EDGE_FRAME_RE.sub("", t))
    return bool(md) and 1 <= int(md.group(1)) <= 12 and 1 <= int(md.group(2)) <= 31


def shows_unread_date(text: str) -> bool:
    """The text shows a date that is not a list date: a year-less ``10-12`` or a date range. The
    row is still a dated list row (the generic reader looks for runs of those), without a date."""
    return is_partial_date(text) or bool(_range_spans(normalize(text)))


def year_from_url(url: str, month: int, day: int) -> date | None:
    """Complete a year-less list date from the entry URL, only when the URL agrees on the month
    (and on the day, when it has one)."""
    for pattern in _URL_YMD_RES:
        m = pattern.search(url)
        if m:
            if int(m.group(2)) == month and int(m.group(3)) == day:
                return _make(m.group(1), month, day)
            return None
    m = _URL_YM_RE.search(url)
    if m and int(m.group(2)) == month:
        return _make(m.group(1), month, day)
    return None
