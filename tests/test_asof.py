"""TrackedDate (zwgk.audit.asof): answers as the plain date does, and every as-of date in the
window it records gives the same answers (the ground of reusing results across nights)."""
from __future__ import annotations

import bisect
import operator
import random
from datetime import date, timedelta

from zwgk.audit.asof import AsOfWindow, TrackedDate
from zwgk.audit.workdays import WorkCalendar

AS_OF = date(2026, 11, 20)
_OPS = (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne)


def _questions(rng: random.Random):
    """Random functions of an as-of date, of the shapes rules use."""
    out = []
    for _ in range(60):
        d = AS_OF + timedelta(days=rng.randint(-400, 400))
        shift = timedelta(days=rng.randint(-60, 60))
        op = rng.choice(_OPS)
        kind = rng.randrange(6)
        if kind == 0:
            out.append(lambda x, d=d, op=op: op(x, d))
        elif kind == 1:
            out.append(lambda x, d=d, op=op: op(d, x))  # the plain date on the left
        elif kind == 2:
            out.append(lambda x, d=d, s=shift, op=op: op(x - s, d))
        elif kind == 3:
            out.append(lambda x: (x.year, x.month))
        elif kind == 4:
            out.append(lambda x, d=d: bisect.bisect_right(sorted([d, d + shift]), x))
        else:
            out.append(lambda x, d=d: max(d, x) == d)
    return out


def test_answers_equal_the_plain_dates_and_hold_in_the_window():
    rng = random.Random(16)
    for question in _questions(rng):
        window = AsOfWindow(AS_OF)
        tracked = window.tracked()
        assert question(tracked) == question(AS_OF)
        assert window.covers(AS_OF)
        for day in (window.lo, window.hi, *(window.lo + timedelta(days=rng.randint(
                0, min(800, (window.hi - window.lo).days))) for _ in range(5))):
            if date(2000, 1, 1) <= day <= date(2100, 1, 1):
                assert question(day) == question(AS_OF), (day, window.lo, window.hi)


def test_text_and_day_counts_keep_one_day():
    for read in (str, repr, lambda x: x.isoformat(), lambda x: f"{x}", lambda x: x.toordinal(),
                 lambda x: (x - date(2026, 1, 1)).days, lambda x: (date(2027, 1, 1) - x).days,
                 hash, lambda x: x.weekday(), lambda x: x.replace(day=1)):
        window = AsOfWindow(AS_OF)
        assert read(window.tracked()) == read(AS_OF)
        assert (window.lo, window.hi) == (AS_OF, AS_OF)


def test_shifted_dates_stay_tracked_and_tell_the_next_crossing():
    window = AsOfWindow(AS_OF)
    tracked = window.tracked()
    start = tracked - timedelta(days=365)
    assert isinstance(start, TrackedDate) and start == AS_OF - timedelta(days=365)
    window.reset()
    assert (start > date(2025, 11, 1)) is True  # as-of - 365 > 2025-11-01: as-of >= 2026-11-02
    assert (window.lo, window.hi) == (date(2026, 11, 2), date.max)


def test_working_day_counts_to_a_tracked_date_answer_as_plain_ones():
    calendar = WorkCalendar()
    window = AsOfWindow(AS_OF)
    tracked = window.tracked()
    published = date(2026, 10, 9)
    assert calendar.workdays_between(published, tracked) == \
        calendar.workdays_between(published, AS_OF)
    window.reset()
    deadline = calendar.add_workdays(published, 21)
    assert (tracked < deadline) == (AS_OF < deadline)
    for day in (window.lo, window.hi):
        if date(2000, 1, 1) <= day <= date(2100, 1, 1):
            assert (calendar.workdays_between(published, day) <= 20) == \
                (calendar.workdays_between(published, AS_OF) <= 20)
