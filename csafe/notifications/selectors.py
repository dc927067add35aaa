from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import EmailChoice, Notification, NotificationPreference


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count_for_user(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """A user's own notification, or 404 (nobody reads another person's notifications)."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def email_choice_for_user(*, user) -> str:
    """How ``user`` chose to be e-mailed (``EmailChoice``); an e-mail for each notification
    when they have not chosen."""
    chosen = (
        NotificationPreference.objects.filter(user=user).values_list("email", flat=True).first()
    )
    return chosen or EmailChoice.IMMEDIATE
