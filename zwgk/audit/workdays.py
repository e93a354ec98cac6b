"""China's official working-day calendar, 调休 included.

Deadlines such as 条例 Art. 26's "20 working days" are counted on the State Council's yearly
holiday arrangement, where some Saturdays and Sundays are working days (调休) and some weekdays
are not. Our own table (``audit/data/workdays.yaml``, transcribed from the notices) is the first
source; the ``holidays`` package covers other years, but for years it has to guess (no 调休), so a
count touching such a year is marked *estimated*. A user file of the same shape can add a year as
soon as its notice is published, without waiting for a release.

Days are counted over the half-open interval (start, end]: the day after a document is formed is
working day 1 (DESIGN.md §6).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
import yaml

from zwgk.audit.yamlbound import BoundedAliases

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "data" / "workdays.yaml"

_YEAR_KEYS = {"source", "holidays", "workdays"}
_RANGE_KEYS = {"name", "from", "to"}
_MAX_RANGE_DAYS = 31  # no holiday run is longer; a longer one is a typo in the file


class _PlainDateLoader(BoundedAliases, yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported with its year and key
    instead of crashing inside the YAML parser."""


_PlainDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class WorkCalendarError(Exception):
    """A bad arrangement file; the message names the file, the year and the key."""

    def __init__(self, path: str | Path, message: str, year: Any = None, key: str | None = None):
        where = str(path)
        if year is not None:
            where += f": year {year}"
        if key is not None:
            where += f": key '{key}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class YearArrangement:
    """One year's notice: days off and 调休 working days (dates may spill into adjacent years)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str = ""


def _as_date(value: Any, path: str | Path, year: Any, key: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise WorkCalendarError(path, f"not a date (YYYY-MM-DD): {value!r}", year, key)


def _parse_days(raw: Any, path: str | Path, year: int, key: str) -> set[date]:
    if raw is None:
        return set()
    if not isinstance(raw, list):
        raise WorkCalendarError(path, "must be a list of dates or {name, from, to}", year, key)
    days: set[date] = set()
    for index, entry in enumerate(raw):
        sub = f"{key}[{index}]"
        if isinstance(entry, dict):
            unknown = set(entry) - _RANGE_KEYS
            if unknown:
                raise WorkCalendarError(path, f"unknown key {sorted(map(str, unknown))[0]!r}",
                                        year, sub)
            if "from" not in entry:
                raise WorkCalendarError(path, "missing 'from'", year, sub)
            start = _as_date(entry["from"], path, year, sub + ".from")
            end = _as_date(entry.get("to", start), path, year, sub + ".to")
            if end < start or (end - start).days > _MAX_RANGE_DAYS:
                raise WorkCalendarError(path, f"bad range {start} .. {end}", year, sub)
            days.update(start + timedelta(days=i) for i in range((end - start).days + 1))
        else:
            days.add(_as_date(entry, path, year, sub))
    for d in days:
        if abs(d.year - year) > 1:
            raise WorkCalendarError(path, f"{d} is not in or next to {year}", year, key)
    return days


def load_arrangements(path: str | Path) -> dict[int, YearArrangement]:
    """Read an arrangement file (ours or a user's); raise WorkCalendarError on any problem."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainDateLoader)  # noqa: S506
    except OSError as exc:
        raise WorkCalendarError(path, f"cannot read: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise WorkCalendarError(path, f"invalid YAML: {exc}") from None
    if not isinstance(data, dict) or set(data) != {"years"} or not isinstance(data["years"], dict):
        raise WorkCalendarError(path, "the file must be a mapping with one key 'years'")
    out: dict[int, YearArrangement] = {}
    for raw_year, entry in data["years"].items():
        try:
            year = int(raw_year)
        except (TypeError, ValueError):
            raise WorkCalendarError(path, "a year must be a number such as 2027", raw_year) from None
        if not isinstance(entry, dict):
            raise WorkCalendarError(path, "must be a mapping {source, holidays, workdays}", year)
        unknown = set(entry) - _YEAR_KEYS
        if unknown:
            raise WorkCalendarError(path, "unknown key", year, sorted(map(str, unknown))[0])
        off = _parse_days(entry.get("holidays"), path, year, "holidays")
        on = _parse_days(entry.get("workdays"), path, year, "workdays")
        both = off & on
        if both:
            raise WorkCalendarError(path, f"{min(both)} is both a holiday and a workday", year,
                                    "workdays")
        out[year] = YearArrangement(year=year, holidays=frozenset(off), workdays=frozenset(on),
                                    source=str(entry.get("source") or ""))
    return out


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday days with ordinal in [1, ordinal]; ordinal 1 (0001-01-01) is a Monday."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@lru_cache(maxsize=1)
def package_official_years() -> frozenset[int]:
    """Years whose official arrangement (调休 included) the ``holidays`` package transcribes: its
    static table of special days per year. Other years it computes by rule, without 调休."""
    try:
        from holidays.countries.china import ChinaStaticHolidays
    except ImportError:  # a holidays release that moved it: every package year is a guess
        return frozenset()
    table = getattr(ChinaStaticHolidays, "special_public_holidays", {})
    return frozenset(int(y) for y in table)


@lru_cache(maxsize=256)
def _package_exceptions(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(weekdays off, weekend days on) of ``year`` according to the holidays package."""
    cn = holidays.China(years=year)
    off = frozenset(d for d in cn if d.year == year and d.weekday() < 5)
    on = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year)
    return off, on


class WorkCalendar:
    """Working days of mainland China's government offices.

    Priority per day: a date listed in an arrangement (user file, then ours) > the Monday–Friday
    rule for a year that has an arrangement > the ``holidays`` package for other years.
    """

    def __init__(self, user_file: str | Path | None = None,
                 data_file: str | Path | None = DEFAULT_DATA_FILE) -> None:
        arrangements: dict[int, YearArrangement] = {}
        if data_file is not None:
            arrangements.update(load_arrangements(data_file))
        if user_file is not None:
            arrangements.update(load_arrangements(user_file))  # a user year replaces ours
        self.arrangements = arrangements
        # Explicit days of every notice; a notice may list days of an adjacent year.
        self._explicit: dict[date, bool] = {}
        for year in sorted(arrangements):
            arr = arrangements[year]
            for d in arr.holidays:
                self._explicit[d] = False
            for d in arr.workdays:
                self._explicit[d] = True
        self._cache: dict[int, tuple[list[date], list[date]]] = {}
        self._added: dict[tuple[date, int], date] = {}  # add_workdays, asked once per document
        self._package_years = package_official_years()

    # --- per-year exception lists ----------------------------------------------------------

    def _exceptions(self, year: int) -> tuple[list[date], list[date]]:
        """Sorted (weekdays that are days off, weekend days that are working days) of a year."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        if year in self.arrangements:
            off: set[date] = set()
            on: set[date] = set()
        else:
            pkg_off, pkg_on = _package_exceptions(year)
            off, on = set(pkg_off), set(pkg_on)
        for d, working in self._explicit.items():
            if d.year != year:
                continue
            weekday = d.weekday() < 5
            off.discard(d)
            on.discard(d)
            if weekday and not working:
                off.add(d)
            elif not weekday and working:
                on.add(d)
        result = (sorted(off), sorted(on))
        self._cache[year] = result
        return result

    # --- public API ------------------------------------------------------------------------

    def is_estimated(self, year: int) -> bool:
        """True when no official arrangement covers ``year``: neither ours, the user's, nor the
        ``holidays`` package's transcribed table (its rule-based years are guesses)."""
        return year not in self.arrangements and year not in self._package_years

    def estimated_years(self, start: date, end: date) -> list[int]:
        """Years of the interval (start, end] whose counts are estimated."""
        if end <= start:
            return []
        first = (start + timedelta(days=1)).year
        return [y for y in range(first, end.year + 1) if self.is_estimated(y)]

    def is_workday(self, d: date) -> bool:
        off, on = self._exceptions(d.year)
        if d.weekday() < 5:
            i = bisect.bisect_left(off, d)
            return not (i < len(off) and off[i] == d)
        i = bisect.bisect_left(on, d)
        return i < len(on) and on[i] == d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; 0 when end <= start."""
        if end <= start:
            return 0
        count = _weekdays_through(end.toordinal()) - _weekdays_through(start.toordinal())
        for year in range(start.year, end.year + 1):
            off, on = self._exceptions(year)
            count -= bisect.bisect_right(off, end) - bisect.bisect_right(off, start)
            count += bisect.bisect_right(on, end) - bisect.bisect_right(on, start)
        return count

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself for n == 0).

        For n < 0, the |n|-th working day before ``start``. For n >= 0,
        ``workdays_between(start, add_workdays(start, n)) == n``: the last day of an
        "n working days" deadline.
        """
        found = self._added.get((start, n))
        if found is not None:
            return found
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        d = start
        while remaining:
            d += timedelta(days=step)
            if self.is_workday(d):
                remaining -= 1
        self._added[(start, n)] = d
        return d


__all__ = ["WorkCalendar", "WorkCalendarError", "YearArrangement", "load_arrangements",
           "DEFAULT_DATA_FILE"]
