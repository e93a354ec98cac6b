"""文号 series analysis: series, gaps, duplicates, format faults (GB/T 9704-2012 §7.2.5).

Reading a number is the neutral grammar's job (``zwgk.grammar.docnumber``, shared with the
crawler); this module judges the numbers of one item. Each (机关代字, year) is its own series
restarting at 1: 临住建发 and 临住建办发 are different series, so prefixes are compared exactly.
A joint document carries several numbers; each counts in its own series.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from zwgk.grammar.docnumber import DocNumber, parse_doc_number, parse_doc_numbers, prefix_of


# --- series analysis -----------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """Serials missing between the lowest and highest seen of one series: 疑似缺号."""

    prefix: str
    year: int
    missing: tuple[int, ...]
    lowest: int
    highest: int


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


def analyse_doc_numbers(entries: Iterable[tuple[str | None, str] | tuple[str | None, str, date | None]],
                        prefixes: Iterable[str], exempt: Iterable[str] = (),
                        reference: int | None = None,
                        format_prefixes_only: bool = False) -> SeriesAnalysis:
    """Analyse (doc_number, url) pairs for the series of ``prefixes``.

    - gaps: per (prefix, year), serials missing between the lowest and highest seen, minus the
      ``exempt`` numbers (known 不予公开 文号, written in any parseable spelling);
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
    duplicates: list[Duplicate] = []
    for (prefix, year) in sorted(urls):
        numbers = urls[(prefix, year)]
        lo, hi = min(numbers), max(numbers)
        missing = tuple(n for n in range(lo + 1, hi)
                        if n not in numbers and (prefix, year, n) not in exempt_keys)
        if missing:
            gaps.append(Gap(prefix=prefix, year=year, missing=missing, lowest=lo, highest=hi))
        for number in sorted(numbers):
            if len(numbers[number]) > 1:
                duplicates.append(Duplicate(prefix=prefix, year=year, number=number,
                                            urls=tuple(numbers[number]),
                                            raws=tuple(raws[(prefix, year, number)])))
    series = {key: {n: tuple(u) for n, u in sorted(nums.items())} for key, nums in sorted(urls.items())}
    return SeriesAnalysis(series=series, gaps=tuple(gaps), duplicates=tuple(duplicates),
                          format_faults=tuple(faults))


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


__all__ = ["DocNumber", "parse_doc_numbers", "parse_doc_number", "Gap", "Duplicate", "FormatFault",
           "SeriesAnalysis", "analyse_doc_numbers"]
