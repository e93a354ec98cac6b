"""What a catalog item is, so rules follow the item and not one catalog's category names.

Catalogs name the same duty differently ("政务公开组织管理", "政府信息公开年报", "信息公开工作";
"政策解读", "文件解读", "解读回应"), so the kind is inferred from the item's name, content and
category together, in a fixed order (the most specific kind first). An explicit ``kind:`` in
columns.yaml overrides the inference.
"""
from __future__ import annotations

import re

from zwgk.audit.catalog.records import KINDS

# Each kind with the words that show it; tried in order, first match wins. The name and the
# category are read before the content (the content lists many things, the name is the duty).
_ANNUAL_REPORT_RE = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^，。；]{0,12}(?:年度报告|年报)")
_KIND_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("annual_report", _ANNUAL_REPORT_RE),
    ("interpretation", re.compile(r"解读")),
    ("normative", re.compile(r"规范性文件")),
    ("meeting", re.compile(r"会议")),
    ("personnel", re.compile(r"人事|任免|招录|招聘|录用|干部任前")),
    ("policy", re.compile(r"政策文件|部门文件|本级文件|文件发布|政府文件|发文")),
)
# Items whose name or category says they organise the disclosure work itself: their content
# lists the annual report among other things ("…信息公开指南、信息公开年度报告…").
_DISCLOSURE_WORK_RE = re.compile(r"(?:政务公开|信息公开)(?:工作|组织|管理|专栏)")


def infer_kind(name: str, category: str, content: str) -> str:
    """The kind of an item (one of KINDS) from its words; "other" when none shows."""
    title = f"{name}｜{category}"
    for kind, regex in _KIND_RES:
        if regex.search(title):
            return kind
    if _DISCLOSURE_WORK_RE.search(title) and _ANNUAL_REPORT_RE.search(content):
        return "annual_report"
    return "other"


__all__ = ["infer_kind", "KINDS"]
