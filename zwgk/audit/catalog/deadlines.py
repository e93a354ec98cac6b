"""The 公开时限 grammar: a catalog's deadline text -> the rules that check it.

Catalogs word the same duty many ways ("20个工作日内发布", "形成或变更之日起20个工作日内",
"每季度结束后15日内", "每年1月31日前", "随时更新"), so this is a small grammar of forms, not a list
of phrases. The text is cut into clauses at "，", "；", "。" and "并"; each clause is read as one
form, and the forms' rules are merged:

- period: 年度/每年/按年, 半年/每半年, 季度/每季度/按季, 月度/每月/按月 — optionally with the days
  allowed after the period ("每季度结束后15日内", "次月10日前", "每年1月31日前");
- interpretation lag: "政策文件公开后3个工作日内" (the 解读 of a policy);
- meeting lag: "会议结束后3个工作日内", "会议召开后3日内";
- lag: "N个工作日内" (working days) or "N日内"/"N天内" (calendar days), counted from the event the
  text names (成文/形成/变更/产生/制发), 成文 when it names none;
- change-driven: 根据变动/根据实际/如有变化 … — presence only, no date rule;
- continuous: 实时/随时/及时/动态更新, 常态化 — the column must not go stale (180 days);
- presence: 长期公开/常年公开.

A clause that matches no form is returned as unread: the item is still crawled and judged for
presence, and gets a ``deadline_unparsed`` warn naming the text (see docs/rules.md).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace

from zwgk.audit.catalog.records import STALE_DAYS_DEFAULT, Rules

_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CLAUSE_SPLIT_RE = re.compile(r"[，,；;。.!！]|并(?=[^列行])")
_SPACE_RE = re.compile(r"\s+")

# The lag unit: working days, else calendar days (日, 天, 自然日; a 周 is 7 days).
_UNIT = r"个?(工作日|自然日|日|天)"
_INTERPRETATION_RE = re.compile(r"(?:政策|文件).{0,8}(?:公开|发布|印发)(?:后|之日起).{0,4}?" + _NUM + _UNIT)
_MEETING_RE = re.compile(r"(?:会议.{0,6}(?:后|之日起)|会后).{0,4}?" + _NUM + _UNIT)
# Tried in order: an explicit yearly cadence first ("每年一季度" is once a year, in its first
# quarter), then the shorter periods, then the weaker year words.
_PERIOD_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year", re.compile(r"每年|每一年|逐年|按年|次年")),
    ("halfyear", re.compile(r"半年")),
    ("quarter", re.compile(r"季度|按季|每季")),
    ("month", re.compile(r"月度|每月|按月|逐月")),
    ("year", re.compile(r"年度|年报")),
)
# Days allowed after the period: "结束后15日内", "次月10日前", "1月31日前" (of the next year).
_GRACE_AFTER_RE = re.compile(r"(?:结束|期满|终了)后" + _NUM + r"个?(?:工作日|日|天)")
_NEXT_MONTH_RE = re.compile(r"次月" + _NUM + r"日")
_DUE_DATE_RE = re.compile(_NUM + r"月(?:" + _NUM + r"日|底|末)(?:前|之前|以前)")
_MONTH_DAY_RE = re.compile(r"每月" + _NUM + r"日(?:前|之前|以前)")
# Working days need no 内 ("20个工作日发布"); calendar days do ("31日" alone is a day of a month).
_LAG_RE = re.compile(_NUM + r"个?(工作日)(?:内|之内|以内)?|" + _NUM + r"个?(自然日|日|天|周)(?:内|之内|以内)")
_EVENT_RE = re.compile(r"成文|形成|变更|产生|制发|制作|签发|作出|批准|审定|收到")
_CHANGE_RE = re.compile(r"根据(?:变动|变化|实际|需要|工作|情况)|如有(?:变动|变化|调整)|有变化|发生变化"
                        r"|适时|视情况|按需")
_CONTINUOUS_RE = re.compile(r"实时|随时|及时(?:更新|发布|公开|调整)|动态(?:更新|调整|公开)|常态化|即时")
_PRESENCE_RE = re.compile(r"长期公开|常年公开|长期有效|长期")
# Words that carry no rule of their own: a clause of only these is read (and adds nothing).
_FILLER_RE = re.compile(r"^(?:及时|更新|公开|发布|予以|进行|主动|的|之|内)*$")


def to_int(text: str) -> int:
    """'20' or Chinese numerals up to 99 ('三', '十五', '二十')."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


