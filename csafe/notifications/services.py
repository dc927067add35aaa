"""Creating, delivering and reading notifications."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from csafe.core.errors import ApplicationError

from .models import Notification


def notification_create(
    *, recipient, kind: str, title: str, body: str, url: str, dedupe_key: str
) -> tuple[Notification, bool]:
    """Create the notification once per ``dedupe_key``; returns (notification, created).

    Safe under concurrency: two deliveries racing on the same key get one row between them.
    """
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key), False
    transaction.on_commit(lambda: _enqueue_email(notification.pk))
    return notification, True


def _enqueue_email(notification_id: int) -> None:
    # Imported here: the task module imports this one to call notification_send_email.
    from .tasks import notification_send_email

    notification_send_email.delay(notification_id)


def notification_message_id(*, notification_id: int) -> str:
    """The e-mail's Message-ID, the same every time this notification is sent: the mail system's
    key for dropping a second copy (see ``notification_send_email``)."""
    host = urlsplit(settings.CSAFE_BASE_URL).hostname or "csafe.invalid"
    return f"<notification-{notification_id}@{host}>"


@transaction.atomic
def notification_send_email(*, notification_id: int) -> bool:
    """E-mail a notification; sent at least once, and never again once marked sent.

    The row lock makes a second, concurrent delivery wait and then see ``emailed_at`` set; a
    delivery after the mark (Celery re-delivers a task whose worker died before acknowledging
    it) sends nothing. What cannot be made exactly once is the gap between the mail server
    taking the message and the mark being committed: a worker that dies there leaves the row
    unmarked, and the next delivery sends again. Both copies carry the same Message-ID (and
    X-Csafe-Dedupe-Key), by which a mail system drops the second
    (tests/integration/test_worker_crash.py kills a worker in that gap, and after the mark).
    """
    notification = (
        Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
    )
    if notification.emailed_at is not None or not notification.recipient.email:
        return False
    base = settings.CSAFE_BASE_URL.rstrip("/")
    link = f"\n\n{base}{notification.url}" if notification.url else ""
    # The body stays inside csafe: e-mail leaves the council's systems, so it carries the title
    # (a local identifier, never a name) and a link, and the reader signs in for the rest.
    message_id = notification_message_id(notification_id=notification.pk)
    EmailMessage(
        subject=f"{settings.SERVICE_NAME}: {notification.title}",
        body=f"{notification.title}.\n\nSign in to {settings.SERVICE_NAME} to read more.{link}\n",
        to=[notification.recipient.email],
        headers={"Message-ID": message_id, "X-Csafe-Dedupe-Key": message_id.strip("<>")},
    ).send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise ApplicationError("That notification is not yours")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
