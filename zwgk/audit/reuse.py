"""Reusing an item's audit result when nothing it reads has changed (issue 16).

``audit_item`` is a pure function of: the catalog item, its (unique) articles, its column
fetches, and from the shared context the as-of date, the calendar, the site's audit settings,
the statuses of its articles' links, and — across items — which 解读 explains each of its
documents and which policy each of its 解读 explains. ``item_key`` hashes all of them but the
as-of date, so two equal keys mean equal results for as-of dates their rules cannot tell apart;
``run_audit_reusing`` computes only the items whose key is not in the results it is given (or
whose saved window does not cover tonight's as-of date) and returns every item's key and window.

An article changed on another item's page reaches this item only through the two cross-item
lookups above, which are part of the key: edit one article and only its item (and an item whose
documents it explains, or is explained by) is computed again.

The as-of date is not in the key: each item is audited with a ``TrackedDate``
(zwgk.audit.asof) that records the interval of as-of dates giving the same answers to every
question its rules asked (is this date after the as-of date? which year is it? — up to the next
deadline an item's documents cross). Tomorrow's audit reuses the result while its as-of date is
in that interval; an item whose finding prints the as-of date or counts days to it (stale,
"至检查日已N个工作日") holds for one day and is computed each night.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from zwgk.audit.asof import AsOfWindow
from zwgk.audit.catalog import Config, Item
from zwgk.audit.engine import _unique_by_url, audit_item, build_context
from zwgk.audit.model import Article, ColumnFetch
from zwgk.audit.rules import AuditContext, normalize_url
from zwgk.audit.rules.lag import find_policy
from zwgk.audit.workdays import WorkCalendar


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the audit's own source and data files: results saved by other code (an
    upgrade, a local edit) never count as unchanged."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _calendar_repr(calendar: WorkCalendar) -> str:
    """The calendar's official data in a fixed order (its sets are unordered)."""
    return repr([(year, sorted(a.holidays), sorted(a.workdays))
                 for year, a in sorted(calendar.arrangements.items())])


def _policy_repr(policy: Article | None) -> str:
    if policy is None:
        return "-"
    return repr((policy.url, policy.title, policy.publish_date))


# Context fields an item reaches only through lookups its own key covers (item_key), that are
# hashed apart (the calendar), or kept as a window beside the key (as-of); every other field of
# AuditContext — settings, agency level, any added later — goes into the shared key as it is.
_KEYED_APART = frozenset({"all_articles", "link_status", "calendar", "as_of"})


def context_key(ctx: AuditContext) -> str:
    """What every item reads from the shared context, besides its cross-item lookups and the
    as-of date."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for f in fields(ctx):
        if f.name not in _KEYED_APART:
            value = getattr(ctx, f.name)
            if isinstance(value, (set, frozenset)):
                value = sorted(value)  # a set's order changes from one process to the next
            digest.update(f"{f.name}={value!r}\n".encode())
    digest.update(_calendar_repr(ctx.calendar).encode())
    return digest.hexdigest()


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def item_key(item: Item, articles: list[Article], columns: list[ColumnFetch], ctx: AuditContext,
             shared: str) -> str:
    """SHA-256 of everything ``audit_item`` reads for this item (``shared``: context_key)."""
    digest = hashlib.sha256(shared.encode())
    digest.update(repr(item).encode())
    for c in columns:
        digest.update(repr(c).encode())
    explained = ctx.interpretations
    late = item.rules.interpretation_late_workdays is not None
    for a in _unique_by_url(articles):
        # Its field values in field order (the code fingerprint covers the fields): the
        # dataclass repr with names costs half as much again, per article.
        digest.update(repr(tuple(getattr(a, name) for name in _ARTICLE_FIELDS)).encode())
        digest.update(_policy_repr(explained.get(normalize_url(a.url))).encode())
        if late:
            digest.update(_policy_repr(find_policy(a, ctx)).encode())
        for url, _anchor in a.links:
            digest.update(repr(ctx.link_status.get(normalize_url(url))).encode())
    return digest.hexdigest()


# A saved result: (key, ItemResult.to_json(), first and last as-of date it holds for).
Saved = tuple[str, dict[str, Any], date, date]


@dataclass(frozen=True)
class ReusedAudit:
    """Item results (``ItemResult.to_json()`` dicts, catalog order), their keys and as-of windows
    by item id, and the ids computed afresh (the others were reused)."""

    results: list[dict[str, Any]]
    keys: dict[str, str]
    computed: frozenset[str]
    windows: dict[str, tuple[date, date]]

    def saved(self) -> dict[str, Saved]:
        """Item id -> (key, result, valid from, valid to): what a later audit is given."""
        return {item_id: (self.keys[item_id], result, *self.windows[item_id])
                for item_id, result in zip(self.keys, self.results)}


def run_audit_reusing(config: Config, articles: list[Article], columns: list[ColumnFetch],
                      as_of: date, calendar: WorkCalendar | None = None,
                      link_status: dict[str, int] | None = None,
                      known: Mapping[str, Saved] | None = None,
                      lookup: Callable[[list[str]], Mapping[str, Saved]] | None = None
                      ) -> ReusedAudit:
    """``run_audit`` that takes the result of an item from ``known`` (item id -> Saved) when its
    key is unchanged and its window holds ``as_of``, and computes the others. ``lookup``, given
    every item's key, returns such a mapping (the store's saved results) when ``known`` is not
    given."""
    window = AsOfWindow(as_of)
    ctx, by_item, fetches = build_context(config, articles, columns, window.tracked(), calendar,
                                          link_status)
    shared = context_key(ctx)
    keys = {item.id: item_key(item, by_item.get(item.id, []), fetches.get(item.id, []), ctx, shared)
            for item in config.items}
    if known is None:
        known = lookup(list(keys.values())) if lookup is not None else {}
    results: list[dict[str, Any]] = []
    windows: dict[str, tuple[date, date]] = {}
    computed: set[str] = set()
    plain = window.as_of
    for item in config.items:
        previous = known.get(item.id)
        if (previous is not None and previous[0] == keys[item.id]
                and previous[2] <= plain <= previous[3]):
            results.append(previous[1])
            windows[item.id] = (previous[2], previous[3])
            continue
        window.reset()
        # to_json inside the window: a result that carries the as-of date reads it here
        results.append(audit_item(item, by_item.get(item.id, []), fetches.get(item.id, []),
                                  ctx).to_json())
        windows[item.id] = (window.lo, window.hi)
        computed.add(item.id)
    return ReusedAudit(results=results, keys=keys, computed=frozenset(computed), windows=windows)


__all__ = ["item_key", "context_key", "code_fingerprint", "run_audit_reusing", "ReusedAudit",
           "Saved"]
