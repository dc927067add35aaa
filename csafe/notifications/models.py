"""In-app notifications, each optionally e-mailed.

A notification never names a child: it names the record by its local identifier or the context by
its name, and links to the page where the reader's own permissions apply. ``dedupe_key`` makes
delivery idempotent: a task that runs twice (Celery re-delivers after a worker dies) finds the
row it made the first time and sends nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    FLAG_REVIEW_DUE = "flag_review_due", "Harm flag review due"
    CONTEXT_UPDATED = "context_updated", "Context record updated"
    # csafe/accounts/services.py: a staff account created, or its role, team or state changed.
    ACCOUNT_CHANGED = "account_changed", "Staff account changed"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notifications_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
