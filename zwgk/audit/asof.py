"""The as-of dates for which an item's audit result holds (issue 16: reuse across nights).

An item's result depends on the as-of date only through what its rules observe of it: "is this
document's date after the as-of date", "the as-of year", "the days from the latest update to
the as-of date", the date printed in a message. ``TrackedDate`` is the as-of date for one item's
audit: it behaves exactly as the plain date (every answer is the date's own), and each
observation narrows an ``AsOfWindow`` to the as-of dates that would have given the same answer:

- a comparison with another date d keeps the side of d the as-of date is on;
- ``.year`` / ``.month`` keep its year / month;
- adding or subtracting a ``timedelta`` gives a TrackedDate of the same window (observations of
  "as-of minus 365 days" narrow the as-of date's window by the same shift);
- anything else (its text, ordinal, weekday, hash, the days to another date, ``replace``) keeps
  that one day only.

When every observation gives the same answer, the audit takes the same path and builds the same
result, so the result computed for one as-of date is the result for every as-of date in the
window. The window is an interval (each step intersects it with an interval that contains the
as-of date), which a store keeps as two dates. A rule that prints the as-of date or counts days
to it pins its item to one day — such an item is audited every night, as it must be.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

_ONE = timedelta(days=1)


def _plain(d: date) -> date:
    """A plain date equal to ``d``, read without going through TrackedDate's observers."""
    return date.fromordinal(date.toordinal(d))


def _shift(d: date, days: int) -> date:
    """``d`` + days, clamped to the representable dates."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


class AsOfWindow:
    """The interval [lo, hi] of as-of dates seen to give one item's answers (inclusive)."""

    def __init__(self, as_of: date) -> None:
        self.as_of = _plain(as_of)
        self.lo = date.min
        self.hi = date.max

    def reset(self) -> None:
        self.lo, self.hi = date.min, date.max

    def keep(self, lo: date, hi: date, offset: int) -> None:
        """The observed value (as-of + ``offset`` days) must stay within [lo, hi]."""
        self.lo = max(self.lo, _shift(lo, -offset))
        self.hi = min(self.hi, _shift(hi, -offset))

    def pin(self) -> None:
        self.lo = max(self.lo, self.as_of)
        self.hi = min(self.hi, self.as_of)

    def covers(self, d: date) -> bool:
        return self.lo <= d <= self.hi

    def tracked(self) -> "TrackedDate":
        return TrackedDate(self.as_of, self, 0)


def _before(d: date) -> date:
    return _shift(d, -1)


def _after(d: date) -> date:
    return _shift(d, 1)


class TrackedDate(date):
    """A date equal to ``window.as_of + offset`` whose every observation narrows ``window``."""

    def __new__(cls, value: date, window: AsOfWindow, offset: int) -> "TrackedDate":
        plain = _plain(value)
        self = date.__new__(cls, date.year.__get__(plain), date.month.__get__(plain),
                            date.day.__get__(plain))
        self._window = window
        self._offset = offset
        return self

    # --- the plain value, and observations that keep only this day --------------------------

    def _value(self) -> date:
        return _plain(self)

    def _pin(self) -> date:
        self._window.pin()
        return _plain(self)

    # --- comparisons: the side of the other date -----------------------------------------------

    def _compare(self, other: object, op: str) -> bool | type(NotImplemented):
        if isinstance(other, TrackedDate) and other._window is self._window:
            # as-of + a vs as-of + b: the same answer for every as-of date
            return getattr(date, op)(self._value(), other._value())
        if isinstance(other, TrackedDate):  # another window: keep this one day on both
            other._pin()
            return getattr(date, op)(self._pin(), other._value())
        if not isinstance(other, date) or isinstance(other, datetime):
            return getattr(date, op)(self._pin(), other)
        x, d = self._value(), other
        result = getattr(date, op)(x, d)
        lo, hi = date.min, date.max
        if op == "__lt__":
            lo, hi = ((lo, _before(d)) if result else (d, hi))
        elif op == "__le__":
            lo, hi = ((lo, d) if result else (_after(d), hi))
        elif op == "__gt__":
            lo, hi = ((_after(d), hi) if result else (lo, d))
        elif op == "__ge__":
            lo, hi = ((d, hi) if result else (lo, _before(d)))
        else:  # __eq__ / __ne__: equal keeps the day; unequal keeps the side of d
            if x == d:
                lo, hi = d, d
            elif x < d:
                hi = _before(d)
            else:
                lo = _after(d)
        self._window.keep(lo, hi, self._offset)
        return result

    def __lt__(self, other):
        return self._compare(other, "__lt__")

    def __le__(self, other):
        return self._compare(other, "__le__")

    def __gt__(self, other):
        return self._compare(other, "__gt__")

    def __ge__(self, other):
        return self._compare(other, "__ge__")

    def __eq__(self, other):
        return self._compare(other, "__eq__")

    def __ne__(self, other):
        return self._compare(other, "__ne__")

    def __hash__(self) -> int:
        return hash(self._pin())

    # --- arithmetic ------------------------------------------------------------------------------

    def __add__(self, other):
        if isinstance(other, timedelta):
            return TrackedDate(self._value() + other, self._window, self._offset + other.days)
        return date.__add__(self._pin(), other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return TrackedDate(self._value() - other, self._window, self._offset - other.days)
        if isinstance(other, TrackedDate) and other._window is self._window:
            return self._value() - other._value()
        if isinstance(other, TrackedDate):
            other._pin()
        return date.__sub__(self._pin(), other if not isinstance(other, TrackedDate)
                            else other._value())

    def __rsub__(self, other):
        if isinstance(other, date) and not isinstance(other, TrackedDate):
            return other - self._pin()
        return NotImplemented

    # --- fields ----------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        y = date.year.__get__(self)
        self._window.keep(date(y, 1, 1), date(y, 12, 31), self._offset)
        return y

    @property
    def month(self) -> int:
        x = self._value()
        first = x.replace(day=1)
        last = (date(x.year + 1, 1, 1) if x.month == 12 else date(x.year, x.month + 1, 1)) - _ONE
        self._window.keep(first, last, self._offset)
        return x.month

    @property
    def day(self) -> int:
        return self._pin().day

    def toordinal(self):
        return self._pin().toordinal()

    def weekday(self):
        return self._pin().weekday()

    def isoweekday(self):
        return self._pin().isoweekday()

    def isocalendar(self):
        return self._pin().isocalendar()

    def isoformat(self):
        return self._pin().isoformat()

    def strftime(self, fmt):
        return self._pin().strftime(fmt)

    def timetuple(self):
        return self._pin().timetuple()

    def ctime(self):
        return self._pin().ctime()

    def replace(self, *args, **kwargs):
        return self._pin().replace(*args, **kwargs)

    def __str__(self):
        return str(self._pin())

    def __repr__(self):
        return repr(self._pin())

    def __format__(self, spec):
        return format(self._pin(), spec)

    def __reduce__(self):
        return self._pin().__reduce__()

    def __reduce_ex__(self, protocol):
        return self._pin().__reduce_ex__(protocol)


__all__ = ["AsOfWindow", "TrackedDate"]