@dataclass(frozen=True)
class Reading:
    """What the grammar read: the merged rules, each clause's form, and what it could not read."""

    rules: Rules
    forms: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()

    @property
    def understood(self) -> bool:
        return bool(self.forms) and not self.unparsed


def _grace(clause: str, period: str) -> int:
    m = _GRACE_AFTER_RE.search(clause)
    if m:
        return to_int(m.group(1))
    m = _NEXT_MONTH_RE.search(clause) or (_MONTH_DAY_RE.search(clause) if period == "month"
                                          else None)
    if m:
        return to_int(m.group(1))
    m = _DUE_DATE_RE.search(clause)
    if m and period == "year":
        month = to_int(m.group(1))
        day = to_int(m.group(2)) if m.group(2) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                                     31)[min(max(month, 1), 12) - 1]
        # The days from 31 December to that day of the next year (a 365-day year).
        cumulative = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return cumulative[month - 1] + day
    return 0


def _lag_unit(unit: str, n: int, base: dict[str, object], workdays_key: str,
              days_key: str) -> dict[str, object]:
    base[workdays_key if unit == "工作日" else days_key] = n
    return base


def read_clause(clause: str) -> tuple[str, dict[str, object]] | None:
    """(form, Rules fields) of one clause; None when no form matches."""
    m = _INTERPRETATION_RE.search(clause)
    if m:
        # The 解读 window is counted in working days whatever the unit: 解读 follows the 条例.
        return "interpretation", {"interpretation_late_workdays": to_int(m.group(1))}
    m = _MEETING_RE.search(clause)
    if m:
        return "meeting", _lag_unit(m.group(2), to_int(m.group(1)), {}, "meeting_late_workdays",
                                    "meeting_late_days")
    for period, regex in _PERIOD_RES:
        if regex.search(clause):
            return "period", {"period": period, "period_grace_days": _grace(clause, period)}
    m = _LAG_RE.search(clause)
    if m:
        event = _EVENT_RE.search(clause)
        fields_ = {"lag_from": event.group(0) if event else ""}
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        days = to_int(number) * (7 if unit == "周" else 1)
        return "lag", _lag_unit(unit, days, fields_, "publish_lag_workdays", "publish_lag_days")
    if _CHANGE_RE.search(clause):
        return "change", {}
    if _CONTINUOUS_RE.search(clause):
        return "continuous", {"stale_days": STALE_DAYS_DEFAULT}
    if _PRESENCE_RE.search(clause):
        return "presence", {}
    if _FILLER_RE.match(clause):
        return "filler", {}
    return None


def read_deadline(deadline: str | None) -> Reading:
    """Read a whole 公开时限 text. Empty text reads as presence only."""
    text = _SPACE_RE.sub("", unicodedata.normalize("NFKC", deadline or ""))
    merged: dict[str, object] = {}
    forms: list[str] = []
    unparsed: list[str] = []
    for clause in _CLAUSE_SPLIT_RE.split(text):
        if not clause:
            continue
        found = read_clause(clause)
        if found is None:
            unparsed.append(clause)
            continue
        form, values = found
        if form != "filler":
            forms.append(form)
        for key, value in values.items():
            if key == "lag_from" and not value:
                continue
            merged[key] = value
    if "change" in forms and "continuous" in forms:
        # "如有变化，及时调整": "promptly" qualifies the change, it is no standing freshness duty.
        merged.pop("stale_days", None)
    if not text:
        forms.append("presence")
    if not forms and not unparsed:
        forms.append("filler")
    allowed = {f.name for f in fields(Rules)}
    return Reading(rules=replace(Rules(), **{k: v for k, v in merged.items() if k in allowed}),
                   forms=tuple(forms), unparsed=tuple(unparsed))


def rules_from_deadline(deadline: str) -> Rules | None:
    """The rules the 公开时限 text sets; None when the grammar could not read (all of) it."""
    reading = read_deadline(deadline)
    return None if reading.unparsed else reading.rules


__all__ = ["Reading", "read_deadline", "read_clause", "rules_from_deadline", "to_int"]
