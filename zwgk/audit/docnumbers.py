"""文号 (发文字号): parsing against GB/T 9704-2012 §7.2.5, series, gaps, duplicates, format faults.

A well-formed 文号 is 机关代字 + the year in full inside 六角括号 〔〕 + the serial in Arabic
numerals without "第" and without leading zeros + 号, e.g. ``临住建发〔2026〕5号``. Real sites get it
wrong in a handful of recurring ways ([2026], 【2026】, (2026), （2026）, 〔26〕, 第5号, 05号, a
missing 号, stray spaces); those still parse, so a malformed number keeps its place in its series
(it is a format fault, not also a gap). Each (机关代字, year) is its own series restarting at 1:
临住建发 and 临住建办发 are different series, so prefixes are compared exactly.

Forms without a bracketed year (令号 such as ``国令第707号``) are not 发文字号 and do not parse.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

# Opening/closing brackets seen around the year, the correct pair first.
_OPEN = "〔[【(（［﹝〈<"
_CLOSE = "〕]】)）］﹞〉>"
_BRACKET_NAMES = {"〔": "〔〕", "[": "[]", "【": "【】", "(": "()", "（": "（）", "［": "［］",
                  "﹝": "﹝﹞", "〈": "〈〉", "<": "<>"}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")
_DOCNO_RE = re.compile(
    r"^(?P<prefix>[^\d\s" + re.escape(_OPEN + _CLOSE) + r"]+?)"
    r"(?P<open>[" + re.escape(_OPEN) + r"])"
    r"(?P<year>\d{2}|\d{4})"
    r"(?P<close>[" + re.escape(_CLOSE) + r"])"
    r"(?P<di>第)?"
    r"(?P<num>\d{1,9})"
    r"(?P<hao>号)?$"
)
# One enclosing pair of parentheses, as when a 文号 is quoted after a title: （临住建发〔2026〕5号）.
_WRAPPED_RE = re.compile(r"^[（(](?P<inner>.+)[）)]$")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 文号. ``faults`` lists every GB/T 9704 deviation; empty means well formed."""

    raw: str
    prefix: str
    year: int
    number: int
    faults: tuple[str, ...] = ()

    @property
    def well_formed(self) -> bool:
        return not self.faults

    @property
    def fault(self) -> str:
        """All faults as one Chinese sentence fragment ("" when well formed)."""
        return "；".join(self.faults)

    @property
    def canonical(self) -> str:
        """The GB/T 9704 spelling of this number."""
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def series(self) -> tuple[str, int]:
        return (self.prefix, self.year)


def parse_doc_number(text: str | None) -> DocNumber | None:
    """Parse a 文号 as printed; None when it is not a 机关代字〔year〕N号-shaped number at all."""
    if not text:
        return None
    raw = text
    stripped = text.strip()
    wrapped = _WRAPPED_RE.match(stripped)
    if wrapped:
        stripped = wrapped.group("inner").strip()
    faults: list[str] = []
    compact = _WHITESPACE_RE.sub("", stripped)
    if compact != stripped:
        faults.append("含多余空格")
    ascii_digits = compact.translate(_FULLWIDTH_DIGITS)
    if ascii_digits != compact:
        faults.append("使用了全角数字")
    m = _DOCNO_RE.match(ascii_digits)
    if not m:
        return None
    prefix = m.group("prefix")
    open_, close = m.group("open"), m.group("close")
    if open_ != "〔" or close != "〕":
        used = _BRACKET_NAMES[open_] if _OPEN.index(open_) == _CLOSE.index(close) else open_ + close
        faults.append(f"年份应使用六角括号〔〕，不应使用{used}")
    year_text = m.group("year")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000
        faults.append(f"年份应写全（{year}），不应简写为{year_text}")
    if m.group("di"):
        faults.append("序号前不应加“第”")
    num_text = m.group("num")
    if len(num_text) > 1 and num_text.startswith("0"):
        faults.append(f"序号不应编虚位（{num_text}应为{int(num_text)}）")
    if not m.group("hao"):
        faults.append("序号后缺少“号”")
    return DocNumber(raw=raw, prefix=prefix, year=year, number=int(num_text), faults=tuple(faults))


# --- series analysis -----------------------------------------------------------------------

# A serial this far past the one below it is a jump (a typo such as 999999 in a series of 40), not
# the end of a gap: more than JUMP_MIN_MISSING numbers missing and more than JUMP_FACTOR times the
# serial below. A jump is its own finding; the gap is counted below it.
JUMP_MIN_MISSING = 500
JUMP_FACTOR = 10


@dataclass(frozen=True)
class Gap:
    """Serials missing between the lowest and highest seen of one series: 疑似缺号. Held as
    inclusive ranges with a count: one typo'd serial must not become a million numbers."""

    prefix: str
    year: int
    ranges: tuple[tuple[int, int], ...]
    lowest: int
    highest: int

    @property
    def count(self) -> int:
        return sum(b - a + 1 for a, b in self.ranges)

    @property
    def missing(self) -> tuple[int, ...]:
        """Every missing serial (expanded: mind the count)."""
        return tuple(n for a, b in self.ranges for n in range(a, b + 1))


