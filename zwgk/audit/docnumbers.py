"""文号 series analysis: series, gaps, duplicates, format faults (GB/T 9704-2012 §7.2.5).

Reading a number is the neutral grammar's job (``zwgk.grammar.docnumber``, shared with the
crawler); this module judges the numbers of one item. Each (机关代字, year) is its own series
restarting at 1: 临住建发 and 临住建办发 are different series, so prefixes are compared exactly.
A joint document carries several numbers; each counts in its own series.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from zwgk.grammar.docnumber import DocNumber, parse_doc_number, parse_doc_numbers, prefix_of


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


def analyse_doc_numbers(entries: Iterable[tuple[str | None, str] | tuple[str | None, str, date | None]],
                        prefixes: Iterable[str], exempt: Iterable[str] = (),
                        reference: int | None = None,
                        format_prefixes_only: bool = False) -> SeriesAnalysis:
    """Analyse (doc_number, url) pairs for the series of ``prefixes``.

    - gaps: per (prefix, year), serials missing between the lowest and highest seen, minus the
      ``exempt`` numbers (known 不予公开 文号, written in any parseable spelling), as ranges;
    - jumps: serials far beyond the rest of their series (``_jump_index``), left out of the gap;
    - duplicates: a serial on two or more different URLs (the same URL listed twice is one document);
    - format faults: every parsed, malformed number, whatever its prefix (GB/T 9704 applies to all),
      one per (URL, spelling); with ``format_prefixes_only`` only those of the wanted series (a
      forwarded document's number is the other agency's to print, not the item's to correct).

    An entry is (doc_number as printed, url[, 成文日期]); the 成文日期 fixes a 2-digit year's
    century, else ``reference`` (the as-of year) does. The 公告 form (2025年第12号) is not judged
    for format.
    """
    wanted = {prefix_of(p) for p in prefixes if p and p.strip()}
    exempt_keys = {(d.prefix, d.year, d.number) for d in map(parse_doc_number, exempt) if d}
    urls: dict[tuple[str, int], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    raws: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    faults: list[FormatFault] = []
    seen_faults: set[tuple[str, str]] = set()
    for entry in entries:
        text, url = entry[0], entry[1]
        written = entry[2] if len(entry) > 2 else None
        for doc in parse_doc_numbers(text, written=written, reference=reference):
            _add(doc, url, doc.prefix in wanted, format_prefixes_only, urls, raws, faults,
                 seen_faults)
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


def _add(doc: DocNumber, url: str, in_series: bool, format_prefixes_only: bool,
         urls: dict[tuple[str, int], dict[int, list[str]]],
         raws: dict[tuple[str, int, int], list[str]], faults: list[FormatFault],
         seen_faults: set[tuple[str, str]]) -> None:
    judged = doc.form == "bracketed" and (in_series or not format_prefixes_only)
    if judged and not doc.well_formed and (url, doc.raw) not in seen_faults:
        seen_faults.add((url, doc.raw))
        faults.append(FormatFault(doc=doc, url=url))
    if not in_series:
        return
    bucket = urls[doc.series][doc.number]
    if url not in bucket:
        bucket.append(url)
        raws[(doc.prefix, doc.year, doc.number)].append(doc.raw)


__all__ = ["DocNumber", "parse_doc_numbers", "parse_doc_number", "Gap", "Jump", "Duplicate",
           "FormatFault", "SeriesAnalysis", "analyse_doc_numbers"]
