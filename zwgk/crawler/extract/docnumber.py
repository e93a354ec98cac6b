"""文号 (document number): recognise it as printed, faults included, and say where it was found.

The grammar itself lives in ``zwgk.grammar.docnumber`` (shared with the audit).
GB/T 9704-2012 §7.2.5: 机关代字 + 〔year〕 + serial + 号 (常住建〔2020〕78号). Real pages print
[2024], 【2024】, (2024), （2024）, 〔18〕, 第12号, 012号, a missing 号, stray spaces, and numbers
without a year (国令第707号, 公告2024年第1号). The value is returned exactly as printed (trimmed):
judging the format is the auditor's job, not the extractor's.
"""
from __future__ import annotations

import re

from zwgk.grammar.docnumber import CLOSE_CLASS, DOCNO_RE, JOINT_SEPARATOR, OPEN_CLASS, YEAR

from .labels import cut_value

# In a title it must end the title ("…的通知（国发〔2019〕4号）") or open it followed by a space
# ("国发〔2019〕4号 关于…"): "关于转发国发〔2019〕4号文件的通知" and "关于转发《…》（国办发〔2024〕1号）
# 的通知" name another document.
_TITLE_END_RE = re.compile(r"\s*[)）\]】〕]?\s*$")
_TITLE_START_END_RE = re.compile(r"\s")
# A line of the body that is a 文号 and nothing else (签发人 may follow on 上行文). Joint documents
# separate agencies by a space: 财政部 税务总局公告2023年第1号.
_LINE_AGENCY = r"[\u4e00-\u9fffA-Za-z](?:[\u4e00-\u9fffA-Za-z]|\s(?=[\u4e00-\u9fff])){0,24}"
_LINE_ONE = (rf"(?:{_LINE_AGENCY}\s*{OPEN_CLASS}\s*{YEAR}\s*{CLOSE_CLASS}\s*第?\s*\d{{1,6}}\s*号?"
             rf"|{_LINE_AGENCY}(?:\s*(?:19|20)\d{{2}}\s*年)?\s*第\s*\d{{1,6}}\s*号)")
_LINE_RE = re.compile(
    rf"^\s*(?P<no>{_LINE_ONE}(?:{JOINT_SEPARATOR}{_LINE_ONE})*)\s*(?:$|\s+签发人|[（(]签发人|\s{{2,}})"
)
_PLACEHOLDERS = frozenset(("无", "暂无", "空", "/", "-", "—", "--", "——", "null", "none", "n/a", "0"))
_HAS_DIGIT_RE = re.compile(r"\d")


def clean_labelled(value: str) -> str | None:
    """The 文号 in the value of a 文号 label, as printed; None for placeholders (无, /, -)."""
    value = value.strip()
    if not value or value.lower() in _PLACEHOLDERS:
        return None
    m = DOCNO_RE.match(value)
    if m:
        return m.group(0).strip()
    head = cut_value(value)
    if not head or head.lower() in _PLACEHOLDERS or not _HAS_DIGIT_RE.search(head):
        return None
    return head[:60].strip()


def in_title(title: str) -> str | None:
    """A 文号 printed in the title, usually in brackets at its end."""
    title = title.strip()
    for m in DOCNO_RE.finditer(title):
        if _TITLE_END_RE.match(title, m.end()) or (m.start() == 0 and _TITLE_START_END_RE.match(title, m.end())):
            return m.group(0).strip()
    return None


def on_own_line(line: str) -> str | None:
    """A 文号 that is the whole line (the line under the 发文机关标志 / heading)."""
    m = _LINE_RE.match(line)
    return m.group("no").strip() if m else None