@dataclass(frozen=True)
class Jump:
    """Serials far beyond the rest of their series (``below``: the highest regular serial)."""

    prefix: str
    year: int
    below: int
    numbers: tuple[int, ...]
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    """One serial carried by two or more different documents (URLs)."""

    prefix: str
    year: int
    number: int
    urls: tuple[str, ...]
    raws: tuple[str, ...]


@dataclass(frozen=True)
class FormatFault:
    doc: DocNumber
    url: str


@dataclass(frozen=True)
class SeriesAnalysis:
    # (prefix, year) -> number -> distinct URLs, for the requested prefixes only.
    series: dict[tuple[str, int], dict[int, tuple[str, ...]]]
    gaps: tuple[Gap, ...]
    duplicates: tuple[Duplicate, ...]
    format_faults: tuple[FormatFault, ...]
    jumps: tuple[Jump, ...] = ()


def _missing_ranges(numbers: list[int], exempt: set[int]) -> list[tuple[int, int]]:
    """Inclusive ranges strictly between consecutive ``numbers`` (sorted), minus ``exempt``;
    linear in the numbers seen and exempted, whatever the size of the holes."""
    out: list[tuple[int, int]] = []
    holes = sorted(exempt)
    for below, above in zip(numbers, numbers[1:]):
        start = below + 1
        if start >= above:
            continue
        i = bisect.bisect_left(holes, start)
        while i < len(holes) and holes[i] < above:
            if holes[i] > start:
                out.append((start, holes[i] - 1))
            start = holes[i] + 1
            i += 1
        if start < above:
            out.append((start, above - 1))
    return out


def _jump_index(numbers: list[int]) -> int | None:
    """Index of the first serial that jumps far beyond the one below it (None: no jump)."""
    for i in range(1, len(numbers)):
        below = numbers[i - 1]
        if numbers[i] - below - 1 > max(JUMP_MIN_MISSING, JUMP_FACTOR * below):
            return i
    return None


def analyse_doc_numbers(entries: Iterable[tuple[str | None, str]], prefixes: Iterable[str],
                        exempt: Iterable[str] = ()) -> SeriesAnalysis:
    """Analyse (doc_number, url) pairs for the series of ``prefixes``.

    - gaps: per (prefix, year), serials missing between the lowest and highest seen, minus the
      ``exempt`` numbers (known 不予公开 文号, written in any parseable spelling), as ranges;
    - jumps: serials far beyond the rest of their series (``_jump_index``), left out of the gap;
    - duplicates: a serial on two or more different URLs (the same URL listed twice is one document);
    - format faults: every parsed, malformed number, whatever its prefix (GB/T 9704 applies to all),
      one per (URL, spelling).
    """
    wanted = {_WHITESPACE_RE.sub("", p) for p in prefixes if p and p.strip()}
    exempt_keys = {(d.prefix, d.year, d.number) for d in map(parse_doc_number, exempt) if d}
    urls: dict[tuple[str, int], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    raws: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    faults: list[FormatFault] = []
    seen_faults: set[tuple[str, str]] = set()
    for text, url in entries:
        doc = parse_doc_number(text)
        if doc is None:
            continue
        if not doc.well_formed and (url, doc.raw) not in seen_faults:
            seen_faults.add((url, doc.raw))
            faults.append(FormatFault(doc=doc, url=url))
        if doc.prefix not in wanted:
            continue
        bucket = urls[doc.series][doc.number]
        if url not in bucket:
            bucket.append(url)
            raws[(doc.prefix, doc.year, doc.number)].append(doc.raw)
    gaps: list[Gap] = []
    jumps: list[Jump] = []
    duplicates: list[Duplicate] = []
    for (prefix, year) in sorted(urls):
        numbers = urls[(prefix, year)]
        seen = sorted(numbers)
        cut = _jump_index(seen)
        if cut is not None:
            jumps.append(Jump(prefix=prefix, year=year, below=seen[cut - 1],
                              numbers=tuple(seen[cut:]),
                              urls=tuple(u for n in seen[cut:] for u in numbers[n])))
            seen = seen[:cut]
        exempt_here = {n for p, y, n in exempt_keys if (p, y) == (prefix, year)}
        ranges = _missing_ranges(seen, exempt_here)
        if ranges:
            gaps.append(Gap(prefix=prefix, year=year, ranges=tuple(ranges), lowest=seen[0],
                            highest=seen[-1]))
        for number in sorted(numbers):
            if len(numbers[number]) > 1:
                duplicates.append(Duplicate(prefix=prefix, year=year, number=number,
                                            urls=tuple(numbers[number]),
                                            raws=tuple(raws[(prefix, year, number)])))
    series = {key: {n: tuple(u) for n, u in sorted(nums.items())} for key, nums in sorted(urls.items())}
    return SeriesAnalysis(series=series, gaps=tuple(gaps), duplicates=tuple(duplicates),
                          format_faults=tuple(faults), jumps=tuple(jumps))


__all__ = ["DocNumber", "parse_doc_number", "Gap", "Jump", "Duplicate", "FormatFault", "SeriesAnalysis",
           "analyse_doc_numbers"]
