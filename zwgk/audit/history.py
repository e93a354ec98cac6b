"""Findings across nights: a stable key per finding, and new / persisting / resolved.

Why keys and not messages: a message carries tonight's numbers (an age in days, the list of
missing 文号), which change while the defect stays. The key is built from what identifies the
defect (``findings.IDENTITY``: the page, the column, the series and year …) and leaves the host
out, so the same site crawled through another address (the demo on a new port, http → https)
keeps its history.

Pure: the store hands in the previous run's findings (dicts in the findings.json shape plus
``item_id``, ``key``, ``first_seen`` and the previous run's ``as_of``); these functions compare
them with tonight's and never read or write anything themselves.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from zwgk.audit.findings import IDENTITY
from zwgk.audit.rules import path_of

NEW, PERSISTING = "new", "persisting"


def _identity_value(field: str, details: Mapping[str, Any], evidence: list[str]) -> Any:
    if field == "url":
        url = details.get("url") or (evidence[0] if evidence else "")
        return path_of(url) if url else ""
    value = details.get(field)
    if isinstance(value, str) and field.endswith("url"):
        return path_of(value)
    return value


def finding_key(item_id: str, finding: Mapping[str, Any]) -> str:
    """``item/rule/hash`` of what identifies the defect; equal across nights while it stays."""
    rule = str(finding["rule"])
    details = finding.get("details") or {}
    evidence = list(finding.get("evidence") or [])
    fields = IDENTITY.get(rule)
    if fields is None:  # a rule without a declared identity: everything but the message
        identity: Any = [json.dumps(details, ensure_ascii=False, sort_keys=True),
                         [path_of(u) for u in evidence]]
    else:
        identity = [_identity_value(f, details, evidence) for f in fields]
    raw = json.dumps([item_id, rule, identity], ensure_ascii=False, sort_keys=True, default=str)
    return f"{item_id}/{rule}/{hashlib.sha1(raw.encode('utf-8')).hexdigest()[:12]}"


def _previous_index(previous: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for p in previous:
        key = p.get("key") or finding_key(p["item_id"], p)
        out.setdefault(key, p)
    return out


def annotate(items: list[dict[str, Any]], previous: Iterable[Mapping[str, Any]],
             as_of: str) -> list[dict[str, Any]]:
    """Copies of the findings.json ``items`` whose findings carry ``key``, ``state`` (new or
    persisting) and ``first_seen`` (the as-of date the defect was first reported)."""
    prev = _previous_index(previous)
    out: list[dict[str, Any]] = []
    for item in items:
        used: dict[str, int] = {}
        findings = []
        for f in item["findings"]:
            key = finding_key(item["id"], f)
            used[key] = used.get(key, 0) + 1
            if used[key] > 1:  # two findings with one identity: keep them apart, in order
                key = f"{key}#{used[key]}"
            before = prev.get(key)
            if before is None:
                state, first_seen = NEW, as_of
            else:
                state = PERSISTING
                first_seen = before.get("first_seen") or before.get("as_of") or as_of
            findings.append({**f, "key": key, "state": state, "first_seen": first_seen})
        out.append({**item, "findings": findings})
    return out


def resolved(items: list[dict[str, Any]], previous: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Findings of the previous run that are gone tonight, for the items audited tonight (a
    spot-check of one item resolves nothing elsewhere)."""
    current = {f.get("key") or finding_key(item["id"], f)
               for item in items for f in item["findings"]}
    audited = {item["id"] for item in items}
    out = []
    for key, p in _previous_index(previous).items():
        if key in current or p["item_id"] not in audited:
            continue
        out.append({"key": key, "item_id": p["item_id"], "rule": p["rule"],
                    "severity": p["severity"], "message": p["message"],
                    "details": p.get("details") or {}, "evidence": list(p.get("evidence") or []),
                    "first_seen": p.get("first_seen") or p.get("as_of"),
                    "last_seen": p.get("as_of")})
    return sorted(out, key=lambda r: (r["item_id"], r["rule"], r["key"]))


def summary(items: list[dict[str, Any]], gone: list[dict[str, Any]]) -> dict[str, int]:
    states = [f.get("state") for item in items for f in item["findings"]]
    return {"new": states.count(NEW), "persisting": states.count(PERSISTING), "resolved": len(gone)}


__all__ = ["finding_key", "annotate", "resolved", "summary", "NEW", "PERSISTING"]
