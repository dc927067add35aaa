"""Dates as GOV.UK pages write them, and the date rule every service shares.

Not ``strftime("%-d")``: that flag is glibc's (it fails or prints "%-d" elsewhere), and GOV.UK
writes the day without a leading zero: "3 March 2026", never "03 March 2026".
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from .errors import ApplicationError


def long_date(value: date) -> str:
    """ "3 March 2026": for messages and sentences."""
    return f"{value.day} {value:%B %Y}"


def short_date(value: date) -> str:
    """ "3 Mar 2026": for choices and tables, where space is short."""
    return f"{value.day} {value:%b %Y}"


def age_on(born: date, on: date) -> int:
    """Whole years from ``born`` to ``on``; someone born on 29 February turns a year older on
    1 March in a year with no 29 February."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_not_future(value: date, field: str | None, label: str) -> None:
    """Refuse a date after today (in the site's time zone): "<label> must be today or in the
    past", against ``field``. ``label`` starts with a capital, for example "The date of the
    move"."""
    if value > timezone.localdate():
        raise ApplicationError(f"{label} must be today or in the past", field=field)
