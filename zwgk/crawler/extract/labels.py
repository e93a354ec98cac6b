"""Labelled values: 信息公开 info tables in every layout, and labelled text such as 发布时间：….

Why one scanner: an info table may be a <table> of label/value cells, a <dl>, label/value <div>s
or <span>s, or one line "发布日期：… 来源：…". On the flattened lines (tree.flatten) all of these
become "a label, then its value on the same line or on the next line". Hits are then grouped:
labels of several info-table kinds close together form an info table (evidence "infotable");
a lone label is labelled text (evidence "text").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .settings import INFOTABLE_MIN_KINDS, INFOTABLE_WINDOW_LINES
from .tree import Line, squeeze

# Label kinds. PUBLISH/WRITTEN/DOCNO/VALIDITY are read; the others only help recognise a table.
PUBLISH = "publish"
WRITTEN = "written"
DOCNO = "docno"
VALIDITY = "validity"
INDEX = "index"
CATEGORY = "category"
ISSUER = "issuer"
TITLE = "title"
WEAK_DATE = "weak_date"  # bare 日期： / 时间： — trusted near the title only
# 更新时间 / 信息时间: the date the page shows when it shows no 发布日期. Read as the publish date
# only after every 发布 label (precedence in core._visible_publish), and said so (date_source
# "update"): a page with 成文日期 and 更新时间 reads each as what it is.
UPDATE = "update"

_LABELS: dict[str, tuple[str, ...]] = {
    PUBLISH: ("发布日期", "发布时间", "公开日期", "公开时间", "发表日期", "发表时间", "发稿日期",
              "发稿时间", "上网日期", "上网时间"),
    WRITTEN: ("成文日期", "成文时间", "发文日期", "发文时间", "生成日期", "印发日期", "签发日期"),
    DOCNO: ("发文字号", "发文文号", "文件编号", "发文编号", "文件字号", "文件文号", "文号"),
    VALIDITY: ("有效性", "效力状态", "时效性", "是否有效", "有效状态", "效力"),
    INDEX: ("索引号", "索取号", "信息索引号"),
    CATEGORY: ("主题分类", "信息分类", "体裁分类", "组配分类", "主题词", "服务对象"),
    ISSUER: ("发文机关", "发布机构", "发文单位", "发布单位", "发文机构", "公开主体", "制发机关", "信息来源"),
    TITLE: ("标题", "文件名称", "信息名称"),
    UPDATE: ("更新时间", "更新日期", "最后更新时间", "最后更新日期", "最后更新", "信息时间", "信息日期",
             "维护时间", "修改时间", "修改日期", "录入时间", "录入日期"),
    WEAK_DATE: ("日期", "时间"),
}
_GAP = r"[\s\u3000\xa0\u2002\u2003]*"  # `文　　号`, `标&ensp;&ensp;题`
# Some agencies prefix 文号 with a document kind: 行政处罚决定书文号, 批复文号.
_DOCNO_PREFIX = r"(?:[\u4e00-\u9fff]{1,8}(?=文号))?"


def _spaced(word: str) -> str:
    return _GAP.join(re.escape(ch) for ch in word)


def _alternation() -> str:
    parts = []
    for kind, words in _LABELS.items():
        spaced = "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True))
        if kind == DOCNO:
            spaced = f"{_DOCNO_PREFIX}(?:{spaced})"
        parts.append(f"(?P<{kind}>{spaced})")
    return "|".join(parts)


# A label followed by a colon (or 】/] of 【发布时间】, or directly by a digit), not preceded by a
# CJK character: 留言时间： is not 时间：, 本公告发布时间 is not a label.
LABEL_RE = re.compile(rf"(?<![\u4e00-\u9fff])(?:{_alternation()}){_GAP}(?:[:：】\]]|(?=\d))")
# A cell that holds only a label, without colon (<dt>成文日期</dt>, <th>文号</th>).
BARE_LABEL_RE = re.compile(rf"(?:{_alternation()})[:：]?")
# After a space, the next thing that looks like a label ends a value: "2016-11-22 浏览次数：…"
# (without the space "：" may belong to the value: a title "某某市：关于…").
_NEXT_LABEL_RE = re.compile(r"\s+[\u4e00-\u9fff]{2,8}\s*[:：]")
_STARTS_WITH_LABEL_RE = re.compile(r"^[\u4e00-\u9fff\s\u3000]{2,10}[:：]")


@dataclass(slots=True)
class Hit:
    """One label found on the page, with the raw text that follows it."""

    kind: str
    label: str
    value: str
    line: int  # index into the line list
    infotable: bool = False


# Every label ends with one of these characters: lines without any of them hold no label.
_LABEL_END_CHARS = frozenset(ch for words in _LABELS.values() for w in words for ch in w[-1])
_MAX_BARE_LABEL_CHARS = 16
# The end of a label followed by what LABEL_RE requires after it (a cheap filter before LABEL_RE).
_LABEL_HINT_RE = re.compile(
    "[" + "".join(sorted(_LABEL_END_CHARS)) + rf"]{_GAP}(?:[:：】\]]|\d)"
)


def _kind_of(m: re.Match[str]) -> str:
    return next(k for k, v in m.groupdict().items() if v is not None)


def _value_after(lines: list[Line], idx: int, rest: str) -> str:
    """The value of a label: the rest of its line, or the next line when the label stands alone."""
    rest = rest.strip()
    if rest:
        return rest
    if idx + 1 < len(lines):
        nxt = lines[idx + 1].text
        if not _STARTS_WITH_LABEL_RE.match(nxt) and not BARE_LABEL_RE.fullmatch(squeeze(nxt)):
            return nxt
    return ""


def cut_value(value: str) -> str:
    """A value up to the next label on the same line (values of one-line info blocks run on)."""
    ends = [m.start() for m in (_NEXT_LABEL_RE.search(value), LABEL_RE.search(value, 1)) if m]
    return (value[: min(ends)] if ends else value).strip()


def scan(lines: list[Line], keep: list[bool]) -> list[Hit]:
    """All label hits on kept lines, each marked `infotable` when it sits in a cluster of labels of
    at least INFOTABLE_MIN_KINDS distinct kinds."""
    hits: list[Hit] = []
    for idx, line in enumerate(lines):
        if not keep[idx]:
            continue
        text = line.text
        if _LABEL_HINT_RE.search(text):  # cheap pre-check before the big LABEL_RE
            found = False
            for m in LABEL_RE.finditer(text):
                found = True
                kind = _kind_of(m)
                hits.append(Hit(kind, squeeze(m.group(kind)), _value_after(lines, idx, text[m.end():]), idx))
            if found:
                continue
        # label-only first piece: <span>文号</span><span>X</span> or <dt>成文日期</dt><dd>X</dd>
        first = line.pieces[0] if line.pieces else ""
        if not first or len(first) > _MAX_BARE_LABEL_CHARS:
            continue
        first = squeeze(first)
        m = BARE_LABEL_RE.fullmatch(first) if first else None
        if m is None:
            continue
        kind = _kind_of(m)
        if kind == WEAK_DATE:
            continue  # a bare 日期/时间 cell is a table header, not a label
        rest = "".join(line.pieces[1:])
        hits.append(Hit(kind, squeeze(m.group(kind)), _value_after(lines, idx, rest), idx))
    _mark_infotables(hits)
    return hits


def _mark_infotables(hits: list[Hit]) -> None:
    """Hits come in line order: each hit's neighbours within the window are a contiguous slice."""
    strong = [hit for hit in hits if hit.kind != WEAK_DATE]
    lo = hi = 0
    for hit in strong:
        while strong[lo].line < hit.line - INFOTABLE_WINDOW_LINES:
            lo += 1
        while hi < len(strong) and strong[hi].line <= hit.line + INFOTABLE_WINDOW_LINES:
            hi += 1
        hit.infotable = len({other.kind for other in strong[lo:hi]}) >= INFOTABLE_MIN_KINDS
