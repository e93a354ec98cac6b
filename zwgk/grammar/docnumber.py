"""The one 文号 (发文字号) grammar: how a number is found on a page and how it is read.

Both the crawler (which finds a number in a title, an info table or the line under the heading and
keeps it as printed) and the audit (which reads its series, year and serial and judges its format)
import this module, so the two can never disagree about what a 文号 is.

GB/T 9704-2012 §7.2.5: 机关代字 + the year in full inside 六角括号 〔〕 + the serial in Arabic
numerals without "第" and without leading zeros + 号, e.g. ``临住建发〔2026〕5号``. Real pages
print the recurring faults ([2026], 【2026】, (2026), （2026）, 〔26〕, 第5号, 05号, a missing 号,
stray spaces, full-width digits); those still parse, so a malformed number keeps its place in its
series. Also read:

- a 2-digit year (〔96〕): the century of the 成文日期 when it is known, else the nearest year not
  after the reference year (the audit's as-of). Without a 成文日期 the year is a guess
  (``year_certain`` is False) and the audit never proposes a "corrected" spelling for it;
- the 公告 form ``财政部公告2025年第12号`` / ``2025年第12号``: a numbering of its own, not a
  发文字号, so it is not judged against §7.2.5;
- several numbers on one document (a joint document, ``临住建发〔2025〕2号、临财发〔2025〕3号``):
  each is read, and each counts in its own series;
- trailing noise: ``号文`` ("〔2025〕12号文"), ``（签发人：张三）``, ``签发人：张三``.

Forms without any year (令号 such as ``国令第707号``) are not 发文字号 and do not parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Opening/closing brackets seen around the year, the correct pair first (same index = a pair).
OPEN = "〔[【(（［﹝〈<｛{"
CLOSE = "〕]】)）］﹞〉>｝}"
_BRACKET_NAMES = {o: o + c for o, c in zip(OPEN, CLOSE)}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# --- finding a number in running text (the crawler) -----------------------------------------
# Regex fragments: an agency (机关代字), a bracketed year, a serial. They are kept as strings so
# the crawler can anchor them as its contexts need (title end, own line, label value).
AGENCY = r"[\u4e00-\u9fffA-Za-z]{1,20}"
_OPEN_CLASS = "[" + re.escape(OPEN) + "]"
_CLOSE_CLASS = "[" + re.escape(CLOSE) + "]"
YEAR = r"(?:(?:19|20)\d{2}|\d{2})"
BRACKETED = rf"{AGENCY}\s*{_OPEN_CLASS}\s*{YEAR}\s*{_CLOSE_CLASS}\s*第?\s*\d{{1,6}}\s*号?"
ORDINAL = rf"{AGENCY}(?:\s*(?:19|20)\d{{2}}\s*年)?\s*第\s*\d{{1,6}}\s*号"
ONE = rf"(?:{BRACKETED}|{ORDINAL})"
# Joint documents print their numbers one after another: "临住建发〔2025〕2号、临财发〔2025〕3号".
JOINT_SEPARATOR = r"\s*[、，,；;/]\s*"
SEVERAL = rf"{ONE}(?:{JOINT_SEPARATOR}{ONE})*"
# Anywhere in a string, starting at the start of a run of CJK letters (not mid-word).
DOCNO_RE = re.compile(rf"(?<![\u4e00-\u9fffA-Za-z]){SEVERAL}")
# Opening/closing pairs a whole value may be wrapped in: （临住建发〔2026〕5号）.
OPEN_CLASS = _OPEN_CLASS
CLOSE_CLASS = _CLOSE_CLASS

# --- reading one number (the audit) ---------------------------------------------------------
_WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")
_BRACKETED_RE = re.compile(
    r"^(?P<prefix>[^\d\s" + re.escape(OPEN + CLOSE) + r"]*?)"
    r"(?P<open>" + _OPEN_CLASS + r")"
    r"(?P<year>\d{2}|\d{4})"
    r"(?P<close>" + _CLOSE_CLASS + r")"
    r"(?P<di>第)?"
    r"(?P<num>\d{1,9})"
    r"(?P<hao>号)?$"
)
_ANNOUNCEMENT_RE = re.compile(
    r"^(?P<prefix>[^\d\s" + re.escape(OPEN + CLOSE) + r"]*?)(?P<year>(?:19|20)\d{2})年第"
    r"(?P<num>\d{1,9})号$")
_WRAPPED_RE = re.compile(r"^[（(](?P<inner>.+)[）)]$")
# Noise after the number: 号文 ("…12号文"), 签发人 (上行文), in brackets or not.
_SIGNER_RE = re.compile(r"\s*[（(【\[]?\s*签发人\s*[:：].*$")
_TRAILING_WEN_RE = re.compile(r"号文(?:件)?$")
_SPLIT_RE = re.compile(r"(?<=号)" + JOINT_SEPARATOR + r"|(?<=号)\s+(?=\S)")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 文号. ``faults`` lists every GB/T 9704 deviation; empty means well formed."""

    raw: str
    prefix: str
    year: int
    number: int
    faults: tuple[str, ...] = ()
    # False when a 2-digit year was read without a 成文日期: the century is a guess.
    year_certain: bool = True
    # "bracketed" (发文字号, judged by §7.2.5) or "announcement" (公告2025年第12号, not judged).
    form: str = "bracketed"

    @property
    def well_formed(self) -> bool:
        return not self.faults

    @property
    def fault(self) -> str:
        """All faults as one Chinese sentence fragment ("" when well formed)."""
        return "；".join(self.faults)

    @property
    def canonical(self) -> str:
        """The GB/T 9704 spelling of this number (the 公告 form as printed, normalised)."""
        if self.form == "announcement":
            return f"{self.prefix}{self.year}年第{self.number}号"
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def series(self) -> tuple[str, int]:
        return (self.prefix, self.year)


