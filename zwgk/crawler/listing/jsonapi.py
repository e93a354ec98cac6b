"""List entries from the JSON a list page's script loads (Vue/React front-ends, 集约化 platforms).

Why: the DOM a script builds from JSON is the JSON with markup around it; when the browser step
(crawler/render.py) sees the page fetch a JSON document whose shape is recognisable — an array
of records, each with a title and a link, usually a date — those records are the list, read
without guessing at the markup (a card layout, a table built by a component). Unknown shapes give
nothing: the DOM reading stands.

Recognised keys (case-insensitive), after common CMS families: TRS (``DOCTITLE``, ``DOCPUBURL``,
``DOCRELTIME``), Hanweb/开普云/南威 JSON (``title``, ``url``/``link``, ``pubDate``/``publishTime``),
gov.cn-style ``zhengce`` lists (``TITLE``, ``URL``, ``PUBTIME``), pinyin fields (``bt``, ``wjbt``,
``fbrq``, ``fbsj``).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .dates import dates_in
from .dom import norm_space, safe_urljoin
from .types import ListEntry

_TITLE_KEYS = ("title", "doctitle", "name", "wjbt", "bt", "subject", "infotitle", "articletitle",
               "filename", "maintitle", "showtitle", "topic")
_URL_KEYS = ("url", "docpuburl", "link", "href", "detailurl", "pageurl", "linkurl", "puburl",
             "path", "articleurl", "infourl", "redirecturl", "weburl")
_DATE_KEYS = ("pubdate", "publishdate", "publishtime", "pubtime", "docreltime", "releasedate",
              "releasetime", "fbrq", "fbsj", "date", "time", "createtime", "createdate", "ctime",
              "showtime", "docpubtime", "writetime", "updatetime", "infodate")
_MAX_DEPTH = 5
_MAX_RECORDS = 2000
MIN_RECORDS = 1


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return value
    return None


def _record_lists(data: Any, depth: int = 0) -> Iterable[list[dict[str, Any]]]:
    """Every array of objects in the document (breadth-first, bounded)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        objects = [x for x in data if isinstance(x, dict)]
        if objects:
            yield objects
        for x in data[:50]:
            if isinstance(x, (dict, list)):
                yield from _record_lists(x, depth + 1)
    elif isinstance(data, dict):
        for value in list(data.values())[:100]:
            if isinstance(value, (dict, list)):
                yield from _record_lists(value, depth + 1)


def _date(value: Any) -> Any:
    if isinstance(value, (int, float)) and value > 10**11:  # epoch milliseconds
        from datetime import datetime, timedelta, timezone

        return (datetime.fromtimestamp(value / 1000, timezone.utc) + timedelta(hours=8)).date()
    found = dates_in(str(value)) if value is not None else []
    return found[0] if found else None


def entries_from_json(data: Any, base_url: str) -> list[ListEntry]:
    """The list entries a JSON document holds; [] when no array has title and link fields."""
    best: list[ListEntry] = []
    for records in _record_lists(data):
        entries: list[ListEntry] = []
        for record in records[:_MAX_RECORDS]:
            title, link = _pick(record, _TITLE_KEYS), _pick(record, _URL_KEYS)
            if title is None or link is None:
                continue
            url = safe_urljoin(base_url, str(link).strip())
            if url is None or not url.startswith(("http://", "https://")):
                continue
            entries.append(ListEntry(url, norm_space(str(title))[:300],
                                     _date(_pick(record, _DATE_KEYS))))
        # The list is the array whose records are dated entries (most of them), the longest such:
        # a menu or a link box of the page (no dates) is not the column's list.
        dated = sum(1 for x in entries if x.date is not None)
        if (len(entries) >= MIN_RECORDS and len(entries) * 2 >= len(records)
                and dated * 2 >= len(entries) and len(entries) > len(best)):
            best = entries
    return best


def entries_from_body(body: bytes, base_url: str) -> list[ListEntry]:
    """``entries_from_json`` of a response body; [] for anything that is not JSON."""
    try:
        data = json.loads(body.decode("utf-8-sig", "replace"))
    except (ValueError, RecursionError):
        return []
    return entries_from_json(data, base_url)


__all__ = ["entries_from_json", "entries_from_body"]
