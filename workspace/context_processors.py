from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from csafe.accounts.two_factor import pending_step

from .navigation import navigation_for
from .worktray import shell_counts


def shell(request) -> dict:
    """What the page shell needs: service name, demo banner, role-aware navigation."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Someone signed in who still owes a two-factor code (or must set an app up) sees only the
    # header and "Sign out": no navigation, no counts, until the second step is passed.
    past_two_factor = signed_in and hasattr(request, "session") and pending_step(request) is None
    unread, work = 0, None
    if past_two_factor:
        # One query for both counts, so the worktray's count costs no page a query.
        unread, work = shell_counts(user=user, today=timezone.localdate())
    return {
        "unread_notifications": unread,
        "work_count": work,
        "two_factor_pending": signed_in and not past_two_factor,
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "demo_data": settings.DEMO_DATA,
        "navigation": navigation_for(user) if past_two_factor else [],
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
