"""In-app notifications, each optionally e-mailed.

A notification never names a child: it names the record by its local identifier or the context by
its name, and links to the page where the reader's own permissions apply. ``dedupe_key`` makes
delivery idempotent: a task that runs twice (Celery re-delivers after a worker dies) finds the
row it made the first time and sends nothing more.

Changes to one thing in a short window (a burst of edits to one context) are gathered into one
notification, one ``NotificationChange`` row each, and e-mailed once when the window ends. Each
person chooses how they are e-mailed (``NotificationPreference``): one e-mail for each
notification, one a day listing the unread ones (``EmailDigest``), or none; the notifications
themselves are shown in the service whatever the choice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    FLAG_REVIEW_DUE = "flag_review_due", "Harm flag review due"
    CONTEXT_UPDATED = "context_updated", "Context record updated"
    # csafe/accounts/services.py: a staff account created, or its role, team or state changed.
    ACCOUNT_CHANGED = "account_changed", "Staff account changed"
    # cases/tasks.py: an assessment completed, so awaiting a team manager's authorisation (to
    # the holding team's managers); returned for more work, it is WORK_RETURNED below.
    ASSESSMENT_AWAITING_AUTHORISATION = (
        "assessment_awaiting_authorisation",
        "Assessment awaiting authorisation",
    )
    # cases/tasks.py: a plan submitted for a team manager's sign-off (to the holding team's
    # managers), and work returned for more (to whoever submitted it).
    PLAN_AWAITING_SIGN_OFF = "plan_awaiting_sign_off", "Plan awaiting sign-off"
    WORK_RETURNED = "work_returned", "Work returned for more"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    # A notification that gathers changes (services.notification_gather) names what it gathers
    # for, such as "context:12"; one that stands alone leaves it blank.
    group_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Not e-mailed before this time (the end of a gathering window); blank: e-mailed at once.
    email_after = models.DateTimeField(null=True, blank=True)
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
            # The sweep's question every minute: which gathered notifications are due?
            models.Index(
                fields=["email_after"],
                condition=models.Q(emailed_at__isnull=True, email_after__isnull=False),
                name="notifications_email_due",
            ),
            models.Index(
                fields=["recipient", "group_key", "-created_at"],
                condition=~models.Q(group_key=""),
                name="notifications_gathering",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationChange(models.Model):
    """One change gathered into a notification: a fixed phrase from the service that made it
    (never a child's name). ``dedupe_key`` is unique, so a change delivered twice is gathered
    once."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="changes")
    dedupe_key = models.CharField(max_length=200, unique=True)
    summary = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.summary


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", "An e-mail for each notification"
    DAILY = "daily", "One e-mail a day listing my unread notifications"
    NONE = "none", "No e-mails: I will read my notifications in the service"


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed. No row means ``EmailChoice.IMMEDIATE``. In-app
    notifications are shown whatever the choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notification_preference"
    )
    email = models.CharField(
        max_length=20, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class EmailDigest(models.Model):
    """The daily e-mail to a person who chose it, made once per person per day (the unique
    constraint is the dedupe record) and sent at least once, never again once marked sent,
    like a single notification's e-mail. It lists the notifications it was made with."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="email_digests"
    )
    day = models.DateField()
    covers_from = models.DateTimeField()
    covers_until = models.DateTimeField()
    notifications = models.ManyToManyField(Notification, related_name="email_digests")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="notifications_one_digest_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient_id} on {self.day}"
