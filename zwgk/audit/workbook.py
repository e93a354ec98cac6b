"""``report.xlsx``: the report as a workbook a bureau passes around — an overview sheet, one sheet
per 责任单位 with what it must fix, and every crawled article.

Crawled text is hostile here too: a title such as ``=HYPERLINK("http://…")`` or ``@SUM(…)`` would
become a live formula in Excel (CSV/formula injection). Every text cell is therefore written as an
explicit string cell, never left to openpyxl's "starts with = means formula" guess.
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from zwgk.audit.catalog import Config
from zwgk.audit.findings import RULES, SEVERITY_ORDER
from zwgk.audit.model import Article
from zwgk.audit.textsafe import clean_text

_SHEET_BAD_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_MAX = 31  # Excel's limit
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


def _text_cell(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        value = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return WriteOnlyCell(ws, value=value)
    # No escape sequences, control bytes (XML forbids most) or bidi overrides (textsafe).
    cell = WriteOnlyCell(ws, value=clean_text(str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _sheet(wb: Any, title: str, header: list[str], rows: Iterable[list[Any]],
           widths: list[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    head = []
    for text in header:
        cell = _text_cell(ws, text)
        cell.font = Font(bold=True)
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_text_cell(ws, v) for v in row])


def workbook_bytes(doc: dict[str, Any], config: Config, articles: Iterable[Article]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    deadlines = {it.id: it.deadline for it in config.items}
    taken: set[str] = set()
    overview = []
    tasks: dict[str, list[list[Any]]] = defaultdict(list)
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
    _sheet(wb, sheet_name("总览", taken),
           ["编号", "事项", "公开时限", "责任单位", "状态", "最新发布", "文章数", "严重", "提醒"],
           overview, [8, 28, 22, 20, 9, 12, 8, 7, 7])
    order = sorted(tasks, key=lambda u: (-sum(1 for t in tasks[u] if t[0] == "严重"), u))
    for unit in order:
        _sheet(wb, sheet_name(unit, taken),
               ["等级", "编号", "事项", "问题", "说明与整改要求", "公开时限", "状态", "首次发现", "证据"],
               tasks[unit], [7, 8, 24, 14, 70, 20, 7, 12, 60])
    _sheet(wb, sheet_name("文章", taken),
           ["编号", "标题", "发布日期", "日期来源", "成文日期", "文号", "列表日期", "HTTP状态", "网址"],
           ([a.item_id, a.title, a.publish_date.isoformat() if a.publish_date else "", a.date_source,
             a.written_date.isoformat() if a.written_date else "", a.doc_number or "",
             a.list_date.isoformat() if a.list_date else "", a.http_status, a.url]
            for a in articles),
           [8, 50, 12, 10, 12, 22, 12, 8, 60])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["workbook_bytes", "sheet_name"]
