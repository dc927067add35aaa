"""Creating, delivering and reading notifications."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from .models import (
    EmailChoice,
    EmailDigest,
    Notification,
    NotificationChange,
    NotificationPreference,
)
from .selectors import email_choice_for_user

# A gathered notification whose window ended longer ago than this is no longer e-mailed by the
# sweep: a worker or beat that was down for a day does not bring yesterday's news as new.
EMAIL_DUE_HORIZON = timedelta(days=1)
# The first daily e-mail a person gets lists what came in over the day before.
DIGEST_FIRST_COVERS = timedelta(days=1)


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
    if notification.email_after is not None and notification.email_after > timezone.now():
        # Still gathering changes: the sweep (notifications_email_due) sends it when the
        # window ends, so the e-mail lists every change once.
        return False
    if email_choice_for_user(user=notification.recipient) != EmailChoice.IMMEDIATE:
        # A daily e-mail lists it (email_digest_make), or the person asked for no e-mail.
        return False
    base = settings.CSAFE_BASE_URL.rstrip("/")
    link = f"\n\n{base}{notification.url}" if notification.url else ""
    # The body stays inside csafe: e-mail leaves the council's systems, so it carries the title
    # (a local identifier, never a name), the fixed phrases of gathered changes, and a link,
    # and the reader signs in for the rest.
    changes = list(notification.changes.values_list("summary", flat=True))
    listed = "".join(f"- {change}\n" for change in changes) if len(changes) > 1 else ""
    listed = f"\n\n{listed.rstrip()}" if listed else ""
    message_id = notification_message_id(notification_id=notification.pk)
    EmailMessage(
        subject=f"{settings.SERVICE_NAME}: {notification.title}",
        body=(
            f"{notification.title}.{listed}\n\n"
            f"Sign in to {settings.SERVICE_NAME} to read more.{link}\n"
        ),
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


def _enqueue_digest_email(digest_id: int) -> None:
    from .tasks import email_digest_send

    email_digest_send.delay(digest_id)


@transaction.atomic
def notification_gather(
    *,
    recipient,
    kind: str,
    group_key: str,
    change_key: str,
    change: str,
    url: str,
    window: timedelta,
    describe: Callable[[Sequence[str]], tuple[str, str]],
) -> tuple[Notification, bool]:
    """Tell ``recipient`` of one change, gathered with the other changes to ``group_key`` (such
    as "context:12") made within ``window``: the first change makes a notification, later ones
    are added to it while it is unread, not yet e-mailed and younger than ``window``, and its
    e-mail waits until the window ends (``email_after``; the sweep sends it) so that it lists
    every change once. ``describe(changes)`` gives the (title, body) for the changes so far:
    fixed phrases, never a child. A zero window tells each change on its own, e-mailed at once.

    Idempotent: ``change_key`` names the change and the recipient, and a change already
    gathered returns (its notification, False). Safe under concurrency: the recipient's row is
    locked first, so two workers telling them of two changes at once queue here, and the
    second finds the notification the first made instead of making another.
    Returns (notification, whether this change was new)."""
    # The lock is held until this transaction commits; nothing else gathers for this person
    # meanwhile. (On SQLite, which has no row locks, a write locks the whole database.)
    list(get_user_model().objects.select_for_update().filter(pk=recipient.pk).values("pk"))
    seen = (
        NotificationChange.objects.select_related("notification")
        .filter(dedupe_key=change_key)
        .first()
    )
    if seen is not None:
        return seen.notification, False
    now = timezone.now()
    summary = change[:200]
    notification = None
    if window:
        notification = (
            Notification.objects.select_for_update()
            .filter(
                recipient=recipient,
                group_key=group_key,
                read_at__isnull=True,
                emailed_at__isnull=True,
                created_at__gt=now - window,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    if notification is None:
        title, body = describe([summary])
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            dedupe_key=change_key,
            group_key=group_key,
            email_after=now + window if window else None,
        )
        if not window:
            transaction.on_commit(partial(_enqueue_email, notification.pk))
    else:
        changes = [*notification.changes.values_list("summary", flat=True), summary]
        title, body = describe(changes)
        notification.title, notification.body = title[:200], body
        notification.save(update_fields=["title", "body"])
    NotificationChange.objects.create(
        notification=notification, dedupe_key=change_key, summary=summary
    )
    return notification, True


def notifications_email_due(*, now=None) -> int:
    """Queue the e-mail of every gathered notification whose window has ended, for people who
    chose an e-mail for each notification (beat runs this every minute). Sending is idempotent
    (``notification_send_email``), so a notification queued twice is sent once. Returns how
    many were queued."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            email_after__isnull=False,
            email_after__lte=now,
            email_after__gt=now - EMAIL_DUE_HORIZON,
        )
        .exclude(recipient__email="")
        .exclude(
            recipient__notification_preference__email__in=[EmailChoice.DAILY, EmailChoice.NONE]
        )
        .order_by("email_after", "pk")
        .values_list("pk", flat=True)
    )
    for notification_id in due:
        transaction.on_commit(partial(_enqueue_email, notification_id))
    return len(due)


