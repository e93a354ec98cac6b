"""WorkCalendar: the official 2024–2026 arrangements, the holidays-package fallback, user files."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.workdays import DEFAULT_DATA_FILE, WorkCalendar, WorkCalendarError, load_arrangements

CAL = WorkCalendar()


def _days(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


# --- the 2026 notice (DESIGN.md §2) -----------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
                                 "2026-09-20", "2026-10-10"])
def test_2026_make_up_weekend_days_are_workdays(day):
    d = date.fromisoformat(day)
    assert d.weekday() >= 5  # the point: a Saturday or Sunday that is worked
    assert CAL.is_workday(d)


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23",
                                 "2026-04-06", "2026-05-04", "2026-05-05", "2026-06-19",
                                 "2026-09-25", "2026-10-05", "2026-10-07"])
def test_2026_weekday_holidays_are_not_workdays(day):
    d = date.fromisoformat(day)
    assert d.weekday() < 5
    assert not CAL.is_workday(d)


def test_ordinary_days():
    assert CAL.is_workday(date(2026, 11, 20))       # a Friday
    assert not CAL.is_workday(date(2026, 11, 21))   # a Saturday
    assert not CAL.is_workday(date(2026, 10, 11))   # the Sunday after the 调休 Saturday


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_our_table_agrees_with_holidays_package_on_every_day(year):
    cal = WorkCalendar()
    assert not cal.is_estimated(year)  # the comparison must exercise OUR table
    package = holidays.China(years=year)
    differing = [d for d in _days(year) if cal.is_workday(d) != package.is_working_day(d)]
    assert differing == []


def test_2026_table_lists_the_design_arrangement():
    arr = load_arrangements(DEFAULT_DATA_FILE)[2026]
    assert arr.workdays == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                            date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)}
    assert date(2026, 2, 15) in arr.holidays and date(2026, 2, 23) in arr.holidays
    assert {date(2026, 10, d) for d in range(1, 8)} <= arr.holidays


def test_2026_year_count():
    # Counted independently from the notice: weekday holidays per festival, plus 调休 days.
    weekdays = sum(1 for d in _days(2026) if d.weekday() < 5)
    weekday_holidays = 2 + 6 + 1 + 3 + 1 + 1 + 5  # 元旦 春节 清明 劳动 端午 中秋 国庆
    make_up = 6
    assert CAL.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == (
        weekdays - weekday_holidays + make_up)


# --- counting --------------------------------------------------------------------------------

def test_workdays_between_across_national_day_2026():
    # 9/30 -> 10/8 Thu(1) 10/9 Fri(2) 10/10 Sat 调休(3) 10/12 Mon(4)
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 11, 3)) == 20


def test_interval_is_half_open_and_empty_when_reversed():
    assert CAL.workdays_between(date(2026, 11, 19), date(2026, 11, 20)) == 1   # (start, end]
    assert CAL.workdays_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert CAL.workdays_between(date(2026, 11, 20), date(2026, 11, 1)) == 0


def test_add_workdays_lands_on_deadline():
    assert CAL.add_workdays(date(2026, 9, 30), 20) == date(2026, 11, 3)
    assert CAL.add_workdays(date(2026, 2, 12), 2) == date(2026, 2, 14)  # the 调休 Saturday
    assert CAL.add_workdays(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert CAL.add_workdays(date(2026, 2, 24), -3) == date(2026, 2, 12)
    assert CAL.add_workdays(date(2026, 5, 1), 0) == date(2026, 5, 1)


def test_brute_force_matches_fast_count():
    start = date(2023, 12, 1)
    for span in (1, 7, 40, 400, 800):
        end = start + timedelta(days=span)
        brute = sum(1 for i in range(1, span + 1) if CAL.is_workday(start + timedelta(days=i)))
        assert CAL.workdays_between(start, end) == brute


# --- estimated years and user files ----------------------------------------------------------

def test_year_outside_table_uses_package_and_is_estimated():
    cal = WorkCalendar()
    assert cal.is_estimated(2027)
    assert not cal.is_estimated(2026)
    assert cal.estimated_years(date(2026, 12, 1), date(2027, 1, 10)) == [2027]
    assert cal.estimated_years(date(2026, 1, 1), date(2026, 12, 31)) == []
    package = holidays.China(years=2027)
    assert all(cal.is_workday(d) == package.is_working_day(d) for d in _days(2027))


USER_2027 = """\
years:
  2027:
    source: test arrangement
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - 2027-02-09
    workdays: [2027-02-06]
"""


def test_user_file_adds_a_year(tmp_path: Path):
    user = tmp_path / "mine.yaml"
    user.write_text(USER_2027, encoding="utf-8")
    cal = WorkCalendar(user_file=user)
    assert not cal.is_estimated(2027)
    assert cal.is_workday(date(2027, 2, 6))        # a Saturday made a working day
    assert not cal.is_workday(date(2027, 2, 9))    # a Tuesday off
    assert cal.is_workday(date(2027, 2, 5))        # the package's guess (除夕) no longer applies
    assert not cal.is_estimated(2026)              # our table still there


def test_user_file_replaces_our_year(tmp_path: Path):
    user = tmp_path / "mine.yaml"
    user.write_text("years:\n  2026:\n    holidays: [2026-11-20]\n", encoding="utf-8")
    cal = WorkCalendar(user_file=user)
    assert not cal.is_workday(date(2026, 11, 20))
    assert cal.is_workday(date(2026, 10, 5))       # our 国庆 entry was replaced wholesale
    assert not cal.is_workday(date(2026, 10, 10))


@pytest.mark.parametrize("text, needle", [
    ("years:\n  2027:\n    holidays: [2027-13-01]\n", "year 2027: key 'holidays[0]'"),
    ("years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-01-01]\n", "both"),
    ("years:\n  2027:\n    holiday: [2027-01-01]\n", "key 'holiday'"),
    ("years:\n  abc:\n    holidays: []\n", "year abc"),
    ("2027: {}\n", "'years'"),
    ("years:\n  2027:\n    holidays: [{from: 2027-02-10, to: 2027-01-01}]\n", "bad range"),
])
def test_bad_user_file_names_file_year_and_key(tmp_path: Path, text, needle):
    user = tmp_path / "bad.yaml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(WorkCalendarError) as err:
        WorkCalendar(user_file=user)
    assert str(user) in str(err.value)
    assert needle in str(err.value)


# --- properties ------------------------------------------------------------------------------

dates = st.dates(min_value=date(2023, 6, 1), max_value=date(2028, 6, 30))


@settings(max_examples=200, deadline=None)
@given(dates, dates, dates)
def test_additivity(a, b, c):
    a, b, c = sorted((a, b, c))
    assert CAL.workdays_between(a, b) + CAL.workdays_between(b, c) == CAL.workdays_between(a, c)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=300))
def test_add_workdays_inverse(start, n):
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    assert n == 0 or CAL.is_workday(end)
    if n > 0:  # the first day that reaches n
        assert CAL.workdays_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_count_of_distance_lands_at_or_before_end(start, end):
    n = CAL.workdays_between(start, end)
    landed = CAL.add_workdays(start, n)
    assert landed <= max(start, end)
    assert CAL.workdays_between(landed, max(start, end)) == 0


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=1, max_value=200))
def test_negative_add_mirrors_positive_from_a_workday(start, n):
    while not CAL.is_workday(start):
        start += timedelta(days=1)
    assert CAL.add_workdays(CAL.add_workdays(start, n), -n) == start
