"""Rendering only: findings + articles → report.html, findings.json, articles.csv, terminal table.

Every crawled string is hostile: Jinja2 autoescaping is on, links are emitted only for http(s)
URLs, and the page's Content-Security-Policy forbids every network load, so even an escaping
mistake cannot fetch or send anything.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from audit.catalog import Config, Item
from audit.findings import RULES, SEVERITY_ORDER
from audit.model import Article

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
STATUS_LABELS = {"pass": "合格", "warn": "提醒", "fail": "不合格", "unknown": "无法判断"}
SEVERITY_LABELS = {"fail": "严重", "warn": "提醒", "info": "信息"}
ARTICLE_COLUMNS = ["url", "item_id", "title", "publish_date", "written_date", "doc_number",
                   "date_source", "list_date", "http_status", "column_url"]


def safe_url(value: Any) -> str:
    """Only http(s) URLs become links; anything else (javascript:, data:) renders inert."""
    text = str(value or "")
    return text if text.lower().startswith(("http://", "https://")) else "#"


def _env() -> Environment:
    env = Environment(loader=PackageLoader("audit", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    return env


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def build_context(doc: dict[str, Any], config: Config, articles: Iterable[Article],
                  column_fetches: list[dict[str, Any]]) -> dict[str, Any]:
    by_item: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_item[a.item_id].append(a)
    fetches: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in column_fetches:
        fetches[f["item_id"]].append(f)
    items_cfg = {it.id: it for it in config.items}
    items = []
    unit_tasks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    severity_counts = {"fail": 0, "warn": 0, "info": 0}
    for result in doc["items"]:
        cfg: Item | None = items_cfg.get(result["id"])
        arts = sorted(by_item.get(result["id"], []),
                      key=lambda a: (a.publish_date or date.min, a.url), reverse=True)
        findings = sorted(result["findings"], key=lambda f: SEVERITY_ORDER.get(f["severity"], 9))
        for f in findings:
            severity_counts[f["severity"]] = severity_counts.get(f["severity"], 0) + 1
            if f["severity"] in ("fail", "warn"):
                for unit in result["units"] or ["（未指定责任单位）"]:
                    unit_tasks[unit].append({"item": result, "finding": f})
        items.append({
            "result": result, "cfg": cfg, "findings": findings,
            "rules": cfg.rules.describe() if cfg else [],
            "columns": fetches.get(result["id"], []),
            "articles": [{
                "url": a.url, "title": a.title, "publish_date": _iso(a.publish_date),
                "written_date": _iso(a.written_date), "doc_number": a.doc_number or "",
                "date_source": a.date_source, "http_status": a.http_status,
            } for a in arts],
        })
    units = sorted(
        ({"name": u, "tasks": sorted(t, key=lambda x: (SEVERITY_ORDER[x["finding"]["severity"]],
                                                        x["item"]["id"])),
          "fails": sum(1 for x in t if x["finding"]["severity"] == "fail")}
         for u, t in unit_tasks.items()),
        key=lambda u: (-u["fails"], -len(u["tasks"]), u["name"]))
    status_counts = {s: sum(1 for r in doc["items"] if r["status"] == s) for s in STATUS_LABELS}
    tallies = {
        "empty": sum(1 for r in doc["items"] for f in r["findings"] if f["rule"] == "empty_column"),
        "stale": sum(1 for r in doc["items"] for f in r["findings"] if f["rule"] == "stale"),
        "unreachable": sum(1 for r in doc["items"] for f in r["findings"]
                           if f["rule"] == "column_unreachable"),
    }
    return {"doc": doc, "items": items, "units": units, "status_counts": status_counts,
            "severity_counts": severity_counts, "tallies": tallies, "rule_names": RULES,
            "status_labels": STATUS_LABELS, "severity_labels": SEVERITY_LABELS, "csp": CSP}


def render_html(doc: dict[str, Any], config: Config, articles: Iterable[Article],
                column_fetches: list[dict[str, Any]]) -> str:
    return _env().get_template("report.html.j2").render(
        **build_context(doc, config, articles, column_fetches))


def articles_frame(articles: Iterable[Article]) -> pd.DataFrame:
    rows = [{"url": a.url, "item_id": a.item_id, "title": a.title,
             "publish_date": _iso(a.publish_date), "written_date": _iso(a.written_date),
             "doc_number": a.doc_number or "", "date_source": a.date_source,
             "list_date": _iso(a.list_date), "http_status": a.http_status,
             "column_url": a.column_url} for a in articles]
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS)


def write_report(out_dir: Path, doc: dict[str, Any], config: Config, articles: list[Article],
                 column_fetches: list[dict[str, Any]]) -> Path:
    """Write the three outputs; each file is written whole to a temp name then renamed, so a
    reader (or a crash) never sees half a report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "findings.json": json.dumps(doc, ensure_ascii=False, indent=2),
        "report.html": render_html(doc, config, articles, column_fetches),
        "articles.csv": articles_frame(articles).to_csv(index=False),
    }
    for name, text in outputs.items():
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out_dir / name)
    return out_dir


def format_table(item: Item, result: dict[str, Any], articles: list[Article], limit: int = 15) -> str:
    """Plain-text answer for a supervisor's spot-check."""
    lines = [f"{item.id} {item.name}  [{STATUS_LABELS[result['status']]}]  公开时限：{item.deadline}",
             f"责任单位：{'、'.join(item.units)}  文章数：{result['article_count']}  "
             f"最新发布：{result['latest_publish_date'] or '—'}", ""]
    arts = sorted(articles, key=lambda a: (a.publish_date or date.min), reverse=True)[:limit]
    lines.append(f"{'发布日期':<10}  {'成文日期':<10}  {'文号':<18}  标题")
    for a in arts:
        lines.append(f"{_iso(a.publish_date) or '—':<12}  {_iso(a.written_date) or '—':<12}  "
                     f"{(a.doc_number or '—'):<20}  {a.title[:40]}")
    lines.append("")
    if not result["findings"]:
        lines.append("未发现问题。")
    for f in result["findings"]:
        lines.append(f"[{SEVERITY_LABELS[f['severity']]}] {RULES.get(f['rule'], f['rule'])}："
                     f"{f['message']}")
        for url in f["evidence"][:3]:
            lines.append(f"    {url}")
    return "\n".join(lines)
