"""Judgement over the whole site and per 责任单位, modelled on the national 检查指标.

The 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号) judges a site in two steps: single-veto
items (any one makes the site 不合格 and nothing else is scored), then deductions from 100 points
(below 60 is 不合格), where the deductions under one indicator never exceed that indicator's
points. We apply the same shape:

- ``veto_tally``: the three 栏目不更新 veto counts over the whole site (空白栏目 ≥ 5; columns that
  should be updated and are not ≥ 10; 动态/要闻 (2 weeks) + 通知公告/政策文件 (6 months) columns not
  updated ≥ 5), thresholds from ``site.audit.veto``.
- ``unit_scores``: per 责任单位, 100 minus the deductions of the findings of every item it answers
  for (an item with two units counts fully for both: each must act), each rule's total capped.
  A unit is vetoed when its own columns reach a veto count or it published a future date
  (伪造发稿日期 is 弄虚作假, a veto item).

The point values are ours (documented in README.md and docs/rules.md); the one the 检查指标
states as an example — a 政策文件类 column not updated for 6 months costs 5 points — sets the
scale. Pure: findings.json dicts in, dicts out.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zwgk.audit.catalog import AuditSettings

NO_UNIT = "（未指定责任单位）"
FULL_SCORE = 100.0
PASS_SCORE = 60.0  # 检查指标: below 60 points is 不合格


@dataclass(frozen=True)
class Deduction:
    points: float  # per finding
    cap: float     # at most, per rule and unit


# Points per finding and the cap per rule and unit (see the module docstring for the scale).
DEDUCTIONS: dict[str, Deduction] = {
    "stale": Deduction(5, 30),
    "empty_column": Deduction(5, 30),
    "column_unreachable": Deduction(5, 30),
    "period_missed": Deduction(3, 15),
    "publish_lag": Deduction(2, 20),
    "interpretation_late": Deduction(2, 10),
    "interpretation_missing": Deduction(3, 15),
    "meeting_late": Deduction(1, 10),
    "content_missing": Deduction(2, 20),
    "annual_report_late": Deduction(5, 5),
    "annual_report_incomplete": Deduction(3, 3),
    "date_future": Deduction(5, 10),
    "docno_duplicate": Deduction(2, 10),
    "docno_gap": Deduction(1, 5),
    "docno_jump": Deduction(0.5, 5),
    "validity_missing": Deduction(1, 10),
    "broken_link": Deduction(0.5, 10),
    "date_missing": Deduction(0.5, 10),
    "date_conflict": Deduction(0.5, 5),
    "docno_format": Deduction(0.5, 5),
    # Crawl faults: the audit could not read everything; they cost little, the site's owner
    # should still fix them (a trap, a page nobody can open) or lift them (robots.txt).
    "robots_disallowed": Deduction(0, 0),
    "column_unreadable": Deduction(0, 0),  # our limit, not the site's: never a deduction
    "pagination_capped": Deduction(0.5, 5),
    "page_too_large": Deduction(0.5, 5),
    # A catalog problem (the administrator's), not the unit's: it costs the unit nothing.
    "deadline_unparsed": Deduction(0, 0),
    # Unclear evidence (issue 10): the audit could not tell; the unit is asked to check, not docked.
    "date_future_unverified": Deduction(0, 0),
    "content_unlocated": Deduction(0, 0),
}
DEFAULT_DEDUCTION = Deduction(1, 10)  # a rule added later without a line above
# Columns a 检查指标 counts as 动态/要闻 or 通知公告/政策文件 for the third veto count.
DYNAMIC_POLICY_CLASSES = frozenset({"dynamic", "notice", "policy"})
# Findings that mean a column was not read (so nothing in it was judged).
UNREAD_RULES = frozenset({"column_unreachable", "robots_disallowed"})
VETO_SOURCE = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决指标“栏目不更新”"


def _findings(items: Iterable[Mapping[str, Any]]) -> Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    for item in items:
        for f in item["findings"]:
            yield item, f


def _checks(pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]],
            settings: AuditSettings) -> list[dict[str, Any]]:
    empty = [(i, f) for i, f in pairs if f["rule"] == "empty_column"]
    stale = [(i, f) for i, f in pairs if f["rule"] == "stale"]
    dyn = [(i, f) for i, f in stale if (f.get("details") or {}).get("class") in DYNAMIC_POLICY_CLASSES]
    specs = (
        ("empty_columns", "空白栏目", empty, settings.veto_empty_columns),
        ("stale_columns", "应更新而长期未更新的栏目", stale, settings.veto_stale_columns),
        ("dynamic_policy_stale", "动态/要闻类（2周）与通知公告/政策文件类（6个月）未更新栏目",
         dyn, settings.veto_dynamic_policy_stale),
    )
    return [{"id": cid, "label": label, "count": len(found), "threshold": threshold,
             "triggered": len(found) >= threshold,
             "items": sorted({i["id"] for i, _ in found}, key=_item_order)}
            for cid, label, found, threshold in specs]


def _item_order(item_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in item_id.split("."))


def unreadable(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What could not be read tonight: the columns the audit reports unreachable or forbidden
    (robots.txt) and the items judged 无法判断. Counts drawn from the rest are incomplete."""
    columns = sorted({str((f.get("details") or {}).get("column_url") or "")
                      for _, f in _findings(items) if f["rule"] in UNREAD_RULES} - {""})
    unknown = [str(i["id"]) for i in items if i.get("status") == "unknown"]
    return {"columns": columns, "items": sorted(unknown, key=_item_order)}


