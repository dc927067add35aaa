"""Attribute history rows to a user outside a request (Celery tasks, management commands).

Services set ``instance._history_user`` themselves. Code that saves models it does not own, or
that calls code which does, runs inside ``acting_as(user)`` so simple-history still names the
person (or the system account) on whose behalf the work is done.
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
