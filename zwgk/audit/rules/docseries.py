"""文号 rules (GB/T 9704-2012 §7.2.5 and the catalog's "要求连号更新").

- docno_gap (warn): serials missing inside a series the item must publish in full. Only 疑似缺号:
  some numbers are rightly never published (不予公开), which ``docno_exempt`` records.
- docno_duplicate (fail): one serial on two different documents.
- docno_format (warn): a malformed 文号; it still counts in its series. With ``doc_series`` only
  the item's own series are judged (a forwarded document's number is the other agency's to
  print); without it, numbers whose year is before the audit window are not judged either (an
  old document republished). A 2-digit year read without a 成文日期 is never "corrected".

Only documents published in the audit window (``site.audit.since``) are judged. One document is
one identity: the same normalized URL, or the same series+number with the same normalized title
(a cross-post in two columns), is not a duplicate.
"""
from __future__ import annotations

from zwgk.audit.docnumbers import analyse_doc_numbers
from zwgk.audit.findings import Finding
from zwgk.audit.rules import (AuditContext, Article, ColumnFetch, Item, in_window, live,
                              normalize_title, normalize_url, units_text)


def _numbers(numbers: tuple[int, ...]) -> str:
    """1,2,3,7 -> "1–3、7号" (compact runs for long gaps)."""
    runs: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            runs.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        runs.append(f"{start}" if start == prev else f"{start}–{prev}")
    return "、".join(runs) + "号"


def _neighbours(numbers: dict[int, tuple[str, ...]], missing: tuple[int, ...]) -> tuple[str, ...]:
    """Evidence for a gap: the documents just below and just above each missing serial."""
    seen = sorted(numbers)
    out: list[str] = []
    for n in missing:
        below = max((s for s in seen if s < n), default=None)
        above = min((s for s in seen if s > n), default=None)
        for s in (below, above):
            if s is not None:
                out.extend(u for u in numbers[s] if u not in out)
    return tuple(out)


def doc_series(item: Item, articles: list[Article], columns: list[ColumnFetch],
               ctx: AuditContext) -> list[Finding]:
    """All three 文号 rules at once: they share one analysis of the item's numbers."""
    current = [a for a in live(articles) if a.doc_number and in_window(a, ctx)]
    if not current:
        return []
    # One identity per document: the first URL of each normalized URL stands for all of them.
    by_identity: dict[str, Article] = {}
    for a in current:
        by_identity.setdefault(normalize_url(a.url), a)
    titles = {a.url: normalize_title(a.title) for a in by_identity.values()}
    analysis = analyse_doc_numbers(((a.doc_number, a.url, a.written_date)
                                    for a in by_identity.values()),
                                   item.doc_series, item.docno_exempt, reference=ctx.as_of.year,
                                   format_prefixes_only=bool(item.doc_series))
    units = units_text(item)
    out: list[Finding] = []
    for gap in analysis.gaps:
        closed = gap.year < ctx.as_of.year
        tail = (f"{gap.year}年已结束，{gap.highest}号之后是否还有发文无从得知，未作判断。" if closed
                else f"{gap.highest}号之后的编号尚在使用中，未作判断。")
        out.append(Finding(
            rule="docno_gap", severity="warn", item_id=item.id,
            evidence=_neighbours(analysis.series[(gap.prefix, gap.year)], gap.missing),
            message=(f"{gap.prefix}〔{gap.year}〕系列已公开{gap.lowest}–{gap.highest}号，"
                     f"其中疑似缺号：{_numbers(gap.missing)}（可能属依法不予公开）。{tail}"
                     f"请{units}核实：可公开的补充发布；确属依法不予公开的，向政务公开管理员"
                     f"登记不予公开的文号，今后不再提示。"),
            details={"series_prefix": gap.prefix, "year": gap.year, "missing": list(gap.missing),
                     "highest": gap.highest, "year_closed": closed},
        ))
    for dup in analysis.duplicates:
        if len({titles.get(u) for u in dup.urls}) == 1 and titles.get(dup.urls[0]):
            continue  # the same document cross-posted under two URLs
        out.append(Finding(
            rule="docno_duplicate", severity="fail", item_id=item.id, evidence=dup.urls,
            message=(f"文号{dup.prefix}〔{dup.year}〕{dup.number}号同时用于{len(dup.urls)}份不同的"
                     f"文件。请{units}核对原件，更正错误的文号。"),
            details={"series_prefix": dup.prefix, "year": dup.year, "number": dup.number},
        ))
    for fault in analysis.format_faults:
        doc = fault.doc
        if not item.doc_series and doc.year_certain and doc.year < ctx.since.year:
            continue  # an old (forwarded or republished) document's number: not the item's
        fix = (f"请{units}更正为“{doc.canonical}”。" if doc.year_certain else
               f"年份只写了两位且页面未显示成文日期，无法确定年份，请{units}核对原件后写全年份。")
        out.append(Finding(
            rule="docno_format", severity="warn", item_id=item.id, evidence=(fault.url,),
            message=(f"文号“{doc.raw.strip()}”不符合GB/T 9704—2012第7.2.5条：{doc.fault}。"
                     f"{fix}"),
            details={"doc_number": doc.raw},
        ))
    return out


__all__ = ["doc_series"]
