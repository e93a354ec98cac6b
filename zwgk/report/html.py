"""Rendering only: findings + articles → report.html, findings.json, articles.csv, report.xlsx and
the spot-check's terminal table.

Every crawled string is hostile. Jinja2 autoescaping is on, links are emitted only for http(s)
URLs, the page carries exactly one script (ours) and one style sheet (ours), and its
Content-Security-Policy allows exactly those two by their SHA-256 hashes and nothing else: no
other script, no style attribute, no network load of any kind (``img-src data:`` only, for the
blank favicon that stops the browser from asking for one). An escaping mistake therefore still
cannot run or fetch anything.

What the report shows comes from ``findings.json`` (the audit's contract), the article records and
the column fetches; the report computes pictures from them (timeline, 文号 strips) but never
judges: every verdict is the audit's.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from zwgk.grammar.asof import site_today
from zwgk.audit.catalog import Config, Item
from zwgk.audit.findings import ADMIN_ADVICE, RULES, SEVERITY_ORDER
from zwgk.audit.model import Article
from zwgk.audit.scoring import unreadable
from zwgk.report.textsafe import clean_text, clean_tree, csv_cell
from zwgk.report.charts import (STRIP_STATE_LABELS, doc_strips, period_rule_text, strip_summary,
                                 timeline)

STATUS_LABELS = {"fail": "不合格", "warn": "提醒", "unknown": "无法判断", "pass": "合格"}
STATUS_RANK = {"fail": 0, "warn": 1, "unknown": 2, "pass": 3}
SEVERITY_LABELS = {"fail": "严重", "warn": "提醒", "info": "信息"}
DATE_SOURCE_LABELS = {"selector": "配置选择器", "infotable": "信息公开表", "text": "页面标注",
                      "update": "页面标注的更新时间",
                      "meta": "页面元数据", "url": "网址", "dateparser": "推断", "list": "列表页",
                      "rejected": "页面日期不可信（未采用）"}
ARTICLE_COLUMNS = ["url", "item_id", "title", "publish_date", "written_date", "doc_number",
                   "date_source", "list_date", "http_status", "column_url"]
# Article rows written into report.html, newest first; the rest are in articles.csv and
# report.xlsx. A row is ~230 bytes: 15,000 rows (e.g. a 10k-article site, all of it) keep the
# file under ~4 MB, and one huge column cannot crowd out the others (3,000 each at most).
MAX_ARTICLE_ROWS = 3000
MAX_ARTICLE_ROWS_TOTAL = 15000
EVIDENCE_SHOWN = 3
# Readable at any size (issue 16): every finding is listed once, in its item, at most
# FINDINGS_SHOWN per item and rule (the rest: findings.json, report.xlsx); a 责任单位's list shows
# an item's findings of one rule in full up to UNIT_GROUP_ROWS, else as one row with the count
# that links to them.
FINDINGS_SHOWN = 50
UNIT_GROUP_ROWS = 3
NO_UNIT = "（未指定责任单位）"
# Fallback single-veto tallies (国办秘函〔2019〕19号) when findings.json carries no "veto" block.
VETO_SOURCE = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
_ITEM_ID_PART_RE = re.compile(r"\d+|\D+")
_FRACTION_RE = re.compile(r"\.\d+")


def safe_url(value: Any) -> str:
    """Only http(s) URLs become links; anything else (javascript:, data:) renders inert."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("zwgk.report").joinpath("templates", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing but our own inline script and style sheet, by hash."""
    return (f"default-src 'none'; script-src {_sha256(script)}; style-src {_sha256(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def _env():  # -> jinja2.Environment; imported here: `zwgk check` without --html never needs it
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("zwgk.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.filters["safe_url"] = safe_url
    return env


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` of the report: no control bytes or bidi overrides (a title ending in
    U+202E "FDP.exe" must not read "exe.PDF"); escaping still follows."""
    if isinstance(value, str):
        return type(value)(clean_text(value))  # keeps Markup (our style, script) Markup
    return value


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _to_date(text: Any) -> date | None:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def item_sort_key(item_id: str) -> tuple[Any, ...]:
    """"2.1" < "10.1": compare the numeric parts as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _ITEM_ID_PART_RE.findall(item_id))


def _sortable_id(item_id: str) -> str:
    return ".".join(f"{int(p):06d}" if p.isdigit() else p for p in _ITEM_ID_PART_RE.findall(item_id))


def _short_url(url: str, base: str) -> str:
    """An evidence link's text: the path when the URL is on the audited site."""
    if base and url.startswith(base):
        return "/" + url[len(base):].lstrip("/")
    return url


def _stamp(value: Any) -> str:
    """"2026-11-20T01:30:05+00:00" → "2026-11-20 01:30:05 UTC" (as stored; no local-time guess)."""
    text = str(value or "")
    if not text:
        return ""
    text = _FRACTION_RE.sub("", text.replace("T", " ", 1))
    return text[:-6] + " UTC" if text.endswith("+00:00") else text


def _elapsed(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return ""
    if seconds < 60:
        return f"{seconds:.1f} 秒"
    minutes, sec = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} 分 {sec} 秒"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分"


# --- the verdict and the changes since the previous run ------------------------------------------

_VETO_LABELS = {"empty": "空白栏目", "empty_column": "空白栏目", "empty_columns": "空白栏目",
                "stale": "应更新未更新栏目", "stale_columns": "应更新未更新栏目",
                "dynamic_policy_stale": "动态、政策类栏目不更新",
                "unreachable": "无法访问栏目", "column_unreachable": "无法访问栏目"}


def _veto_check(raw: Any, name: str = "") -> dict[str, Any] | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return {"label": _VETO_LABELS.get(name, name), "count": raw, "threshold": None,
                "triggered": False}
    if not isinstance(raw, dict):
        return None
    key = str(raw.get("rule") or raw.get("id") or raw.get("key") or name)
    label = (raw.get("label") or raw.get("name") or raw.get("title") or _VETO_LABELS.get(key)
             or RULES.get(key) or key)
    count = raw.get("count", raw.get("value", raw.get("n", 0)))
    threshold = raw.get("threshold", raw.get("limit"))
    triggered = raw.get("triggered", raw.get("vetoed", raw.get("fails", raw.get("veto"))))
    if triggered is None:
        triggered = (isinstance(count, (int, float)) and isinstance(threshold, (int, float))
                     and count >= threshold)
    items = [str(i) for i in raw.get("items") or [] if isinstance(i, (str, int, float))]
    return {"label": str(label), "count": count, "threshold": threshold, "triggered": bool(triggered),
            "items": items}


def verdict(doc: dict[str, Any]) -> dict[str, Any]:
    """The national single-veto tallies: findings.json's own ``veto`` block when the audit wrote
    one (any of a few plausible shapes), else counted here from the findings."""
    veto = doc.get("veto")
    checks: list[dict[str, Any]] = []
    fails: bool | None = None
    source = VETO_SOURCE
    if isinstance(veto, dict):
        raw = next((veto[k] for k in ("checks", "tallies", "indicators", "rules") if k in veto), None)
        if isinstance(raw, list):
            checks = [c for c in map(_veto_check, raw) if c]
        elif isinstance(raw, dict):
            checks = [c for k, v in raw.items() if (c := _veto_check(v, k))]
        else:
            checks = [c for k, v in veto.items() if isinstance(v, (dict, int)) and not isinstance(v, bool)
                      and (c := _veto_check(v, k))]
        for k in ("fails", "vetoed", "triggered", "would_fail", "fail"):
            if isinstance(veto.get(k), bool):
                fails = veto[k]
                break
        source = str(veto.get("source") or source)
    elif isinstance(veto, list):
        checks = [c for c in map(_veto_check, veto) if c]
    if not checks:
        def tally(rule: str) -> int:
            return sum(1 for r in doc["items"] for f in r["findings"] if f["rule"] == rule)
        checks = [
            {"label": "空白栏目", "count": tally("empty_column"), "threshold": 5, "items": []},
            {"label": "应更新未更新栏目", "count": tally("stale"), "threshold": 10, "items": []},
            {"label": "无法访问栏目", "count": tally("column_unreachable"), "threshold": None,
             "items": []},
        ]
        for c in checks:
            c["triggered"] = c["threshold"] is not None and c["count"] >= c["threshold"]
    if fails is None:
        fails = any(c["triggered"] for c in checks)
    message = str(veto.get("message") or "") if isinstance(veto, dict) else ""
    unread = unreadable(doc["items"])
    # Columns not read: "not reached" would be a guess, so the box says it cannot tell.
    undetermined = not fails and bool(unread["columns"] or unread["items"])
    return {"fails": fails, "undetermined": undetermined, "unreadable": unread,
            "checks": checks, "source": source, "message": message}


def changes(doc: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """New / persisting / resolved since the previous run, when the audit tracked history."""
    states = [f.get("state") for r in doc["items"] for f in r["findings"]]
    resolved_raw = doc.get("resolved")
    available = isinstance(resolved_raw, list) or any(s in ("new", "persisting") for s in states)
    resolved = []
    for r in resolved_raw if isinstance(resolved_raw, list) else []:
        if not isinstance(r, dict):
            continue
        item_id = str(r.get("item_id") or r.get("item") or r.get("id") or "")
        rule = str(r.get("rule") or "")
        resolved.append({"item_id": item_id, "item_name": r.get("item_name") or names.get(item_id, ""),
                         "rule_name": RULES.get(rule, rule), "message": r.get("message") or "",
                         "first_seen": r.get("first_seen") or "", "last_seen": r.get("last_seen") or ""})
    resolved.sort(key=lambda r: (item_sort_key(r["item_id"]), r["rule_name"]))
    history = doc.get("history") if isinstance(doc.get("history"), dict) else {}
    previous = history.get("previous_as_of") or doc.get("previous_as_of")
    if history:  # the audit says whether there was a previous run to compare with
        available = bool(history.get("previous_run") or previous)
    return {"available": available, "new": states.count("new"),
            "persisting": states.count("persisting"), "resolved": resolved,
            "previous": previous or "", "first_run": bool(history) and not available}


def unit_info(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """责任单位 -> score, veto reasons and deductions, from findings.json's ``units`` when the
    audit scored them (a list of {unit, score, veto_reasons, deductions} or a name -> score map)."""
    raw = doc.get("units")
    out: dict[str, dict[str, Any]] = {}
    entries: Iterable[tuple[str, Any]] = ()
    if isinstance(raw, dict):
        entries = raw.items()
    elif isinstance(raw, list):
        entries = ((str(u.get("unit") or u.get("name") or ""), u) for u in raw if isinstance(u, dict))
    for name, value in entries:
        if not name:
            continue
        info = value if isinstance(value, dict) else {"score": value}
        score = info.get("score")
        if not isinstance(score, (int, float)) or isinstance(score, bool):
            score = None
        elif isinstance(score, float):
            score = round(score, 1)
        deductions = []
        for d in info.get("deductions") or []:
            if isinstance(d, dict) and d.get("rule"):
                rule = str(d["rule"])
                deductions.append(f"{RULES.get(rule, rule)} {d.get('points', '?')} 分"
                                  + (f"（{d['count']} 项）" if d.get("count") else ""))
        reasons = [str(r) for r in info.get("veto_reasons") or [] if r]
        status = info.get("status") if info.get("status") in STATUS_LABELS else None
        out[name] = {"score": score, "veto": bool(info.get("veto")), "veto_reasons": reasons,
                     "deductions": deductions, "status": status,
                     "items_unknown": [str(i) for i in info.get("items_unknown") or []]}
    return out


def spot_check(doc: dict[str, Any]) -> dict[str, Any] | None:
    """``zwgk check`` marks its doc ``scope: {kind: check, name, columns}``: a report of one
    item is not a site, so it has no site-level veto box and names what was checked."""
    scope = doc.get("scope")
    if not isinstance(scope, dict) or scope.get("kind") != "check":
        return None
    return {"name": str(scope.get("name") or ""),
            "columns": [str(c) for c in scope.get("columns") or []]}


def admin_tasks(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """What the audit's administrator can do in the configuration, per rule found tonight:
    kept out of the 责任单位's tasks, which say only what the unit itself does."""
    items: dict[str, list[str]] = defaultdict(list)
    for r in doc["items"]:
        for f in r["findings"]:
            if f["rule"] in ADMIN_ADVICE and str(r["id"]) not in items[f["rule"]]:
                items[f["rule"]].append(str(r["id"]))
    return [{"rule_name": RULES.get(rule, rule), "advice": ADMIN_ADVICE[rule], "items": ids}
            for rule, ids in sorted(items.items())]


# --- the context -------------------------------------------------------------------------------

def _live(a: Article) -> bool:
    return not (a.http_status >= 400 or a.http_status == 0)


def _freshness(a: Article, as_of: date | None) -> date | None:
    d = a.publish_date or a.list_date
    return None if d is None or (as_of is not None and d > as_of) else d


def _finding_view(f: dict[str, Any], result: dict[str, Any], cfg: Item | None, base: str) -> dict[str, Any]:
    evidence = [str(e) for e in f.get("evidence") or []]
    details = f.get("details") or {}
    due = next((details[k] for k in ("due_date", "due", "deadline_date") if details.get(k)), "")
    return {
        "severity": f["severity"], "rank": SEVERITY_ORDER.get(f["severity"], 9),
        "rule": f["rule"], "rule_name": RULES.get(f["rule"], f["rule"]), "message": f["message"],
        "evidence": [{"url": e, "text": _short_url(e, base)} for e in evidence[:EVIDENCE_SHOWN]],
        "evidence_more": len(evidence) > EVIDENCE_SHOWN, "evidence_total": len(evidence),
        "state": f.get("state") or "", "first_seen": f.get("first_seen") or "", "due": due,
        "source": str(f.get("source") or ""),
        "item_id": result["id"], "item_name": result["name"], "item_status": result["status"],
        "item_sort": _sortable_id(result["id"]),
        "deadline": cfg.deadline if cfg else "",
        "search": " ".join([result["id"], result["name"], RULES.get(f["rule"], f["rule"]),
                            f["message"], " ".join(result.get("units") or [])]),
    }


def finding_anchor(item_id: str, rule: str, severity: str) -> str:
    """The id of an item's first finding of one rule and severity: what unit lists link to."""
    return f"item-{item_id}-{rule}-{severity}"


def _groups(findings: list[dict[str, Any]], *extra: str) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Findings by (rule, severity, *extra keys), in order of first appearance."""
    out: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for t in findings:
        out.setdefault((t["rule"], t["severity"], *(t[k] for k in extra)), []).append(t)
    return out


def item_finding_rows(findings: list[dict[str, Any]], limit: int = FINDINGS_SHOWN) -> list[dict[str, Any]]:
    """An item's finding table: each (rule, severity) group together, the first ``limit`` rows
    of it, then one note row saying how many more there are and where they are."""
    rows: list[dict[str, Any]] = []
    for (rule, severity), group in _groups(findings).items():
        for i, t in enumerate(group[:limit]):
            rows.append({**t, "anchor": finding_anchor(t["item_id"], rule, severity) if i == 0 else ""})
        if len(group) > limit:
            rows.append({"more": len(group) - limit, "total": len(group), "shown": limit,
                         "rule_name": group[0]["rule_name"]})
    return rows


def unit_rows(tasks: list[dict[str, Any]], limit: int = UNIT_GROUP_ROWS) -> list[dict[str, Any]]:
    """A 责任单位's list: an item's findings of one rule listed in full up to ``limit``, else one
    row with the count, the first of them as an example and a link to all of them."""
    rows: list[dict[str, Any]] = []
    for (rule, severity, item_id), group in _groups(tasks, "item_id").items():
        if len(group) <= limit:
            rows.extend(group)
            continue
        new = sum(1 for t in group if t["state"] == "new")
        rows.append({**group[0], "count": len(group), "count_new": new,
                     "state": "new" if new else group[0]["state"],
                     "link": finding_anchor(item_id, rule, severity),
                     "shown_in_item": min(len(group), FINDINGS_SHOWN)})
    return rows


def _article_row(a: Article) -> dict[str, Any]:
    broken = not _live(a)
    return {"url": a.url, "title": a.title or a.url, "publish_date": _iso(a.publish_date),
            "written_date": _iso(a.written_date), "doc_number": a.doc_number or "",
            "date_source": DATE_SOURCE_LABELS.get(a.date_source, a.date_source or "—"),
            "broken": broken,
            "status_text": f"HTTP {a.http_status}" if a.http_status else "无响应"}


def row_cap(sizes: Iterable[int], total: int = MAX_ARTICLE_ROWS_TOTAL,
            per_item: int = MAX_ARTICLE_ROWS) -> int:
    """The largest per-item row count c (≤ per_item) with sum(min(size, c)) ≤ total: small items
    are listed whole, the biggest share what is left."""
    ordered = sorted(sizes)
    remaining, left = total, len(ordered)
    for size in ordered:
        share = remaining // left
        if size > share:
            return min(share, per_item)
        remaining -= size
        left -= 1
    return per_item


def build_context(doc: dict[str, Any], config: Config, articles: Iterable[Article],
                  column_fetches: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the template draws, computed once: the template holds no logic but loops."""
    as_of = _to_date(doc.get("as_of")) or site_today()
    base = str((doc.get("site") or {}).get("base_url") or "")
    by_item: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_item[a.item_id].append(a)
    fetches: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fetch in column_fetches:
        fetches[fetch["item_id"]].append(fetch)
    cap = row_cap(len({a.url for a in arts}) for arts in by_item.values())
    items_cfg = {it.id: it for it in config.items}
    names = {r["id"]: r["name"] for r in doc["items"]}
    items = []
    unit_tasks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    severity_counts = {s: 0 for s in SEVERITY_LABELS}
    for result in doc["items"]:
        cfg: Item | None = items_cfg.get(result["id"])
        seen: set[str] = set()
        arts = []
        for a in by_item.get(result["id"], []):
            if a.url not in seen:
                seen.add(a.url)
                arts.append(a)
        arts.sort(key=lambda a: (a.publish_date or a.list_date or date.min, a.url), reverse=True)
        live = [a for a in arts if _live(a)]
        findings = sorted((_finding_view(f, result, cfg, base) for f in result["findings"]),
                          key=lambda t: (t["rank"], t["state"] != "new"))
        for t in findings:
            severity_counts[t["severity"]] = severity_counts.get(t["severity"], 0) + 1
            if t["severity"] in ("fail", "warn"):
                for unit in result.get("units") or [NO_UNIT]:
                    unit_tasks[unit].append(t)
        # Timeline: the freshness dates the audit uses; bars holding a fail's evidence in red.
        date_of = {a.url: _freshness(a, as_of) for a in live}
        fail_urls = {e for f in result["findings"] if f["severity"] == "fail"
                     for e in f.get("evidence") or []}
        flagged = [d for url, d in date_of.items() if d is not None and url in fail_urls]
        missed = [str((f.get("details") or {}).get("period")) for f in result["findings"]
                  if f["rule"] == "period_missed"]
        rules = cfg.rules if cfg else None
        chart = timeline(date_of.values(), as_of, rules, missed, flagged,
                         stale_failed=any(f["rule"] == "stale" for f in result["findings"]))
        notes = [n for n in (period_rule_text(rules),
                             f"另有 {chart.before} 篇早于图示范围" if chart.before else "",
                             f"{chart.undated} 篇无发布日期" if chart.undated else "") if n]
        strips = doc_strips(((a.doc_number, a.url) for a in live), cfg.doc_series if cfg else (),
                            cfg.docno_exempt if cfg else ())
        newest = max(((d, a) for a in live if (d := date_of[a.url]) is not None),
                     key=lambda p: (p[0], p[1].url), default=None)
        items.append({
            "id": result["id"], "name": result["name"], "status": result["status"],
            "status_rank": STATUS_RANK.get(result["status"], 9), "sort": _sortable_id(result["id"]),
            "units": list(result.get("units") or []),
            "filter_units": "|".join(result.get("units") or [NO_UNIT]),
            "category": cfg.category if cfg else "", "method": cfg.method if cfg else "",
            "deadline": cfg.deadline if cfg else "",
            "rules": cfg.rules.describe() if cfg else [],
            "article_count": result.get("article_count", len(live)),
            "latest": {"date": newest[0].isoformat(), "title": newest[1].title or newest[1].url,
                       "url": newest[1].url} if newest else None,
            "columns": fetches.get(result["id"], []),
            "findings": findings, "finding_rows": item_finding_rows(findings),
            "new": any(t["state"] == "new" for t in findings),
            "timeline": chart, "chart_note": "；".join(notes),
            "flag_note": "含严重问题文章的一周" if flagged else "",
            "strips": {"strips": [{"prefix": s.prefix, "year": s.year, "audited": s.audited,
                                   "lowest": s.lowest, "highest": s.highest, "cells": s.cells,
                                   "truncated": s.truncated, "summary": strip_summary(s)}
                                  for s in strips.strips],
                       "unparsed": list(strips.unparsed)},
            "articles": [_article_row(a) for a in arts[:cap]],
            "article_total": len(arts),
            "search": " ".join([result["id"], result["name"], " ".join(result.get("units") or []),
                                cfg.deadline if cfg else ""]
                               + list(dict.fromkeys(t["rule_name"] for t in findings))),
        })
    infos = {} if spot_check(doc) else unit_info(doc)  # one item scores no unit
    units = []
    for name in set(unit_tasks) | set(infos):
        tasks = sorted(unit_tasks.get(name, []),
                       key=lambda t: (t["rank"], t["state"] != "new", item_sort_key(t["item_id"])))
        info = infos.get(name) or {"score": None, "veto": False, "veto_reasons": [], "deductions": [],
                                   "status": None, "items_unknown": []}
        units.append({"name": name, "tasks": tasks, "rows": unit_rows(tasks), **info,
                      "fails": sum(1 for t in tasks if t["severity"] == "fail"),
                      "warns": sum(1 for t in tasks if t["severity"] == "warn"),
                      "new": sum(1 for t in tasks if t["state"] == "new")})
    units.sort(key=lambda u: (-u["fails"], -len(u["tasks"]), u["name"]))
    unit_names = sorted({u for it in items for u in it["units"]} | {u["name"] for u in units})
    run = doc.get("run") or {}
    script, style = _asset("report.js"), _asset("report.css")
    return {
        "doc": doc, "items": items, "units": units, "unit_names": unit_names,
        "run": {"started_at": _stamp(run.get("started_at")), "finished_at": _stamp(run.get("finished_at")),
                "elapsed": _elapsed(run.get("elapsed_seconds")),
                **{k: run.get(k) or 0 for k in ("requests", "pages", "articles", "errors",
                                                  "columns", "columns_unreachable")}},
        "status_counts": {s: sum(1 for r in doc["items"] if r["status"] == s) for s in STATUS_LABELS},
        "severity_counts": severity_counts, "verdict": verdict(doc), "changes": changes(doc, names),
        "admin": admin_tasks(doc), "spot_check": spot_check(doc),
        "status_labels": STATUS_LABELS, "severity_labels": SEVERITY_LABELS,
        "strip_labels": STRIP_STATE_LABELS,
        "script": script, "style": style, "csp": content_security_policy(script, style),
        "inspection": doc.get("inspection"),  # 检查指标自查 (issue 15), inspection.html.j2
    }


def render_html(doc: dict[str, Any], config: Config, articles: Iterable[Article],
                column_fetches: list[dict[str, Any]]) -> str:
    return _env().get_template("report.html.j2").render(
        **build_context(doc, config, articles, column_fetches))


def article_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """One dict per article, keys ARTICLE_COLUMNS in order (articles_csv writes the same)."""
    return [{"url": a.url, "item_id": a.item_id, "title": a.title,
             "publish_date": _iso(a.publish_date), "written_date": _iso(a.written_date),
             "doc_number": a.doc_number or "", "date_source": a.date_source,
             "list_date": _iso(a.list_date), "http_status": a.http_status,
             "column_url": a.column_url} for a in articles]


def articles_csv(articles: Iterable[Article]) -> str:
    """articles.csv: one row per article, the columns of ARTICLE_COLUMNS, empty for none; every
    text cell cleaned and formula-neutralised (see ``textsafe``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")  # DictWriter's checks per row cost ~1 s/50k
    writer.writerow(ARTICLE_COLUMNS)
    # Row by row from the articles (no list of 100k dicts alive at once: peak RSS, issue 16).
    writer.writerows([csv_cell(v) for v in (
        a.url, a.item_id, a.title, _iso(a.publish_date), _iso(a.written_date),
        a.doc_number or "", a.date_source, _iso(a.list_date), a.http_status, a.column_url)]
        for a in articles)
    return out.getvalue()


def write_report(out_dir: Path, doc: dict[str, Any], config: Config, articles: list[Article],
                 column_fetches: list[dict[str, Any]]) -> Path:
    """Write the four outputs, all or nothing (``outputs.publish``): a reader, a crash or a full
    disk never leaves half a report, nor tonight's findings beside last night's report."""
    from zwgk.report.outputs import publish
    from zwgk.report.workbook import workbook_bytes

    outputs: dict[str, str | bytes] = {
        "findings.json": json.dumps(clean_tree(doc), ensure_ascii=False, indent=2),
        "report.html": render_html(doc, config, articles, column_fetches),
        "articles.csv": articles_csv(articles),
        "report.xlsx": workbook_bytes(doc, config, articles),
    }
    return publish(out_dir, outputs)


# --- terminal table (zwgk check) ---------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to ``width`` terminal columns (CJK characters take two)."""
    used = _width(text)
    if used <= width:
        return text + " " * (width - used)
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - used - 1)


_LINE_BREAK_RE = re.compile(r"[\t\n\r\u200b-\u200d]")


def _clean(text: str) -> str:
    """Crawled text on a terminal: no escape sequences, no bidi overrides, one line."""
    return _LINE_BREAK_RE.sub(" ", clean_text(text or "")).strip()


def format_table(item: Item, result: dict[str, Any], articles: list[Article], limit: int = 15) -> str:
    """Plain-text answer for a supervisor's spot-check: the item, its newest articles, findings."""
    lines = [f"{item.id} {_clean(item.name)}  [{STATUS_LABELS[result['status']]}]  "
             f"公开时限：{item.deadline or '—'}",
             f"检查规则：{'；'.join(item.rules.describe()) or '栏目可访问、非空、链接有效、文号规范'}",
             f"责任单位：{'、'.join(item.units) or '—'}  文章数：{result['article_count']}  "
             f"最新发布：{result['latest_publish_date'] or '—'}", ""]
    seen: set[str] = set()
    unique = [a for a in articles if not (a.url in seen or seen.add(a.url))]
    arts = sorted(unique, key=lambda a: (a.publish_date or a.list_date or date.min, a.url),
                  reverse=True)
    widths = (10, 10, 10, 24)
    header = "  ".join([*(_fit(t, w) for t, w in zip(("发布日期", "日期来源", "成文日期", "文号"), widths)),
                        "标题"])
    lines += [header, "-" * (_width(header) + 40)]
    for a in arts[:limit]:
        shown = a.publish_date or a.list_date
        source = DATE_SOURCE_LABELS.get(a.date_source, a.date_source or "—")
        title = _clean(a.title) or a.url
        if not _live(a):
            title = f"[{'HTTP ' + str(a.http_status) if a.http_status else '无响应'}] {title}"
        cells = (_iso(shown) or "—", source, _iso(a.written_date) or "—",
                 _clean(a.doc_number or "") or "—")
        lines.append("  ".join([*(_fit(t, w) for t, w in zip(cells, widths)), _fit(title, 64).rstrip()]))
    if len(arts) > limit:
        lines.append(f"……另有 {len(arts) - limit} 篇（--limit N 显示更多）")
    lines.append("")
    if not result["findings"]:
        lines.append("未发现问题。")
    for f in sorted(result["findings"], key=lambda f: SEVERITY_ORDER.get(f["severity"], 9)):
        lines.append(f"[{SEVERITY_LABELS[f['severity']]}] {RULES.get(f['rule'], f['rule'])}："
                     f"{_clean(f['message'])}")
        for url in f["evidence"][:3]:
            lines.append(f"    {_clean(url)}")
        if len(f["evidence"]) > 3:
            lines.append(f"    …等 {len(f['evidence'])} 条")
    return "\n".join(lines)
