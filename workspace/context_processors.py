from __future__ import annotations

from django.conf import settings

from csafe.notifications.selectors import unread_count_for_user

from .navigation import navigation_for


def shell(request) -> dict:
    """What the page shell needs: service name, demo banner, role-aware navigation."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count_for_user(user=user)
    return {
        "unread_notifications": unread,
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "demo_data": settings.DEMO_DATA,
        "navigation": navigation_for(user) if user is not None else [],
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