@transaction.atomic
def notification_preference_set(*, user, email: str) -> NotificationPreference:
    """Set how ``user`` is e-mailed about their notifications. Only ever the acting user's own
    choice: the caller passes ``request.user``. In-app notifications are unchanged by it."""
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    before = preference.email
    preference.email = email
    preference.full_clean()
    preference.save()
    event_record(
        actor=user,
        kind=EventKind.NOTIFICATION_SETTINGS_CHANGED,
        target=preference,
        detail={"from": before, "to": email},
    )
    return preference


@transaction.atomic
def email_digest_make(*, recipient, now=None) -> tuple[EmailDigest | None, bool]:
    """Make today's daily e-mail for ``recipient``: their unread notifications not yet e-mailed,
    made since their last daily e-mail (over the day before, for the first). One per person per
    day, whatever the number of runs (the unique (recipient, day) is the dedupe record); its
    e-mail is queued after commit, and queued again by a later run while it is unsent, so it
    goes at least once. Nothing is made when there is nothing to list.
    Returns (digest or None, whether it was made now)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    existing = EmailDigest.objects.filter(recipient=recipient, day=day).first()
    if existing is not None:
        if existing.emailed_at is None:
            transaction.on_commit(partial(_enqueue_digest_email, existing.pk))
        return existing, False
    last = EmailDigest.objects.filter(recipient=recipient).order_by("-covers_until").first()
    covers_from = last.covers_until if last else now - DIGEST_FIRST_COVERS
    listed = list(
        Notification.objects.filter(
            recipient=recipient,
            read_at__isnull=True,
            emailed_at__isnull=True,
            created_at__gte=covers_from,
            created_at__lt=now,
        ).values_list("pk", flat=True)
    )
    if not listed:
        return None, False
    try:
        with transaction.atomic():
            digest = EmailDigest.objects.create(
                recipient=recipient, day=day, covers_from=covers_from, covers_until=now
            )
    except IntegrityError:
        # Another run made it between our look and our insert.
        return EmailDigest.objects.get(recipient=recipient, day=day), False
    digest.notifications.set(listed)
    transaction.on_commit(partial(_enqueue_digest_email, digest.pk))
    return digest, True


def email_digests_make(*, now=None) -> int:
    """Make today's daily e-mail for everyone who chose it (beat runs this each morning; running
    it again makes nothing more). Returns how many were made now."""
    now = now or timezone.now()
    people = (
        get_user_model()
        .objects.filter(notification_preference__email=EmailChoice.DAILY, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    return sum(int(email_digest_make(recipient=person, now=now)[1]) for person in people)


def email_digest_message_id(*, digest_id: int) -> str:
    host = urlsplit(settings.CSAFE_BASE_URL).hostname or "csafe.invalid"
    return f"<digest-{digest_id}@{host}>"


@transaction.atomic
def email_digest_send(*, digest_id: int) -> bool:
    """E-mail a daily digest: at least once, never again once marked sent, under one Message-ID,
    exactly as ``notification_send_email`` sends a notification. The e-mail lists the titles of
    the notifications it was made with (each a local identifier or a context's name, never a
    child's name) and a link; the notifications it lists count as e-mailed."""
    digest = EmailDigest.objects.select_for_update().select_related("recipient").get(pk=digest_id)
    if digest.emailed_at is not None or not digest.recipient.email:
        return False
    if email_choice_for_user(user=digest.recipient) != EmailChoice.DAILY:
        return False  # they chose otherwise since it was made
    titles = list(digest.notifications.order_by("created_at", "pk").values_list("title", flat=True))
    count = len(titles)
    listed = "".join(f"- {title}\n" for title in titles)
    base = settings.CSAFE_BASE_URL.rstrip("/")
    message_id = email_digest_message_id(digest_id=digest.pk)
    EmailMessage(
        subject=(
            f"{settings.SERVICE_NAME}: {count} unread notification{'s' if count != 1 else ''}"
            f" ({digest.day:%-d %B %Y})"
        ),
        body=(
            f"Your unread notifications since your last daily e-mail:\n\n{listed}\n"
            f"Sign in to {settings.SERVICE_NAME} to read them.\n\n"
            f"{base}{reverse('notifications:list')}\n"
        ),
        to=[digest.recipient.email],
        headers={"Message-ID": message_id, "X-Csafe-Dedupe-Key": message_id.strip("<>")},
    ).send()
    now = timezone.now()
    digest.emailed_at = now
    digest.save(update_fields=["emailed_at"])
    digest.notifications.filter(emailed_at__isnull=True).update(emailed_at=now)
    return True