def full_year(two_digits: int, written: date | None = None, reference: int | None = None) -> int:
    """The year a 2-digit 〔96〕 stands for: the 成文日期's century when known (the nearest such
    year not after it), else the nearest year not after ``reference`` (default: this year)."""
    anchor = written.year if written is not None else (reference or date.today().year)
    year = anchor - (anchor - two_digits) % 100
    return year


def _strip_noise(text: str) -> str:
    text = _SIGNER_RE.sub("", text).strip()
    return _TRAILING_WEN_RE.sub("号", text)


def parse_doc_number(text: str | None, written: date | None = None,
                     reference: int | None = None) -> DocNumber | None:
    """Parse one 文号 as printed; None when it is not a 文号 at all. For a joint number the
    first is returned (``parse_doc_numbers`` returns each)."""
    found = parse_doc_numbers(text, written=written, reference=reference)
    return found[0] if found else None


def parse_doc_numbers(text: str | None, written: date | None = None,
                      reference: int | None = None) -> list[DocNumber]:
    """Every 文号 of a value as printed (several on a joint document), in order."""
    if not text or not text.strip():
        return []
    stripped = text.strip()
    wrapped = _WRAPPED_RE.match(stripped)
    if wrapped:
        stripped = wrapped.group("inner").strip()
    stripped = _strip_noise(stripped)
    parts = [p for p in _SPLIT_RE.split(stripped) if p.strip()]
    if len(parts) > 1:
        parsed = [_parse_one(p.strip(), p.strip(), written, reference) for p in parts]
        return [d for d in parsed if d is not None]
    doc = _parse_one(text, stripped, written, reference)
    return [doc] if doc is not None else []


def _parse_one(raw: str, text: str, written: date | None, reference: int | None) -> DocNumber | None:
    faults: list[str] = []
    compact = _WHITESPACE_RE.sub("", text)
    ascii_digits = compact.translate(_FULLWIDTH_DIGITS)
    m = _BRACKETED_RE.match(ascii_digits)
    if not m:
        a = _ANNOUNCEMENT_RE.match(ascii_digits)
        if not a:
            return None
        return DocNumber(raw=raw, prefix=a.group("prefix"), year=int(a.group("year")),
                         number=int(a.group("num")), form="announcement")
    if compact != text:
        faults.append("含多余空格")
    if ascii_digits != compact:
        faults.append("使用了全角数字")
    open_, close = m.group("open"), m.group("close")
    if open_ != "〔" or close != "〕":
        used = _BRACKET_NAMES[open_] if OPEN.index(open_) == CLOSE.index(close) else open_ + close
        faults.append(f"年份应使用六角括号〔〕，不应使用{used}")
    year_text = m.group("year")
    year = int(year_text)
    certain = True
    if len(year_text) == 2:
        year = full_year(year, written, reference)
        certain = written is not None
        faults.append(f"年份应写全（{year}），不应简写为{year_text}" if certain
                      else f"年份应写全，不应简写为{year_text}")
    if m.group("di"):
        faults.append("序号前不应加“第”")
    num_text = m.group("num")
    if len(num_text) > 1 and num_text.startswith("0"):
        faults.append(f"序号不应编虚位（{num_text}应为{int(num_text)}）")
    if not m.group("hao"):
        faults.append("序号后缺少“号”")
    return DocNumber(raw=raw, prefix=m.group("prefix"), year=year, number=int(num_text),
                     faults=tuple(faults), year_certain=certain)


def prefix_of(text: str) -> str:
    """The 机关代字 of a configured series (``临住建发``, ``临住建发〔2024〕``), spaces removed."""
    return _WHITESPACE_RE.sub("", re.split(_OPEN_CLASS, text, maxsplit=1)[0])


__all__ = ["DocNumber", "parse_doc_number", "parse_doc_numbers", "full_year", "prefix_of",
           "DOCNO_RE", "AGENCY", "YEAR", "BRACKETED", "ORDINAL", "ONE", "SEVERAL",
           "JOINT_SEPARATOR", "OPEN", "CLOSE", "OPEN_CLASS", "CLOSE_CLASS"]
