"""Geometry of the report's pictures: the publish-date timeline, the 文号 strips and the index
page's trend of severe findings.

Why in Python and not in the template: the template only draws what it is given, so the
numbers (which periods are missed, which serial is a duplicate) are computed once, here, from the
same audit modules the rules use (``audit.docnumbers``, ``audit.rules.periods``), and can be tested
without a browser. Every value returned is plain data (numbers, short strings): crawled text
reaches the page only through the template's autoescaping.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

from zwgk.audit.catalog import Rules
from zwgk.audit.docnumbers import analyse_doc_numbers, parse_doc_number
from zwgk.audit.rules.periods import Period

# Timeline canvas (SVG user units; the SVG scales to the page width).
CHART_WIDTH = 1000
CHART_HEIGHT = 120
CHART_TOP = 8
CHART_BOTTOM = 96          # baseline of the bars; month labels below it
TIMELINE_MONTHS = 24
BIN_DAYS = 7               # one bar per week: constant size whatever the article count
# A strip longer than this is summarised instead of drawn cell by cell.
STRIP_MAX_CELLS = 1500


# --- timeline --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    """A shaded required period. ``state``: covered | missed | open | unjudged | window-ok |
    window-stale."""

    x: float
    width: float
    state: str
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    flagged: bool          # holds an article named as evidence of a fail finding
    label: str             # tooltip text


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    major: bool            # January: a year boundary


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    bands: tuple[Band, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    today_x: float
    total: int             # dated articles in the window
    before: int            # dated articles older than the window
    undated: int
    legend: tuple[tuple[str, str], ...]   # (css class, Chinese label) of the band states shown
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = CHART_BOTTOM


_BAND_LABELS = {
    "covered": "已按期更新", "missed": "应更新未更新", "open": "当前周期（未到期）",
    "unjudged": "首条信息之前（不判断）", "window-ok": "更新时限内有信息",
    "window-stale": "更新时限内无信息", "empty": "无信息",
}
from zwgk.audit.rules.periods import PERIOD_NAMES as _PERIOD_WORD  # one name per period (半年 too)


def _month_start(d: date, back: int = 0) -> date:
    index = d.year * 12 + d.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def timeline(dates: Iterable[date | None], as_of: date, rules: Rules | None,
             missed_labels: Iterable[str] = (), flagged_dates: Iterable[date] = (),
             stale_failed: bool = False) -> Timeline:
    """The last 24 months before ``as_of``: weekly bars of publish dates, the rule's required
    periods shaded (年度/季度/月度 periods, or the 实时更新 window before the audit date)."""
    start = _month_start(as_of, TIMELINE_MONTHS - 1)
    end = as_of
    span = max((end - start).days + 1, 1)

    def x_of(d: date) -> float:
        return round((d - start).days / span * CHART_WIDTH, 2)

    all_dates = list(dates)
    dated = [d for d in all_dates if d is not None]
    window = [d for d in dated if start <= d <= end]
    flagged = {d for d in flagged_dates if start <= d <= end}
    bands: list[Band] = []
    missed = set(missed_labels)
    if rules is not None and rules.period:
        first = min(dated) if dated else None
        period = Period.of(start, rules.period)
        covered = {Period.of(d, rules.period) for d in dated}
        while period.start <= end:
            if period.label in missed:
                state = "missed"
            elif period.end >= as_of:
                state = "open"
            elif period in covered:
                state = "covered"
            elif first is None or period.end < first:
                state = "unjudged"
            else:  # closed and empty, yet not reported by the audit: show it, judge nothing
                state = "empty"
            lo, hi = max(period.start, start), min(period.end, end)
            # 1 unit narrower: neighbouring periods of one colour stay visibly apart.
            width = max(round(x_of(hi + timedelta(days=1)) - x_of(lo) - 1, 2), 0.5)
            bands.append(Band(x_of(lo), width, state, f"{period.chinese}：{_BAND_LABELS[state]}"))
            period = period.next()
    elif rules is not None and rules.stale_days is not None:
        lo = max(start, as_of - timedelta(days=rules.stale_days))
        state = "window-stale" if stale_failed else "window-ok"
        bands.append(Band(x_of(lo), round(x_of(end + timedelta(days=1)) - x_of(lo), 2), state,
                          f"最近{rules.stale_days}天（{lo}至{end}）：{_BAND_LABELS[state]}"))
    # Weekly bins, anchored on the window start.
    bins: Counter[int] = Counter((d - start).days // BIN_DAYS for d in window)
    hot = {(d - start).days // BIN_DAYS for d in flagged}
    peak = max(bins.values(), default=1)
    usable = CHART_BOTTOM - CHART_TOP
    bars = []
    for index in sorted(bins):
        count = bins[index]
        lo = start + timedelta(days=index * BIN_DAYS)
        hi = min(lo + timedelta(days=BIN_DAYS - 1), end)
        # Square-root scale: one article stays visible beside a week of fifty.
        height = max(round(usable * (count / peak) ** 0.5, 2), 4.0)
        x = x_of(lo)
        width = max(round(x_of(hi + timedelta(days=1)) - x - 1, 2), 1.5)
        bars.append(Bar(x, round(CHART_BOTTOM - height, 2), width, height, count, index in hot,
                        f"{lo}至{hi}：{count}篇" + ("（含问题文章）" if index in hot else "")))
    ticks = []
    month = start
    while month <= end:
        if month.month in (1, 4, 7, 10):
            ticks.append(Tick(x_of(month), f"{month.year}年{month.month}月" if month.month == 1
                              else f"{month.month}月", month.month == 1))
        month = _month_start(month + timedelta(days=32))
    states = []
    for b in bands:
        if b.state not in states:
            states.append(b.state)
    return Timeline(start=start, end=end, bands=tuple(bands), bars=tuple(bars), ticks=tuple(ticks),
                    today_x=x_of(end), total=len(window), before=sum(1 for d in dated if d < start),
                    undated=len(all_dates) - len(dated),
                    legend=tuple((s, _BAND_LABELS[s]) for s in states))


# --- trend (index page) -----------------------------------------------------------------------

TREND_WIDTH, TREND_HEIGHT = 640, 150
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 40, 12, 16, 120  # plot area; date labels below
TREND_VALUE_LABELS = 31  # up to this many nights every point shows its value, else only extremes
TREND_INSET = 36         # first and last points this far inside the axes: their dates fit


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    value: int
    label: str       # the night (as-of date)
    show_value: bool


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[TrendPoint, ...]
    y_ticks: tuple[tuple[float, int], ...]       # (y, value) gridlines with their numbers
    x_labels: tuple[tuple[float, str], ...]      # (x, date) under the axis

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (an axis top a reader can read)."""
    step = 1
    while True:
        for mult in (1, 2, 5):
            if step * mult >= value:
                return step * mult
        step *= 10


