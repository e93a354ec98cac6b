"""``report.xlsx``: the report as a workbook a bureau passes around — an overview sheet, one sheet
per 责任单位 with what it must fix, one sheet per catalog item with findings (every finding of
the item, notes included, with its units and evidence), and every crawled article (up to
``MAX_ARTICLE_ROWS``; above it articles.csv is the list, and the 文章 sheet says so). The
summary, unit and item sheets are always complete, whatever the size of the site.

Crawled text is hostile here too: a title such as ``=HYPERLINK("http://…")`` or ``@SUM(…)`` would
become a live formula in Excel (CSV/formula injection). Every text cell is therefore written as an
explicit string cell (XlsxWriter's ``write_string``, with its formula/number/URL guessing off).

Written with XlsxWriter in constant-memory mode: rows stream to disk as they are written, so a
large bureau's workbook costs time in proportion to its rows and little memory.
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from zwgk.audit.catalog import Config
from zwgk.audit.findings import RULES, SEVERITY_ORDER
from zwgk.audit.model import Article
from zwgk.report.textsafe import clean_text

_SHEET_BAD_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Control characters XML 1.0 cannot carry: one str.translate per cell, not a regex.
_ILLEGAL_XML = {c: " " for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
# The 文章 sheet lists every article up to this many (≈ 2 s to write on a loaded 2-core
# machine); above it the sheet says so and articles.csv (always complete) is the list.
MAX_ARTICLE_ROWS = 10_000
SHEET_NAME_MAX = 31  # Excel's limit
# Evidence URLs in an item sheet's cell (findings.json has all): a cell holds ≤ 32,767 characters.
_ITEM_EVIDENCE = 100
_STATUS = {"fail": "不合格", "warn": "提醒", "unknown": "无法判断", "pass": "合格"}
_SEVERITY = {"fail": "严重", "warn": "提醒", "info": "信息"}
_STATE = {"new": "新增", "persisting": "持续"}


def sheet_name(name: str, taken: set[str]) -> str:
    """A legal, unique Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_BAD_RE.sub("_", name).strip("'") or "未命名"
    base = base[:SHEET_NAME_MAX]
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"~{n}"
        candidate = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _clean(value: Any) -> Any:
    """A cell value: numbers stay numbers, everything else becomes legal XML text."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # No escape sequences, control bytes (XML forbids most) or bidi overrides (textsafe).
    return clean_text(str(value)).translate(_ILLEGAL_XML)


def _sheet(wb: Any, title: str, header: list[str], rows: Iterable[list[Any]],
           widths: list[int], bold: Any) -> Any:
    """One sheet, streamed row by row (constant-memory mode: rows must come in order)."""
    ws = wb.add_worksheet(title)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.freeze_panes(1, 0)
    for col, text in enumerate(header):
        ws.write_string(0, col, text, bold)
    write_string, write_number = ws.write_string, ws.write_number
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = _clean(value)
            if isinstance(value, str):
                write_string(r, col, value)  # never a formula, whatever the text starts with
            else:
                write_number(r, col, value)
    return ws


def _article_rows(articles: list[Article]) -> Iterator[list[Any]]:
    for a in articles:
        yield [a.item_id, a.title, a.publish_date.isoformat() if a.publish_date else "",
               a.date_source, a.written_date.isoformat() if a.written_date else "",
               a.doc_number or "", a.list_date.isoformat() if a.list_date else "", a.http_status,
               a.url]


def workbook_bytes(doc: dict[str, Any], config: Config, articles: Iterable[Article],
                   max_article_rows: int = MAX_ARTICLE_ROWS) -> bytes:
    """The workbook as bytes. Above ``max_article_rows`` articles the 文章 sheet lists none and
    says so: articles.csv beside it holds every one (a spreadsheet row costs ~50× a CSV line)."""
    import xlsxwriter

    buf = io.BytesIO()
    # constant_memory: each sheet streams its rows to a temporary file instead of holding a cell
    # tree; strings_to_*: crawled text is never reinterpreted as a formula, number or link.
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    deadlines = {it.id: it.deadline for it in config.items}
    taken: set[str] = set()
    overview = []
    tasks: dict[str, list[list[Any]]] = defaultdict(list)
    per_item: list[tuple[str, list[list[Any]]]] = []
    for r in doc["items"]:
        overview.append([r["id"], r["name"], deadlines.get(r["id"], ""), "、".join(r["units"]),
                         _STATUS.get(r["status"], r["status"]), r["latest_publish_date"] or "",
                         r["article_count"], sum(1 for f in r["findings"] if f["severity"] == "fail"),
                         sum(1 for f in r["findings"] if f["severity"] == "warn")])
        for f in sorted(r["findings"], key=lambda f: SEVERITY_ORDER.get(f["severity"], 9)):
            if f["severity"] not in ("fail", "warn"):
                continue
            row = [_SEVERITY[f["severity"]], r["id"], r["name"], RULES.get(f["rule"], f["rule"]),
                   f["message"], deadlines.get(r["id"], ""), _STATE.get(f.get("state") or "", ""),
                   f.get("first_seen") or "", "\n".join(map(str, f["evidence"][:10]))]
            for unit in r["units"] or ["（未指定责任单位）"]:
                tasks[unit].append(row)
        if r["findings"]:
            per_item.append((f"{r['id']} {r['name']}", [
                [_SEVERITY.get(f["severity"], f["severity"]), RULES.get(f["rule"], f["rule"]),
                 f["message"], "、".join(r["units"]), _STATE.get(f.get("state") or "", ""),
                 f.get("first_seen") or "", "\n".join(map(str, f["evidence"][:_ITEM_EVIDENCE]))]
                for f in sorted(r["findings"],
                                key=lambda f: SEVERITY_ORDER.get(f["severity"], 9))]))
    _sheet(wb, sheet_name("总览", taken),
           ["编号", "事项", "公开时限", "责任单位", "状态", "最新发布", "文章数", "严重", "提醒"],
           overview, [8, 28, 22, 20, 9, 12, 8, 7, 7], bold)
    order = sorted(tasks, key=lambda u: (-sum(1 for t in tasks[u] if t[0] == "严重"), u))
    for unit in order:
        _sheet(wb, sheet_name(unit, taken),
               ["等级", "编号", "事项", "问题", "说明与整改要求", "公开时限", "状态", "首次发现", "证据"],
               tasks[unit], [7, 8, 24, 14, 70, 20, 7, 12, 60], bold)
    for title, rows in per_item:
        _sheet(wb, sheet_name(title, taken),
               ["等级", "问题", "说明与整改要求", "责任单位", "状态", "首次发现", "证据"],
               rows, [7, 14, 70, 20, 7, 12, 60], bold)
    articles = list(articles)
    header = ["编号", "标题", "发布日期", "日期来源", "成文日期", "文号", "列表日期", "HTTP状态", "网址"]
    widths = [8, 50, 12, 10, 12, 22, 12, 8, 60]
    if len(articles) <= max_article_rows:
        _sheet(wb, sheet_name("文章", taken), header, _article_rows(articles), widths, bold)
    else:
        _sheet(wb, sheet_name("文章", taken), ["说明"],
               [[f"共 {len(articles):,} 篇文章，超过本表列出的上限 {max_article_rows:,} 篇；"
                 "完整列表见同目录的 articles.csv（可用 Excel 打开）。"]], [100], bold)
    wb.close()
    return buf.getvalue()


__all__ = ["workbook_bytes", "sheet_name"]
