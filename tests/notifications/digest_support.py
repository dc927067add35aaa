"""State builders for gathered notifications and their e-mails: support for the digest tests,
imported by test files and importing none."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F

from csafe.notifications.models import Notification
from csafe.notifications.services import notifications_email_due


def age_windows(minutes: float | None = None) -> None:
    """As if ``minutes`` (the whole window and a second, by default) had passed since every
    notification still gathering was opened: its start and its e-mail time move back."""
    if minutes is None:
        minutes = settings.CSAFE_CONTEXT_DIGEST_MINUTES
    delta = timedelta(minutes=minutes, seconds=1)
    Notification.objects.filter(emailed_at__isnull=True).update(
        created_at=F("created_at") - delta,
        email_after=F("email_after") - delta,
    )


def end_windows(capture) -> int:
    """Let every gathering window pass and run the beat's sweep, its e-mails sent (``capture``
    is pytest-django's ``django_capture_on_commit_callbacks``). Returns how many were queued."""
    age_windows()
    with capture(execute=True):
        return notifications_email_due()