def trend_chart(series: list[tuple[str, int]]) -> Trend:
    """Severe findings per night (oldest first) as a line with both axes: a y axis from 0 with
    numbered gridlines, dates under the x axis (first, last and evenly between), and each
    point's value (every point when there are few, else the first, last, highest and lowest)."""
    top_value = _nice_ceiling(max((v for _, v in series), default=0) or 1)
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT - 2 * TREND_INSET
    plot_h = TREND_BOTTOM - TREND_TOP
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: float) -> float:
        return round(TREND_BOTTOM - value / top_value * plot_h, 1)

    values = [v for _, v in series]
    extremes = {0, len(series) - 1}
    if values:
        extremes |= {values.index(max(values)), values.index(min(values))}
    points = tuple(TrendPoint(x=round(TREND_LEFT + TREND_INSET + i * step, 1), y=y_of(v), value=v, label=label,
                              show_value=len(series) <= TREND_VALUE_LABELS or i in extremes)
                   for i, (label, v) in enumerate(series))
    tick_values = {0, top_value} | ({top_value // 2} if top_value % 2 == 0 else set())
    ticks = tuple((y_of(v), v) for v in sorted(tick_values))
    n_labels = min(len(points), 6)
    picks = sorted({round(k * (len(points) - 1) / max(n_labels - 1, 1)) for k in range(n_labels)})
    x_labels = tuple((points[i].x, points[i].label) for i in picks) if points else ()
    return Trend(width=TREND_WIDTH, height=TREND_HEIGHT, left=TREND_LEFT,
                 right=TREND_WIDTH - TREND_RIGHT, top=TREND_TOP, bottom=TREND_BOTTOM,
                 points=points, y_ticks=ticks, x_labels=x_labels)


def period_rule_text(rules: Rules | None) -> str:
    if rules is None:
        return ""
    if rules.period:
        return f"阴影：每个{_PERIOD_WORD[rules.period]}周期（须至少发布一条）"
    if rules.stale_days is not None:
        return f"阴影：最近{rules.stale_days}天内须有更新"
    return ""


# --- 文号 strips -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    number: int
    state: str             # present | missing | duplicate | malformed | exempt | before | jump
    label: str             # tooltip: the number and what is wrong with it
    url: str = ""          # the document carrying it (the first one for a duplicate)
    text: str = ""         # what the cell shows: the serial, or a range "1–29" (before)


@dataclass(frozen=True)
class Strip:
    prefix: str
    year: int
    audited: bool          # a series of the item's doc_series: gaps are findings
    lowest: int
    highest: int
    cells: tuple[Cell, ...]
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False


@dataclass(frozen=True)
class Strips:
    strips: tuple[Strip, ...]
    unparsed: tuple[tuple[str, str], ...]   # (文号 as printed, url) that is no 机关代字〔年〕N号


STRIP_STATE_LABELS = {"present": "已公开", "missing": "疑似缺号", "duplicate": "重号",
                      "malformed": "格式不规范", "exempt": "已登记不予公开", "before": "最小号之前（不判断）",
                      "jump": "远超系列编号（疑似录入错误）"}
# Shown under a strip; "before" is one range cell, not a count of numbers.
_COUNTED = ("present", "missing", "duplicate", "malformed", "exempt", "jump")
JUMP_CELLS_SHOWN = 10


def doc_strips(entries: Iterable[tuple[str | None, str]], series_prefixes: Iterable[str],
               exempt: Iterable[str] = ()) -> Strips:
    """One strip per (机关代字, year) found among ``entries`` ((文号, url) of live articles).

    Series of the item's ``doc_series`` are analysed exactly as the docno rules do
    (``analyse_doc_numbers``); other series are drawn too, marked not audited, because a reader
    still wants to see them — their holes are shown but are not findings.
    """
    pairs = [(text, url) for text, url in entries if text]
    audited = {p.strip() for p in series_prefixes if p and p.strip()}
    prefixes = set(audited)
    unparsed: list[tuple[str, str]] = []
    malformed: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for text, url in pairs:
        doc = parse_doc_number(text)
        if doc is None:
            unparsed.append((text.strip(), url))
            continue
        prefixes.add(doc.prefix)
        if not doc.well_formed:
            malformed[(doc.prefix, doc.year, doc.number)].append(f"{doc.raw.strip()}：{doc.fault}")
    analysis = analyse_doc_numbers(pairs, prefixes, exempt)
    exempt_keys = {(d.prefix, d.year, d.number) for d in map(parse_doc_number, exempt) if d}
    strips = []
    jumps = {(j.prefix, j.year): j for j in analysis.jumps}
    for (prefix, year), numbers in analysis.series.items():
        jump = jumps.get((prefix, year))
        # A typo'd serial far beyond the series (docno_jump) is drawn apart, not as a long run
        # of "missing" cells up to it: the gap rules stop below it too.
        lo, hi = min(numbers), (jump.below if jump else max(numbers))
        is_audited = prefix in audited
        cells = []
        truncated = hi - lo + 1 > STRIP_MAX_CELLS
        if lo > 1:  # serials below the lowest seen: one cell for the whole run, not judged
            below = f"1–{lo - 1}" if lo > 2 else "1"
            cells.append(Cell(1, "before", f"{prefix}〔{year}〕{below}号：小于已见最小号，不判断",
                              text=below))
        for n in range(lo, min(hi, lo + STRIP_MAX_CELLS - 1) + 1):
            name = f"{prefix}〔{year}〕{n}号"
            urls = numbers.get(n, ())
            if len(urls) > 1:
                state, label = "duplicate", f"{name}：{len(urls)}份文件使用同一文号"
            elif urls and (prefix, year, n) in malformed:
                state, label = "malformed", "；".join(dict.fromkeys(malformed[(prefix, year, n)]))
            elif urls:
                state, label = "present", f"{name}：已公开"
            elif (prefix, year, n) in exempt_keys:
                state, label = "exempt", f"{name}：已登记为不予公开"
            else:
                state = "missing"
                label = f"{name}：疑似缺号" if is_audited else f"{name}：未见（该系列未要求连号）"
            cells.append(Cell(n, state, label, urls[0] if urls else "", str(n)))
        for n in (jump.numbers[:JUMP_CELLS_SHOWN] if jump else ()):
            cells.append(Cell(n, "jump", f"{prefix}〔{year}〕{n}号：远超该系列其余编号（≤{hi}号），疑似录入错误",
                              numbers[n][0], str(n)))
        counts = Counter(c.state for c in cells if c.state != "before")
        strips.append(Strip(prefix=prefix, year=year, audited=is_audited, lowest=lo, highest=hi,
                            cells=tuple(cells), counts=dict(counts), truncated=truncated))
    strips.sort(key=lambda s: (not s.audited, -s.year, s.prefix))
    return Strips(strips=tuple(strips), unparsed=tuple(unparsed))


def strip_summary(strip: Strip) -> dict[str, Any]:
    """Counts in reading order, for the line under a strip."""
    return {STRIP_STATE_LABELS[k]: strip.counts[k] for k in _COUNTED if strip.counts.get(k)}


__all__ = ["Trend", "TrendPoint", "trend_chart", "Timeline", "Band", "Bar", "Tick", "timeline", "period_rule_text", "Cell", "Strip",
           "Strips", "doc_strips", "strip_summary", "STRIP_STATE_LABELS"]