def veto_tally(items: list[Mapping[str, Any]], settings: AuditSettings) -> dict[str, Any]:
    """The site-wide single-veto counts: would this site fail a national check tonight?
    When columns could not be read and no count was reached, the answer is "cannot tell"
    (``undetermined``): the unread columns might have reached one."""
    checks = _checks(list(_findings(items)), settings)
    would_fail = any(c["triggered"] for c in checks)
    unread = unreadable(items)
    undetermined = not would_fail and bool(unread["columns"] or unread["items"])
    reasons = [f"{c['label']}{c['count']}个（≥{c['threshold']}个即单项否决）"
               for c in checks if c["triggered"]]
    if would_fail:
        message = "按检查指标，本网站将被单项否决（判定为不合格）：" + "；".join(reasons) + "。"
    elif undetermined:
        message = (f"无法判断：{len(unread['columns'])} 个栏目未能读取（{len(unread['items'])} 个事项"
                   f"无法判断），以下计数不含这些栏目，不能据此断定未触及单项否决指标。")
    else:
        message = "未达到检查指标“栏目不更新”的单项否决标准。"
    return {"would_fail": would_fail, "undetermined": undetermined, "unreadable": unread,
            "checks": checks, "source": VETO_SOURCE, "message": message}


def deductions(findings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per rule: how many findings, and the points they cost (capped)."""
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        if f["severity"] in ("fail", "warn"):
            counts[f["rule"]] += 1
    out = []
    for rule, n in counts.items():
        d = DEDUCTIONS.get(rule, DEFAULT_DEDUCTION)
        out.append({"rule": rule, "count": n, "points": round(min(d.cap, n * d.points), 1)})
    return sorted(out, key=lambda x: (-x["points"], x["rule"]))


def unit_scores(items: list[Mapping[str, Any]], settings: AuditSettings) -> list[dict[str, Any]]:
    """One record per 责任单位: score, status, veto, the deductions and the items behind them.
    Sorted worst first (vetoed, then lowest score), so the report opens on who must act."""
    by_unit: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for item in items:
        for unit in item.get("units") or [NO_UNIT]:
            by_unit[unit].append(item)
    out = []
    for unit, unit_items in by_unit.items():
        pairs = list(_findings(unit_items))
        lines = deductions(f for _, f in pairs)
        score = round(max(0.0, FULL_SCORE - sum(x["points"] for x in lines)), 1)
        reasons = [f"{c['label']}{c['count']}个" for c in _checks(pairs, settings) if c["triggered"]]
        future = sum(1 for _, f in pairs if f["rule"] == "date_future" and f["severity"] == "fail")
        if future:
            reasons.append(f"发布日期晚于检查日{future}处（可能被认定为伪造发稿日期）")
        veto = bool(reasons)
        # A unit passes only on what was read: with an item 无法判断 it cannot pass.
        unknown = [i["id"] for i in unit_items if i.get("status") == "unknown"]
        status = "fail" if veto or score < PASS_SCORE else "unknown" if unknown else "pass"
        out.append({
            "unit": unit, "score": score, "status": status,
            "veto": veto, "veto_reasons": reasons,
            "items": [i["id"] for i in unit_items],
            "items_failing": [i["id"] for i in unit_items if i.get("status") == "fail"],
            "items_unknown": unknown,
            "fails": sum(1 for _, f in pairs if f["severity"] == "fail"),
            "warns": sum(1 for _, f in pairs if f["severity"] == "warn"),
            "new": sum(1 for _, f in pairs if f.get("state") == "new"),
            "deductions": lines,
        })
    return sorted(out, key=lambda u: (not u["veto"], u["score"], u["unit"]))


__all__ = ["veto_tally", "unreadable", "UNREAD_RULES", "unit_scores", "deductions", "DEDUCTIONS",
           "Deduction", "NO_UNIT", "PASS_SCORE", "FULL_SCORE", "DYNAMIC_POLICY_CLASSES"]
