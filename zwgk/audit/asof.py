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
_MIN, _MAX = date.min.toordinal(), date.max.toordinal()
_toordinal = date.toordinal


def _plain(d: date) -> date:
    """A plain date equal to ``d``, read without going through TrackedDate's observers."""
    return date.fromordinal(_toordinal(d))


class AsOfWindow:
    """The interval [lo, hi] of as-of dates seen to give one item's answers (inclusive); kept
    as ordinals (comparisons are the audit's most frequent question)."""

    def __init__(self, as_of: date) -> None:
        self.as_of = _plain(as_of)
        self.ordinal = _toordinal(as_of)
        self.lo_ord, self.hi_ord = _MIN, _MAX

    def reset(self) -> None:
        self.lo_ord, self.hi_ord = _MIN, _MAX

    @property
    def lo(self) -> date:
        return date.fromordinal(max(self.lo_ord, _MIN))

    @property
    def hi(self) -> date:
        return date.fromordinal(min(self.hi_ord, _MAX))

    def keep(self, lo: date, hi: date, offset: int) -> None:
        """The observed value (as-of + ``offset`` days) must stay within [lo, hi]."""
        self.keep_ord(_toordinal(lo), _toordinal(hi), offset)

    def keep_ord(self, lo: int, hi: int, offset: int) -> None:
        if lo - offset > self.lo_ord:
            self.lo_ord = lo - offset
        if hi - offset < self.hi_ord:
            self.hi_ord = hi - offset

    def pin(self) -> None:
        self.keep_ord(self.ordinal, self.ordinal, 0)

    def covers(self, d: date) -> bool:
        return self.lo_ord <= _toordinal(d) <= self.hi_ord

    def tracked(self) -> "TrackedDate":
        return TrackedDate(self.as_of, self, 0)


class TrackedDate(date):
    """A date equal to ``window.as_of + offset`` whose every observation narrows ``window``."""

    def __new__(cls, value: date, window: AsOfWindow, offset: int) -> "TrackedDate":
        plain = _plain(value)
        self = date.__new__(cls, date.year.__get__(plain), date.month.__get__(plain),
                            date.day.__get__(plain))
        self._window = window
        self._offset = offset
        self._ord = _toordinal(plain)
        return self

    # --- the plain value, and observations that keep only this day --------------------------

    def _value(self) -> date:
        return _plain(self)

    def _pin(self) -> date:
        self._window.pin()
        return _plain(self)

    # --- comparisons: the side of the other date -----------------------------------------------

    def _other(self, other: object) -> int | None:
        """The ordinal of a plain date to compare with; None for anything else (a TrackedDate,
        a datetime, not a date), after settling what that comparison observes."""
        if type(other) is date:
            return _toordinal(other)
        if isinstance(other, TrackedDate):
            if other._window is not self._window:  # another window: this one day on both
                other._pin()
                self._pin()
            # as-of + a vs as-of + b: the same answer for every as-of date
        elif isinstance(other, date) and not isinstance(other, datetime):
            return _toordinal(other)  # a date subclass compares as its date
        else:
            self._pin()
        return None

    def _plain_compare(self, other: object, op: str):
        value = other._value() if isinstance(other, TrackedDate) else other
        return getattr(date, op)(self._value(), value)

    # x = as-of + offset, d the other date; each keeps the as-of dates on x's side of d.

    def __lt__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__lt__")
        if self._ord < d:
            self._window.keep_ord(_MIN, d - 1, self._offset)
            return True
        self._window.keep_ord(d, _MAX, self._offset)
        return False

    def __le__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__le__")
        if self._ord <= d:
            self._window.keep_ord(_MIN, d, self._offset)
            return True
        self._window.keep_ord(d + 1, _MAX, self._offset)
        return False

    def __gt__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__gt__")
        if self._ord > d:
            self._window.keep_ord(d + 1, _MAX, self._offset)
            return True
        self._window.keep_ord(_MIN, d, self._offset)
        return False

    def __ge__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__ge__")
        if self._ord >= d:
            self._window.keep_ord(d, _MAX, self._offset)
            return True
        self._window.keep_ord(_MIN, d - 1, self._offset)
        return False

    def _equal(self, d: int) -> bool:
        """Equal keeps the day; unequal keeps the side of d."""
        x = self._ord
        if x == d:
            self._window.keep_ord(d, d, self._offset)
        elif x < d:
            self._window.keep_ord(_MIN, d - 1, self._offset)
        else:
            self._window.keep_ord(d + 1, _MAX, self._offset)
        return x == d

    def __eq__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__eq__")
        return self._equal(d)

    def __ne__(self, other):
        d = self._other(other)
        if d is None:
            return self._plain_compare(other, "__ne__")
        return not self._equal(d)

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
