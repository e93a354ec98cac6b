"""Reusing an item's audit result when nothing it reads has changed (issue 16).

``audit_item`` is a pure function of: the catalog item, its (unique) articles, its column
fetches, and from the shared context the as-of date, the calendar, the site's audit settings,
the statuses of its articles' links, and — across items — which 解读 explains each of its
documents and which policy each of its 解读 explains. ``item_key`` hashes exactly those, so two
equal keys mean equal results; ``run_audit_reusing`` computes only the items whose key is not in
the results it is given and returns every item's key for the next time.

An article changed on another item's page reaches this item only through the two cross-item
lookups above, which are part of the key: edit one article and only its item (and an item whose
documents it explains, or is explained by) is computed again. Each night has another as-of date,
and date-relative rules (staleness, periods, "至检查日已N个工作日") change with it, so keys change
with the date: reuse pays for every audit of the same night (``zwgk audit``, ``report
--reaudit``, a run repeated the same day), not across nights.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

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


# Context fields an item reaches only through lookups its own key covers (item_key), or that
# are hashed apart (the calendar); every other field of AuditContext — as-of, settings, agency
# level, any added later — goes into the shared key as it is.
_KEYED_APART = frozenset({"all_articles", "link_status", "calendar"})


def context_key(ctx: AuditContext) -> str:
    """What every item reads from the shared context, besides its cross-item lookups."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for f in fields(ctx):
        if f.name not in _KEYED_APART:
            value = getattr(ctx, f.name)
            if isinstance(value, (set, frozenset)):
                value = sorted(value)  # a set's order changes from one process to the next
            digest.update(f"{f.name}={value!r}\n".encode())
    digest.update(_calendar_repr(ctx.calendar).encode())
    return digest.hexdigest()


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
        digest.update(repr(a).encode())
        digest.update(_policy_repr(explained.get(normalize_url(a.url))).encode())
        if late:
            digest.update(_policy_repr(find_policy(a, ctx)).encode())
        for url, _anchor in a.links:
            digest.update(repr(ctx.link_status.get(normalize_url(url))).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ReusedAudit:
    """Item results (``ItemResult.to_json()`` dicts, catalog order), their keys by item id, and
    the ids computed afresh (the others were reused)."""

    results: list[dict[str, Any]]
    keys: dict[str, str]
    computed: frozenset[str]


def run_audit_reusing(config: Config, articles: list[Article], columns: list[ColumnFetch],
                      as_of: date, calendar: WorkCalendar | None = None,
                      link_status: dict[str, int] | None = None,
                      known: Mapping[str, tuple[str, dict[str, Any]]] | None = None,
                      lookup: Callable[[list[str]], Mapping[str, tuple[str, dict[str, Any]]]]
                      | None = None) -> ReusedAudit:
    """``run_audit`` that takes the result of an item from ``known`` (item id -> (key, result))
    when its key is unchanged, and computes the others. ``lookup``, given every item's key,
    returns such a mapping (the store's saved results) when ``known`` is not given."""
    ctx, by_item, fetches = build_context(config, articles, columns, as_of, calendar, link_status)
    shared = context_key(ctx)
    keys = {item.id: item_key(item, by_item.get(item.id, []), fetches.get(item.id, []), ctx, shared)
            for item in config.items}
    if known is None:
        known = lookup(list(keys.values())) if lookup is not None else {}
    results: list[dict[str, Any]] = []
    computed: set[str] = set()
    for item in config.items:
        previous = known.get(item.id)
        if previous is not None and previous[0] == keys[item.id]:
            results.append(previous[1])
            continue
        results.append(audit_item(item, by_item.get(item.id, []), fetches.get(item.id, []),
                                  ctx).to_json())
        computed.add(item.id)
    return ReusedAudit(results=results, keys=keys, computed=frozenset(computed))


__all__ = ["item_key", "context_key", "code_fingerprint", "run_audit_reusing", "ReusedAudit"]
