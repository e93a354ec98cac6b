"""Dates carried by article URLs (TRS, Hanweb, gov.cn and generic date paths).

Why only a fallback: a CMS stamps the URL when the record is created, which can be days before
publication (TRS lists show dates that differ from /t2023…/ in the URL), so a visible date wins.
A month-only path (/202405/) gives no day: it is reported, never turned into a date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import make_date

_DAY_PATTERNS = (
    # TRS WCM: /202405/t20240512_123.html
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)_\d+"),
    # Hanweb JCMS: /art/2024/5/12/art_12_345.html
    re.compile(r"/art/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
    # gov.cn: /content/2018-12/29/content_5353307.htm ; generic /2024-05/12/
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/"),
    # /202405/12/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
    # /2024/05/12/ and /2024-05-12/
    re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|[_.-]|$)"),
    # a path segment that is exactly 20240512
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
)
_MONTH_PATTERNS = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)/"),
)


@dataclass(frozen=True, slots=True)
class UrlDate:
    day: date | None = None
    month: tuple[int, int] | None = None  # (year, month) when only the month is known


def url_date(url: str) -> UrlDate:
    """The date in `url`, or the month when only /YYYYMM/ is there."""
    if not url:
        return UrlDate()
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _DAY_PATTERNS:
        for m in pattern.finditer(path):
            found = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if found is not None:
                return UrlDate(day=found, month=(found.year, found.month))
    for pattern in _MONTH_PATTERNS:
        m = pattern.search(path)
        if m and 1 <= int(m.group("m")) <= 12:
            return UrlDate(month=(int(m.group("y")), int(m.group("m"))))
    return UrlDate()
