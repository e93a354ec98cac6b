""""Today" for an audit: the date in Beijing, whatever the machine's clock zone.

Why: the sites' dates are Beijing dates. With the machine's local date, a server in UTC between
16:00 and 24:00 (Beijing already tomorrow) or a laptop abroad would see an article published
today as dated in the future — a 伪造发稿日期 veto against its 责任单位 — or miss a deadline by a
day. Every default as-of (the nightly run, extraction, the spider, the report) comes from here.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Asia/Shanghai")  # China has one civil time zone (UTC+8, no DST)


def site_today(now: datetime | None = None) -> date:
    """Today's date in China (``now``: an aware datetime, default the current instant)."""
    return (now or datetime.now(timezone.utc)).astimezone(SITE_TZ).date()


__all__ = ["SITE_TZ", "site_today"]
